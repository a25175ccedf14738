// Helpers shared by the test files of index_test: readable names in
// assertion messages, scratch folders, a sink that records what the readers
// find, sample records, and running the real indexer binary.
#pragma once

#include <sys/types.h>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sok/index/article.h"
#include "sok/index/sources.h"
#include "sok/stemming/language.h"

// Readable names in assertion messages (one definition per specialisation
// for the whole binary).
namespace Catch {
template <>
struct StringMaker<sok::Language> {
  static std::string convert(sok::Language language) {
    return language == sok::Language::unknown ? "unknown"
                                              : std::string(sok::language_code(language));
  }
};
template <>
struct StringMaker<sok::ArticleType> {
  static std::string convert(sok::ArticleType type) {
    return std::string(sok::article_type_name(type));
  }
};
template <>
struct StringMaker<sok::Date> {
  static std::string convert(const sok::Date& date) { return date.iso(); }
};
template <>
struct StringMaker<std::optional<sok::Date>> {
  static std::string convert(const std::optional<sok::Date>& date) {
    return date ? date->iso() : "no date";
  }
};
}  // namespace Catch

namespace sok::test {

// Whether this build runs under AddressSanitizer (CI's second pass): the
// heavy tests then use smaller inputs, as everything runs several times slower.
#if defined(__SANITIZE_ADDRESS__)
#define SOK_TEST_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SOK_TEST_ASAN 1
#endif
#endif
#ifdef SOK_TEST_ASAN
inline constexpr bool kSanitized = true;
#else
inline constexpr bool kSanitized = false;
#endif

// The AddressSanitizer options the tests need on top of the caller's: Debian's
// libxapian 1.4 deletes an object with the wrong size inside
// Xapian::Database::check() (new-delete-type-mismatch), which is Xapian's
// bug, not sok's. The test program and the indexers it starts ignore it.
inline constexpr const char* kAsanOptions = "new_delete_type_mismatch=0";

// Returns the absolute path of `relative` inside the source tree ("corpus/html").
std::string source_path(std::string_view relative);

// A scratch folder with a unique name in the system's temporary folder,
// removed with all its contents when the object goes.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  // Returns the path of `name` inside the folder, as a string.
  std::string operator/(std::string_view name) const;

 private:
  std::filesystem::path path_;
};

// Writes `content` to `path` as is, creating its parent folders.
void write_file(const std::filesystem::path& path, std::string_view content);

// Returns the bytes of the file at `path`.
std::string read_file(const std::filesystem::path& path);

// The build folder the stub of the index folder `dir` names ("build-…").
std::string live_build_name(const std::string& dir);

// Writes `version` as the schema version of the live build of `dir`, as an
// index written by another version of the indexer would have it.
void set_schema_version(const std::string& dir, const std::string& version);

// Returns the lines of `text` without their line breaks; a last line without
// a break counts, an empty text has none.
std::vector<std::string> lines_of(std::string_view text);

// Returns the bytes of a string literal, NUL bytes included.
template <std::size_t N>
std::string bytes(const char (&literal)[N]) {
  return std::string(literal, N - 1);
}

// Returns whether `text` contains `part`.
bool contains(std::string_view text, std::string_view part);

// Records everything read_sources() hands it.
class RecordingSink : public ArticleSink {
 public:
  void accept(Article article) override { articles.push_back(std::move(article)); }
  void reject(SourceIssue issue) override { issues.push_back(std::move(issue)); }
  void progress(std::size_t bytes_read) override { progress_reports.push_back(bytes_read); }

  // Returns the origins of the issues, in order.
  std::vector<std::string> issue_origins() const;
  // Returns the ids of the articles, in order.
  std::vector<std::string> article_ids() const;
  // Returns the issues one per line ("origin: message"), for INFO.
  std::string dump_issues() const;

  std::vector<Article> articles;
  std::vector<SourceIssue> issues;
  std::vector<std::size_t> progress_reports;
};

// Returns a complete, valid corpus record with this id: a Swedish news
// article of 2024 with every field set.
nlohmann::json sample_record(std::string_view id);

// Returns `record` as one JSON Lines line, with its line break.
std::string jsonl_line(const nlohmann::json& record);

// Returns the number of documents in the live index of `dir`, opened
// through its stub as a reader would.
std::size_t doc_count(const std::string& dir);

// Returns the names of the entries of `dir` that start with "build-", sorted.
std::vector<std::string> build_entries(const std::string& dir);

// The pages the sample corpus gives twice, as a JSON Lines article and as
// the HTML page or WordPress post: each shows as one hit.
constexpr std::size_t kCorpusPagesGivenTwice = 7;

// Returns the index folder of the whole corpus, built once per test process
// with the library (and removed at exit). Copy it before changing it.
const std::string& corpus_index();

// Copies the index folder `from` (stub and builds) to the new folder `to`.
void copy_index(const std::string& from, const std::string& to);

// What a run of the indexer binary did.
struct CommandResult {
  int exit_code = -1;  // 128 + signal when it died of one
  std::string out;
  std::string err;
};

// Runs the indexer (SOK_INDEXER_BINARY) with `args` and waits for it; its
// standard output and error go to files in a scratch folder (not a
// terminal), its standard input is /dev/null.
CommandResult run_indexer(const std::vector<std::string>& args);

// Starts the indexer with `args`, its output going to `out` and `err`;
// returns its process id without waiting.
pid_t start_indexer(const std::vector<std::string>& args, const std::string& out,
                    const std::string& err);

// Waits for `pid` and returns its exit code, or 128 + the signal that ended it.
int wait_for(pid_t pid);

// Seconds since `start` on the steady clock.
double seconds_since(std::chrono::steady_clock::time_point start);

}  // namespace sok::test
