#include "fuzz_support.h"

#include <unistd.h>
#include <xapian.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>

#include "sok/index/document_builder.h"
#include "sok/index/indexing.h"

namespace sok::fuzz {
namespace {

namespace fs = std::filesystem;

// Xapian's longest term in a glass database.
constexpr std::size_t kMaxXapianTerm = 245;

// The length of the UTF-8 sequence starting at `text[i]`, 0 when ill-formed.
std::size_t sequence_length(std::string_view text, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char lead = byte(i);
  if (lead < 0x80) return 1;
  std::size_t length = 0;
  unsigned char low = 0x80, high = 0xBF;  // the range of the second byte
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0) low = 0xA0;   // overlong
    if (lead == 0xED) high = 0x9F;  // surrogates
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0) low = 0x90;   // overlong
    if (lead == 0xF4) high = 0x8F;  // above U+10FFFF
  } else {
    return 0;
  }
  if (i + length > text.size()) return 0;
  if (byte(i + 1) < low || byte(i + 1) > high) return 0;
  for (std::size_t k = 2; k < length; ++k) {
    if (byte(i + k) < 0x80 || byte(i + k) > 0xBF) return 0;
  }
  return length;
}

bool has_control_character(std::string_view text) {
  for (const char c : text) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) return true;
  }
  return false;
}

void check_text(std::string_view text, std::string_view what) {
  check(valid_utf8(text), what, text);
}

void check_indexable(const Article& article) {
  static DocumentBuilder builder;
  const IndexedDocument indexed = builder.build(article);
  check(indexed.id_term.size() <= kMaxXapianTerm, "id term longer than Xapian takes",
        indexed.id_term);
  for (auto term = indexed.document.termlist_begin(); term != indexed.document.termlist_end();
       ++term) {
    check((*term).size() <= kMaxXapianTerm, "term longer than Xapian takes", *term);
  }
}

struct ScratchFolder {
  fs::path path;
  ~ScratchFolder() {
    std::error_code error;
    if (!path.empty()) fs::remove_all(path, error);
  }
};

}  // namespace

bool valid_utf8(std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t length = sequence_length(text, i);
    if (length == 0) return false;
    i += length;
  }
  return true;
}

bool on_char_boundary(std::string_view text, std::size_t offset) {
  if (offset >= text.size()) return offset == text.size();
  const auto byte = static_cast<unsigned char>(text[offset]);
  return byte < 0x80 || byte >= 0xC0;
}

void fail(std::string_view what, std::string_view detail) {
  std::fprintf(stderr, "\n== invariant broken: %.*s\n", static_cast<int>(what.size()), what.data());
  if (!detail.empty()) {
    std::fprintf(stderr, "== about: %.*s\n",
                 static_cast<int>(std::min<std::size_t>(detail.size(), 400)), detail.data());
  }
  std::abort();
}

const std::string& corpus_index() {
  static ScratchFolder folder;
  static const std::string dir = [] {
    std::string pattern = (fs::temp_directory_path() / "sok-fuzz-index-XXXXXX").string();
    if (!mkdtemp(pattern.data())) fail("cannot make a scratch folder for the index", pattern);
    folder.path = pattern;
    IndexingOptions options;
    options.threads = 1;
    const IndexingReport report = build_index(pattern, {SOK_SOURCE_DIR "/corpus"}, options);
    check(report.documents > 100, "the corpus index has too few documents");
    return pattern;
  }();
  return dir;
}

std::string scratch_file(std::string_view suffix) {
  const fs::path folder = fs::exists("/dev/shm") ? fs::path("/dev/shm") : fs::temp_directory_path();
  return (folder / ("sok-fuzz-" + std::to_string(getpid()) + std::string(suffix))).string();
}

void write_file(const std::string& path, std::string_view content) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(content.data(), static_cast<std::streamsize>(content.size()));
  check(static_cast<bool>(out), "cannot write the scratch file", path);
}

void check_article(const Article& article) {
  check(!article.id.empty(), "an accepted article without an id");
  check(article.id.size() <= kMaxIdBytes, "an id over kMaxIdBytes", article.id);
  check(!has_control_character(article.id), "an id with control characters", article.id);
  for (const std::string* field : {&article.id, &article.url, &article.title, &article.summary,
                                   &article.body, &article.author}) {
    check_text(*field, "an article field that is not UTF-8");
  }
  for (const auto& tag : article.tags) check_text(tag, "a tag that is not UTF-8");
  for (const auto& partner : article.partners) check_text(partner, "a partner that is not UTF-8");
  check_indexable(article);
}

std::vector<std::pair<std::string, std::string>> split_query(std::string_view query) {
  std::map<std::string, std::string> params;
  while (!query.empty()) {
    const std::size_t amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    const std::size_t eq = pair.find('=');
    params.emplace(std::string(pair.substr(0, eq)),
                   eq == std::string_view::npos ? std::string() : std::string(pair.substr(eq + 1)));
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return {params.begin(), params.end()};
}

}  // namespace sok::fuzz
