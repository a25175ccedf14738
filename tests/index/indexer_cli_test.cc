// The indexer program as a person or a cron job runs it: help and usage
// errors, exit codes, one line per bad record on stderr, a summary on
// stdout, a folder it cannot write, and a build killed half-way.

#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <unistd.h>
#include <xapian.h>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "sok/index/indexing.h"
#include "sok/index/schema.h"
#include "support.h"

namespace sok::test {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

constexpr int kOk = 0;
constexpr int kRejected = 1;
constexpr int kUsage = 2;
constexpr int kIndexFailed = 3;

std::string describe(const CommandResult& r) {
  return "exit " + std::to_string(r.exit_code) + "\nstdout:\n" + r.out + "stderr:\n" + r.err;
}

// About `bytes` of JSON Lines records: the corpus's articles over and over,
// each with an id and title of its own.
std::string large_input(std::size_t bytes) {
  std::vector<json> originals;
  for (const char* file : {"corpus/articles-sv.jsonl", "corpus/articles-en.jsonl"}) {
    for (const auto& line : lines_of(read_file(source_path(file))))
      if (!line.empty()) originals.push_back(json::parse(line));
  }
  REQUIRE_FALSE(originals.empty());
  std::string out;
  out.reserve(bytes + (64u << 10));
  for (std::size_t n = 0; out.size() < bytes; ++n) {
    json record = originals[n % originals.size()];
    record["id"] = "large-" + std::to_string(n);
    record["title"] = record["title"].get<std::string>() + " " + std::to_string(n);
    out += jsonl_line(record);
  }
  return out;
}

// Takes the index folder's writer lock as another writer would; close the
// descriptor to let it go.
int take_writer_lock(const std::string& dir) {
  const std::string lock_path = (fs::path(dir) / ".lock").string();
  const int fd = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  REQUIRE(fd >= 0);
  REQUIRE(::flock(fd, LOCK_EX | LOCK_NB) == 0);
  return fd;
}

}  // namespace

TEST_CASE("indexer --help exits 0 and names every command", "[cli]") {
  const CommandResult r = run_indexer({"--help"});
  INFO(describe(r));
  CHECK(r.exit_code == kOk);
  for (const char* command : {"build", "update", "delete", "stats", "check"}) {
    CAPTURE(command);
    CHECK(contains(r.out, command));
  }
  CHECK(contains(r.out, "Exit codes"));
}

TEST_CASE("A usage error exits 2 with a message and writes nothing", "[cli]") {
  // "DIR" stands for a folder in this run's scratch folder, "CORPUS" for the corpus.
  auto [what, args] = GENERATE(table<std::string, std::vector<std::string>>({
      {"no command", {}},
      {"no --index", {"build", "CORPUS"}},
      {"unknown command", {"frobnicate", "--index", "DIR"}},
      {"--batch 0", {"build", "CORPUS", "--index", "DIR", "--batch", "0"}},
      {"--batch not a number", {"update", "CORPUS", "--index", "DIR", "--batch", "many"}},
      {"--threads 17", {"build", "CORPUS", "--index", "DIR", "--threads", "17"}},
      {"no sources", {"build", "--index", "DIR"}},
      {"a source that does not exist", {"build", "DIR/../missing.jsonl", "--index", "DIR"}},
      {"delete without ids", {"delete", "--index", "DIR"}},
      {"stats without --index", {"stats"}},
      {"an unknown option", {"check", "--index", "DIR", "--fast"}},
  }));
  CAPTURE(what);
  const TempDir tmp;
  const std::string dir = tmp / "idx";
  for (auto& arg : args) {
    if (arg.rfind("DIR", 0) == 0) arg = dir + arg.substr(3);
    if (arg == "CORPUS") arg = source_path("corpus");
  }
  CAPTURE(args);
  const CommandResult r = run_indexer(args);
  INFO(describe(r));
  CHECK(r.exit_code == kUsage);
  CHECK_FALSE(r.err.empty());
  CHECK_FALSE(fs::exists(dir));
}

TEST_CASE("Building the corpus exits 0 with one summary line on stdout", "[cli]") {
  const TempDir tmp;
  const std::string dir = tmp / "idx";
  const CommandResult r = run_indexer({"build", source_path("corpus"), "--index", dir});
  INFO(describe(r));
  REQUIRE(r.exit_code == kOk);
  const std::size_t documents = doc_count(dir);
  CHECK(documents >= 147);
  const auto lines = lines_of(r.out);
  REQUIRE(lines.size() == 1);
  CHECK(contains(lines[0], "built from"));
  CHECK(contains(lines[0], std::to_string(documents) + " added"));
  CHECK(contains(lines[0], "0 rejected"));
  CHECK(contains(lines[0], "the index holds " + std::to_string(documents) + " documents"));
  // Not a terminal: no progress bar. The corpus gives some pages twice (as
  // an article and as the site's HTML page): a warning each, the exit 0.
  const auto warnings = lines_of(r.err);
  CHECK(warnings.size() == kCorpusPagesGivenTwice);
  for (const auto& line : warnings) {
    CHECK(contains(line, ": warning: the page https://flemingsberg-science.se/"));
    CHECK(contains(line, " is also article \""));
  }
}

TEST_CASE("An update with bad lines exits 1 and names each bad line once on stderr", "[cli]") {
  const TempDir tmp;
  const std::string dir = tmp / "idx";
  copy_index(corpus_index(), dir);
  const std::size_t before = doc_count(dir);
  const std::string file = tmp / "mixed.jsonl";
  json no_id = sample_record("x");
  no_id.erase("id");
  json bad_date = sample_record("y");
  bad_date["published"] = "2024-02-30";
  write_file(file, jsonl_line(sample_record("good-1")) + "{oops\n" +
                       jsonl_line(sample_record("good-2")) + jsonl_line(no_id) +
                       jsonl_line(bad_date) + jsonl_line(sample_record("good-3")));
  const CommandResult r = run_indexer({"update", file, "--index", dir});
  INFO(describe(r));
  CHECK(r.exit_code == kRejected);
  const auto errors = lines_of(r.err);
  REQUIRE(errors.size() == 3);
  CHECK(errors[0].rfind(file + ":2: ", 0) == 0);
  CHECK(errors[1].rfind(file + ":4: ", 0) == 0);
  CHECK(errors[2].rfind(file + ":5: ", 0) == 0);
  CHECK(contains(errors[0], "not valid JSON"));
  CHECK(contains(errors[1], "missing id"));
  CHECK(contains(errors[2], "published"));
  const auto out = lines_of(r.out);
  REQUIRE(out.size() == 1);
  CHECK(contains(out[0], "3 added"));
  CHECK(contains(out[0], "3 rejected"));
  CHECK(doc_count(dir) == before + 3);
}

TEST_CASE("Each kind of bad input is one error line and loses nothing else", "[cli]") {
  // what, the bad record or page ("<50 MB>": a record with a 50 MB body),
  // the kind of file it is in, words the error must contain
  auto [what, bad, kind,
        words] = GENERATE(table<std::string, std::string, std::string, std::string>({
      {"a line that is not JSON", "{\"id\": \"x\", \"title\": ", "jsonl", "not valid JSON"},
      {"missing id", "{\"title\": \"Rubrik\"}", "jsonl", "missing id"},
      {"missing title", "{\"id\": \"no-title\", \"body\": \"Text\"}", "jsonl", "missing title"},
      {"wrong type", "{\"id\": \"t\", \"title\": 12}", "jsonl", "title must be a string"},
      {"unknown type", "{\"id\": \"t\", \"title\": \"R\", \"type\": \"blog\"}", "jsonl",
       "unknown type \"blog\""},
      {"unparsable date", "{\"id\": \"t\", \"title\": \"R\", \"published\": \"3 maj\"}", "jsonl",
       "published \"3 maj\" is not a date"},
      {"invalid UTF-8", "{\"id\": \"t\", \"title\": \"R\xC3\x28\"}", "jsonl", "UTF-8"},
      {"a 50 MB body", "<50 MB>", "jsonl", "over the 8.0 MiB limit"},
      {"an HTML page that is not HTML", "Bara text, ingen markup.\n", "html", "not an HTML page"},
      {"an HTML page that is binary", bytes("\177ELF\2\1\1\0\0\0\0\0<p>"), "html",
       "not an HTML page"},
  }));
  CAPTURE(what);
  const TempDir tmp;
  const std::string dir = tmp / "idx";
  copy_index(corpus_index(), dir);
  const std::size_t before = doc_count(dir);
  const std::string good_1 = jsonl_line(sample_record("good-1"));
  const std::string good_2 = jsonl_line(sample_record("good-2"));
  std::vector<std::string> sources;
  std::string expected_origin;
  if (kind == "jsonl") {
    std::string line = bad;
    if (line == "<50 MB>") {
      json huge = sample_record("huge");
      huge["body"] = std::string(50u << 20, 'x');
      line = huge.dump();
    }
    const std::string file = tmp / "input.jsonl";
    write_file(file, good_1 + line + "\n" + good_2);
    sources = {file};
    expected_origin = file + ":2: ";
  } else {
    const std::string good = tmp / "good.jsonl";
    const std::string page = tmp / "page.html";
    write_file(good, good_1 + good_2);
    write_file(page, bad);
    sources = {good, page};
    expected_origin = page + ": ";
  }
  std::vector<std::string> args = {"update"};
  args.insert(args.end(), sources.begin(), sources.end());
  args.insert(args.end(), {"--index", dir});
  const CommandResult r = run_indexer(args);
  INFO(describe(r).substr(0, 4000));
  CHECK(r.exit_code == kRejected);
  const auto errors = lines_of(r.err);
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].rfind(expected_origin, 0) == 0);
  CHECK(contains(errors[0], words));
  CHECK(errors[0].size() < 500);
  CHECK(doc_count(dir) == before + 2);
  const Xapian::Database db(dir);
  CHECK(db.term_exists("Qgood-1"));
  CHECK(db.term_exists("Qgood-2"));
  CHECK(db.term_exists("Qwp-post-4120"));
}

TEST_CASE("A build with no good record exits 3 and keeps the previous index", "[cli]") {
  const TempDir tmp;
  const std::string dir = tmp / "idx";
  copy_index(corpus_index(), dir);
  const std::size_t before = doc_count(dir);
  const std::string file = tmp / "bad.jsonl";
  write_file(file, "not json\n{\"id\": \"x\"}\n");
  const CommandResult r = run_indexer({"build", file, "--index", dir});
  INFO(describe(r));
  CHECK(r.exit_code == kIndexFailed);
  CHECK(contains(r.err, "indexer: "));
  CHECK(contains(r.err, "no article could be indexed"));
  CHECK(doc_count(dir) == before);
}

TEST_CASE("An index folder that cannot be written exits 3 with a message", "[cli]") {
  const TempDir tmp;
  write_file(tmp.path() / "file", "a file where a folder should be\n");
  const std::string dir = tmp / "file/idx";
  const std::string command = GENERATE(as<std::string>{}, "build", "update");
  CAPTURE(command);
  const CommandResult r = run_indexer({command, source_path("corpus"), "--index", dir});
  INFO(describe(r));
  CHECK(r.exit_code == kIndexFailed);
  CHECK(r.err.rfind("indexer: ", 0) == 0);
  CHECK(contains(r.err, dir));
  CHECK(r.out.empty());
}

TEST_CASE("A second indexer writing the same folder exits 3 naming the lock", "[cli]") {
  const TempDir tmp;
  const std::string dir = tmp / "idx";
  copy_index(corpus_index(), dir);
  const int fd = take_writer_lock(dir);
  const std::string file = tmp / "s.jsonl";
  write_file(file, jsonl_line(sample_record("a")));
  const CommandResult r = run_indexer({"update", file, "--index", dir});
  ::close(fd);
  INFO(describe(r));
  CHECK(r.exit_code == kIndexFailed);
  CHECK(contains(r.err, "another process"));
  CHECK(contains(r.err, ".lock"));
  const CommandResult after = run_indexer({"update", file, "--index", dir});
  INFO(describe(after));
  CHECK(after.exit_code == kOk);
}

TEST_CASE("With --wait an indexer waits for another writer's lock instead of exiting 3", "[cli]") {
  const TempDir tmp;
  const std::string dir = tmp / "idx";
  copy_index(corpus_index(), dir);
  const int fd = take_writer_lock(dir);
  std::thread releaser([fd] {
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    ::close(fd);  // the other writer is done
  });
  const std::string file = tmp / "s.jsonl";
  write_file(file, jsonl_line(sample_record("waited-for")));
  const CommandResult r = run_indexer({"update", file, "--index", dir, "--wait", "30"});
  releaser.join();
  INFO(describe(r));
  CHECK(r.exit_code == kOk);
  CHECK(contains(r.out, "1 added"));
}

TEST_CASE("A build killed half-way leaves the previous index, and the next build succeeds",
          "[cli][kill]") {
  const TempDir tmp;
  const std::string dir = tmp / "idx";
  copy_index(corpus_index(), dir);
  const std::size_t before = doc_count(dir);
  const std::string live_before = read_file(fs::path(dir) / "XAPIANDB");
  const std::string input = tmp / "large.jsonl";
  // ~30 MB; a tenth of it under a sanitizer, where everything is slower.
  write_file(input, large_input(kSanitized ? (3u << 20) : (30u << 20)));

  // How long a full build of it takes on this machine now.
  const std::string timing = tmp / "timing";
  const auto start = std::chrono::steady_clock::now();
  const CommandResult full = run_indexer({"build", input, "--index", timing});
  const double full_seconds = seconds_since(start);
  INFO(describe(full));
  REQUIRE(full.exit_code == kOk);
  const std::size_t large_count = doc_count(timing);
  REQUIRE(large_count > before);
  fs::remove_all(timing);

  // The same build into the live folder, killed at ~40% of that time.
  const pid_t pid =
      start_indexer({"build", input, "--index", dir}, tmp / "kill.out", tmp / "kill.err");
  std::this_thread::sleep_for(std::chrono::duration<double>(0.4 * full_seconds));
  REQUIRE(::kill(pid, SIGKILL) == 0);
  const int status = wait_for(pid);
  CAPTURE(full_seconds, read_file(tmp / "kill.err"));
  REQUIRE(status == 128 + SIGKILL);

  // Readers still get the previous index, whole.
  CHECK(read_file(fs::path(dir) / "XAPIANDB") == live_before);
  CHECK(doc_count(dir) == before);
  CHECK(check_index(dir).empty());
  // The killed run left its lock file and its unfinished build behind.
  CHECK(fs::exists(fs::path(dir) / ".lock"));
  const auto leftovers = build_entries(dir);
  CAPTURE(leftovers);
  CHECK(leftovers.size() > 1);

  // The next build is not blocked by any of it, and tidies it away.
  const CommandResult next = run_indexer({"build", source_path("corpus"), "--index", dir});
  INFO(describe(next));
  CHECK(next.exit_code == kOk);
  CHECK(doc_count(dir) == before);
  const auto after = build_entries(dir);
  CAPTURE(after);
  CHECK(after.size() <= 2);
  for (const auto& name : after) CHECK_FALSE(contains(name, "shard"));
  CHECK(check_index(dir).empty());
}

TEST_CASE("stats prints the documents, revision and schema version", "[cli]") {
  const std::string& dir = corpus_index();
  const CommandResult r = run_indexer({"stats", "--index", dir});
  INFO(describe(r));
  CHECK(r.exit_code == kOk);
  const auto stats = index_stats(dir);
  CHECK(contains(r.out, "documents      " + std::to_string(stats.documents) + "\n"));
  CHECK(contains(r.out, "revision       " + stats.revision + "\n"));
  CHECK(contains(r.out, "schema version " + std::to_string(schema::kVersion) + "\n"));
  CHECK(contains(r.out, "per type:"));
  CHECK(contains(r.out, "per language:"));
  CHECK(contains(r.out, "per year:"));
  CHECK(r.err.empty());
}

TEST_CASE("check prints healthy and exits 0 for a healthy index", "[cli]") {
  const std::string& dir = corpus_index();
  const CommandResult r = run_indexer({"check", "--index", dir});
  INFO(describe(r));
  CHECK(r.exit_code == kOk);
  CHECK(r.out == dir + ": healthy\n");
  CHECK(r.err.empty());
}

TEST_CASE("stats, check and delete of a folder with no index exit 3", "[cli]") {
  const std::string command = GENERATE(as<std::string>{}, "stats", "check", "delete");
  CAPTURE(command);
  const TempDir tmp;
  std::vector<std::string> args = {command, "--index", tmp / "nothing"};
  if (command == "delete") args.push_back("some-id");
  const CommandResult r = run_indexer(args);
  INFO(describe(r));
  CHECK(r.exit_code == kIndexFailed);
  CHECK(contains(r.err, "no index"));
}

TEST_CASE("delete exits 0 for known ids and 1 when an id is not in the index", "[cli]") {
  const TempDir tmp;
  const std::string dir = tmp / "idx";
  copy_index(corpus_index(), dir);
  const std::size_t before = doc_count(dir);

  const CommandResult unknown = run_indexer({"delete", "no-such-article", "--index", dir});
  INFO(describe(unknown));
  CHECK(unknown.exit_code == kRejected);
  CHECK(contains(unknown.out, "deleted 0 articles, 1 ids not in the index"));
  CHECK(doc_count(dir) == before);

  const CommandResult known = run_indexer({"delete", "wp-post-4120", "wp-page-87", "--index", dir});
  INFO(describe(known));
  CHECK(known.exit_code == kOk);
  CHECK(contains(known.out, "deleted 2 articles, 0 ids not in the index"));
  CHECK(doc_count(dir) == before - 2);

  const CommandResult mixed =
      run_indexer({"delete", "wp-post-4133", "wp-post-4120", "--index", dir});
  INFO(describe(mixed));
  CHECK(mixed.exit_code == kRejected);
  CHECK(doc_count(dir) == before - 3);
}

}  // namespace sok::test
