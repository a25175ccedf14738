// What the fuzz targets share: an independent UTF-8 check, a failed
// invariant that stops the run, the corpus index built once, and the checks
// every article a reader hands out must pass.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sok/index/article.h"

namespace sok::fuzz {

// The fuzz input as text.
inline std::string_view text_of(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// Whether `text` is well-formed UTF-8 (RFC 3629: no overlong forms, no
// surrogates, nothing above U+10FFFF). Written apart from the project's own
// checks so that it can judge them.
bool valid_utf8(std::string_view text);

// Whether byte `offset` of `text` starts a character (or is its end).
bool on_char_boundary(std::string_view text, std::size_t offset);

// Prints `what` with `detail` to standard error and aborts, which libFuzzer
// reports as a crash with the input that caused it.
[[noreturn]] void fail(std::string_view what, std::string_view detail = {});

inline void check(bool holds, std::string_view what, std::string_view detail = {}) {
  if (!holds) fail(what, detail);
}

// The index folder of the repository's corpus/, built with the library on
// the first call (in the system's temporary folder, removed at exit).
const std::string& corpus_index();

// A file path of this process in a memory-backed folder, ending in `suffix`.
std::string scratch_file(std::string_view suffix);

// Writes `content` to `path`, replacing it.
void write_file(const std::string& path, std::string_view content);

// Checks an article a reader accepted: an id within kMaxIdBytes and without
// control characters, UTF-8 text everywhere, and a document the index can
// store (every term within Xapian's 245 bytes).
void check_article(const Article& article);

// `query` ("a=1&b&c=%20") split into its parameters as Pistache splits them:
// at '&', then at the first '='; nothing decoded; names sorted, the first of
// a repeated name kept.
std::vector<std::pair<std::string, std::string>> split_query(std::string_view query);

}  // namespace sok::fuzz
