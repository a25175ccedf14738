#pragma once

#include <chrono>
#include <cstddef>
#include <string>

namespace sok {

// The on-disk layout of an index folder DIR:
//   DIR/XAPIANDB          a Xapian stub naming the live build ("auto build-…");
//                         Xapian::Database(DIR) opens the live build through it
//   DIR/build-<time>-<n>/ one Xapian database per full build
//   DIR/.lock             locked (flock) by the one process writing DIR
// A new build becomes live by an atomic rename of the stub, so readers see
// either the old build or the new one, never a broken moment. The lock dies
// with its process, so a killed indexer leaves no stale lock behind.
class IndexFolder {
 public:
  // Creates DIR if needed and takes its write lock, waiting up to
  // `lock_wait` for a writer that holds it. Throws IndexError when DIR
  // cannot be created or another writer still holds the lock after the wait.
  explicit IndexFolder(std::string dir,
                       std::chrono::milliseconds lock_wait = std::chrono::milliseconds(0));
  ~IndexFolder();
  IndexFolder(const IndexFolder&) = delete;
  IndexFolder& operator=(const IndexFolder&) = delete;

  const std::string& dir() const { return dir_; }
  // The live build's path, or "" when DIR has none yet.
  std::string live_build() const { return live_build_of(dir_); }
  // The same for any index folder, without taking its lock (for readers).
  static std::string live_build_of(const std::string& dir);
  // A path for a new build, inside DIR, that does not exist yet.
  std::string new_build_path() const;
  // Makes `build` live (atomic stub switch, fsynced), then removes every
  // other build but the one it replaced, and the shard folders of a sharded
  // layout it replaced.
  void publish(const std::string& build);
  // Makes DIR a sharded index of shard folders DIR/shard-0 … DIR/shard-<n-1>
  // (each already published; see sok/index/shards.h): an atomic switch of
  // the stub to one listing them, then removes DIR's own builds and the
  // shard folders beyond n.
  void publish_shards(std::size_t n);
  // Removes builds that were never published (left by a killed run).
  void remove_unpublished();

 private:
  std::string dir_;
  int lock_fd_ = -1;
};

}  // namespace sok
