#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sok {

// A sharded index folder DIR (`indexer build --shards N`, N ≥ 2):
//   DIR/XAPIANDB    a Xapian stub listing the shards ("auto shard-0" …), so
//                   Xapian::Database(DIR) and Xapian's tools open all of them
//   DIR/shard-<i>/  an index folder of its own (stub, builds, lock), for i in
//                   0 … N-1; its metadata records "sok.shard" = "<i>/<N>"
//   DIR/.lock       held by the one process writing DIR
// An article lives in shard shard_of(id, N), always: updates and deletes go
// to the shard its id hashes to, and a rebuild with the same N puts every
// article back where it was.

inline constexpr std::size_t kMaxShards = 256;
inline constexpr std::string_view kShardKey = "sok.shard";  // metadata: "<i>/<N>"

// FNV-1a, 64 bits, of the bytes of `bytes`: offset basis 14695981039346656037,
// prime 1099511628211. A contract: the shard of every indexed article depends
// on it, so it never changes.
constexpr std::uint64_t fnv1a_64(std::string_view bytes) {
  std::uint64_t hash = 14695981039346656037ull;
  for (const char c : bytes) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 1099511628211ull;
  }
  return hash;
}

// The shard of the article with id `id` among `shards` (≥ 1): fnv1a_64(id) mod shards.
constexpr std::size_t shard_of(std::string_view id, std::size_t shards) {
  return static_cast<std::size_t>(fnv1a_64(id) % shards);
}

// The shard folders of `dir` in shard order (DIR/shard-0 …), or empty when
// `dir` is not a sharded index folder.
std::vector<std::string> shard_dirs(const std::string& dir);

// The folder of shard `i` inside `dir`.
std::string shard_dir(const std::string& dir, std::size_t i);

}  // namespace sok
