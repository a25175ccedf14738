// The indexing library on scratch folders: full builds and the stub switch,
// updates by id and content hash, deletes, stats and checks, failures that
// leave the live index as it was, and the folder's write lock.

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>
#include <xapian.h>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "sok/index/document_builder.h"
#include "sok/index/index_error.h"
#include "sok/index/indexing.h"
#include "sok/index/schema.h"
#include "sok/index/sources.h"
#include "support.h"

namespace sok::test {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

// The document data of the document with this id, or null when there is none.
json data_of(const std::string& dir, const std::string& id) {
  const Xapian::Database db(dir);
  const std::string term = std::string(schema::kIdPrefix) + id;
  auto it = db.postlist_begin(term);
  if (it == db.postlist_end(term)) return nullptr;
  return json::parse(db.get_document(*it).get_data());
}

std::string records(const std::vector<json>& list) {
  std::string out;
  for (const auto& record : list) out += jsonl_line(record);
  return out;
}

json titled(const std::string& id, const std::string& title) {
  json record = sample_record(id);
  record["title"] = title;
  return record;
}

// How often the spelling list says `word` occurred (0: not listed).
Xapian::doccount spelling_frequency(const Xapian::Database& db, const std::string& word) {
  for (auto it = db.spellings_begin(); it != db.spellings_end(); ++it) {
    if (*it == word) return it.get_termfreq();
  }
  return 0;
}

// Holds an exclusive flock on a file, as a running indexer holds DIR/.lock.
class HeldLock {
 public:
  explicit HeldLock(const std::string& path)
      : fd_(::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644)) {
    REQUIRE(fd_ >= 0);
    REQUIRE(::flock(fd_, LOCK_EX | LOCK_NB) == 0);
  }
  ~HeldLock() { ::close(fd_); }
  HeldLock(const HeldLock&) = delete;
  HeldLock& operator=(const HeldLock&) = delete;

 private:
  int fd_;
};

}  // namespace

TEST_CASE("Building the corpus gives every article and a stub naming the live build",
          "[indexing][build]") {
  const TempDir tmp;
  const std::string dir = tmp / "idx";
  const IndexingReport report = build_index(dir, {source_path("corpus")});
  std::string issues;
  for (const auto& issue : report.rejected) issues += issue.origin + ": " + issue.message + "\n";
  INFO(issues);
  CHECK(report.rejected.empty());
  CHECK(report.added >= 147);
  CHECK(report.replaced == 0);
  CHECK(report.documents == report.added);
  REQUIRE(fs::is_regular_file(fs::path(dir) / "XAPIANDB"));
  const std::string build = live_build_name(dir);
  CHECK(build.rfind("build-", 0) == 0);
  CHECK(fs::is_directory(fs::path(dir) / build));
  CHECK(build_entries(dir) == std::vector<std::string>{build});
  // Xapian opens the live build through the stub, as the searcher does.
  const Xapian::Database db(dir);
  CHECK(db.get_doccount() == report.documents);
  CHECK(db.get_metadata(std::string(schema::kVersionKey)) == std::to_string(schema::kVersion));
  CHECK_FALSE(db.get_metadata(std::string(schema::kBuiltAtKey)).empty());
  CHECK(db.term_exists("Qwp-post-4120"));
  CHECK(db.term_exists("Qhttps://flemingsberg-science.se/nyheter/2024/ai-stod-inom-patologi/"));
}

TEST_CASE("A new build switches the stub and keeps at most the build before it",
          "[indexing][build]") {
  const TempDir tmp;
  const std::string dir = tmp / "idx";
  const std::string first_source = tmp / "first.jsonl";
  const std::string second_source = tmp / "second.jsonl";
  write_file(first_source, records({sample_record("a"), sample_record("b")}));
  write_file(second_source, records({sample_record("c")}));

  build_index(dir, {first_source});
  const std::string first = live_build_name(dir);
  const Xapian::Database reader(dir);  // a searcher with the first build open
  REQUIRE(reader.get_doccount() == 2);

  build_index(dir, {second_source});
  const std::string second = live_build_name(dir);
  CHECK(second != first);
  CHECK(doc_count(dir) == 1);
  CHECK(build_entries(dir).size() <= 2);
  // The reader's build is still there for it.
  CHECK(reader.get_doccount() == 2);
  CHECK(reader.term_exists("Qa"));

  build_index(dir, {first_source});
  const std::string third = live_build_name(dir);
  CHECK(third != second);
  CHECK(doc_count(dir) == 2);
  // The live build and the one it replaced, which readers may still have open.
  const auto builds = build_entries(dir);
  CHECK(builds.size() == 2);
  CHECK(std::find(builds.begin(), builds.end(), third) != builds.end());
  CHECK(std::find(builds.begin(), builds.end(), second) != builds.end());
  // No shard folders are left behind.
  for (const auto& name : builds) {
    CAPTURE(name);
    CHECK_FALSE(contains(name, "shard"));
  }
}

TEST_CASE("An update adds new articles, replaces changed ones and skips unchanged ones",
          "[indexing][update]") {
  const TempDir tmp;
  const std::string dir = tmp / "idx";
  const std::string base = tmp / "base.jsonl";
  const std::string change = tmp / "change.jsonl";
  write_file(base, records({sample_record("a"), sample_record("b"), sample_record("c")}));
  build_index(dir, {base});
  const std::string build = live_build_name(dir);

  write_file(change, records({sample_record("a"), titled("b", "Ny rubrik för b"),
                              sample_record("d"), sample_record("e")}));
  const IndexingReport report = update_index(dir, {change});
  CHECK(report.added == 2);
  CHECK(report.replaced == 1);
  CHECK(report.unchanged == 1);
  CHECK(report.rejected.empty());
  CHECK(report.documents == 5);
  CHECK(doc_count(dir) == 5);
  CHECK(data_of(dir, "b")["title"] == "Ny rubrik för b");
  CHECK(data_of(dir, "a")["title"] == sample_record("a")["title"]);
  CHECK_FALSE(data_of(dir, "e").is_null());
  // An update writes into the live build: no switch.
  CHECK(live_build_name(dir) == build);
  const Xapian::Database db(dir);
  CHECK_FALSE(db.get_metadata(std::string(schema::kUpdatedAtKey)).empty());

  // The same update again changes nothing.
  const IndexingReport again = update_index(dir, {change});
  CHECK(again.added == 0);
  CHECK(again.replaced == 0);
  CHECK(again.unchanged == 4);
  CHECK(again.documents == 5);
}

TEST_CASE("An update refuses an index of another schema version and leaves it as it was",
          "[indexing][update]") {
  const TempDir tmp;
  const std::string dir = tmp / "idx";
  const std::string base = tmp / "base.jsonl";
  const std::string change = tmp / "change.jsonl";
  write_file(base, records({sample_record("a"), sample_record("b")}));
  build_index(dir, {base});
  set_schema_version(dir, "1");
  write_file(change, records({sample_record("c"), titled("a", "Ny rubrik för a")}));
  try {
    update_index(dir, {change});
    FAIL("the update went through");
  } catch (const IndexError& e) {
    CHECK(contains(e.what(), "schema version \"1\""));
    CHECK(contains(e.what(), "rebuild"));
  }
  CHECK(doc_count(dir) == 2);
  CHECK(data_of(dir, "a")["title"] == sample_record("a")["title"]);
  CHECK(Xapian::Database(dir).get_metadata(std::string(schema::kVersionKey)) == "1");
}

TEST_CASE("A build replaces an index of another schema version", "[indexing][build]") {
  const TempDir tmp;
  const std::string dir = tmp / "idx";
  const std::string base = tmp / "base.jsonl";
  write_file(base, records({sample_record("a"), sample_record("b")}));
  build_index(dir, {base});
  set_schema_version(dir, "1");
  write_file(base, records({sample_record("a"), sample_record("b"), sample_record("c")}));
  const IndexingReport report = build_index(dir, {base});
  CHECK(report.added == 3);
  CHECK(doc_count(dir) == 3);
  CHECK(Xapian::Database(dir).get_metadata(std::string(schema::kVersionKey)) ==
        std::to_string(schema::kVersion));
  CHECK(check_index(dir).empty());
}

TEST_CASE("An update of a folder with no index creates one", "[indexing][update]") {
  const TempDir tmp;
  const std::string dir = tmp / "new/idx";
  const std::string source = tmp / "s.jsonl";
  write_file(source, records({sample_record("a"), sample_record("b"), sample_record("c")}));
  const IndexingReport report = update_index(dir, {source});
  CHECK(report.added == 3);
  CHECK(report.documents == 3);
  REQUIRE(fs::exists(fs::path(dir) / "XAPIANDB"));
  CHECK(fs::is_directory(fs::path(dir) / live_build_name(dir)));
  CHECK(doc_count(dir) == 3);
  const Xapian::Database db(dir);
  CHECK(db.get_metadata(std::string(schema::kVersionKey)) == std::to_string(schema::kVersion));
  CHECK(check_index(dir).empty());
}

TEST_CASE("An update reports bad records and indexes the good ones", "[indexing][update]") {
  const TempDir tmp;
  const std::string dir = tmp / "idx";
  copy_index(corpus_index(), dir);
  const std::size_t before = doc_count(dir);
  const std::string source = tmp / "mixed.jsonl";
  json bad = sample_record("bad");
  bad["type"] = "blog";
  write_file(source, jsonl_line(sample_record("new-1")) + "not json\n" + jsonl_line(bad) +
                         jsonl_line(sample_record("new-2")));
  const IndexingReport report = update_index(dir, {source});
  REQUIRE(report.rejected.size() == 2);
  CHECK(report.rejected[0].origin == source + ":2");
  CHECK(report.rejected[1].origin == source + ":3");
  CHECK(report.added == 2);
  CHECK(doc_count(dir) == before + 2);
}

TEST_CASE("A delete removes the articles by id and counts the ids it did not find",
          "[indexing][delete]") {
  const TempDir tmp;
  const std::string dir = tmp / "idx";
  const std::string source = tmp / "s.jsonl";
  write_file(source, records({sample_record("a"), sample_record("b"), sample_record("c")}));
  build_index(dir, {source});
  const IndexingReport report = delete_from_index(dir, {"a", "no-such-id", "c", "a"});
  CHECK(report.deleted == 2);
  CHECK(report.not_found == 2);  // the unknown id, and "a" the second time
  CHECK(report.documents == 1);
  CHECK(doc_count(dir) == 1);
  CHECK(data_of(dir, "a").is_null());
  CHECK(data_of(dir, "c").is_null());
  CHECK_FALSE(data_of(dir, "b").is_null());

  const IndexingReport none = delete_from_index(dir, {});
  CHECK(none.deleted == 0);
  CHECK(none.not_found == 0);
  CHECK(none.documents == 1);
}

TEST_CASE("Deleting, stats and checks on a folder with no index throw IndexError",
          "[indexing][delete]") {
  const TempDir tmp;
  const std::string empty = tmp / "empty";
  fs::create_directories(empty);
  const std::string missing = tmp / "missing";
  for (const std::string& dir : {empty, missing}) {
    CAPTURE(dir);
    CHECK_THROWS_AS(delete_from_index(dir, {"a"}), IndexError);
    CHECK_THROWS_AS(index_stats(dir), IndexError);
    CHECK_THROWS_AS(check_index(dir), IndexError);
    CHECK_FALSE(fs::exists(fs::path(dir) / "XAPIANDB"));
  }
  CHECK_THROWS_WITH(delete_from_index(empty, {"a"}), Catch::Contains("no index"));
}

TEST_CASE("A build with no good record throws IndexError and leaves the live index as it was",
          "[indexing][build]") {
  const TempDir tmp;
  const std::string dir = tmp / "idx";
  copy_index(corpus_index(), dir);
  const std::size_t before = doc_count(dir);
  const std::string build = live_build_name(dir);
  const std::string bad = tmp / "bad.jsonl";
  json no_title = sample_record("x");
  no_title.erase("title");
  write_file(bad, "not json\n" + jsonl_line(no_title) + "\n");

  // Only bad records; only a missing file; no sources at all.
  const int which = GENERATE(0, 1, 2);
  const std::vector<std::string> sources =
      which == 0   ? std::vector<std::string>{bad}
      : which == 1 ? std::vector<std::string>{tmp / "no-such-file.jsonl"}
                   : std::vector<std::string>{};
  CAPTURE(sources);
  CHECK_THROWS_AS(build_index(dir, sources), IndexError);
  CHECK(doc_count(dir) == before);
  CHECK(live_build_name(dir) == build);
  CHECK(build_entries(dir) == std::vector<std::string>{build});
  CHECK(check_index(dir).empty());
}

TEST_CASE("Stats count the corpus per type, language and year", "[indexing][stats]") {
  // What the index should hold, from the articles the sources give.
  RecordingSink sink;
  read_sources({source_path("corpus")}, sink);
  REQUIRE(sink.issues.empty());
  std::map<std::string, std::size_t> per_type, per_language, per_year;
  std::set<std::string> ids;
  DocumentBuilder builder;
  for (const auto& article : sink.articles) {
    ids.insert(article.id);
    ++per_type[std::string(article_type_name(article.type))];
    const Language language =
        article.language != Language::unknown ? article.language : builder.build(article).language;
    ++per_language[std::string(language_code(language))];
    if (article.published) ++per_year[std::to_string(article.published->year)];
  }
  REQUIRE(ids.size() == sink.articles.size());  // the corpus has no duplicate ids

  const IndexStats stats = index_stats(corpus_index());
  CHECK(stats.documents == sink.articles.size());
  CHECK(stats.documents >= 147);
  CHECK(stats.per_type == per_type);
  CHECK(stats.per_language == per_language);
  CHECK(stats.per_year == per_year);
  // The corpus README's own counts: 76 + 12 Swedish and 49 English records.
  CHECK(stats.per_language.at("sv") >= 88);
  CHECK(stats.per_language.at("en") >= 49);
  CHECK(stats.per_type.size() == 4);
  CHECK(stats.schema_version == std::to_string(schema::kVersion));
  CHECK_FALSE(stats.revision.empty());
  CHECK_FALSE(stats.built_at.empty());
  CHECK(stats.updated_at.empty());
  CHECK(fs::path(stats.build).filename() == live_build_name(corpus_index()));
  CHECK(stats.bytes > 0);
  CHECK(stats.spelling_words > 1000);
}

TEST_CASE("A healthy index checks clean", "[indexing][check]") {
  CHECK(check_index(corpus_index()).empty());
}

TEST_CASE("A corrupted live build is reported by the check", "[indexing][check]") {
  // table file, how it is damaged
  auto [file, damage] = GENERATE(table<std::string, std::string>({
      {"postlist.glass", "truncate to half"},
      {"postlist.glass", "overwrite the middle"},
      {"termlist.glass", "overwrite the middle"},
      {"docdata.glass", "truncate to half"},
      {"position.glass", "truncate to nothing"},
      {"iamglass", "remove"},
  }));
  CAPTURE(file, damage);
  const TempDir tmp;
  const std::string dir = tmp / "idx";
  copy_index(corpus_index(), dir);
  const fs::path path = fs::path(dir) / live_build_name(dir) / file;
  REQUIRE(fs::exists(path));
  const auto size = fs::file_size(path);
  if (damage == "truncate to half") {
    REQUIRE(size >= 16384);
    fs::resize_file(path, size / 2);
  } else if (damage == "truncate to nothing") {
    fs::resize_file(path, 0);
  } else if (damage == "remove") {
    fs::remove(path);
  } else {
    REQUIRE(size >= 16384);
    std::fstream out(path, std::ios::in | std::ios::out | std::ios::binary);
    out.seekp(static_cast<std::streamoff>(size / 2 / 8192 * 8192 + 8));
    const std::string garbage(4096, '\xA5');
    out.write(garbage.data(), static_cast<std::streamsize>(garbage.size()));
    REQUIRE(out.good());
  }
  // Either a list of problems or an IndexError; nothing else escapes.
  try {
    const std::vector<std::string> problems = check_index(dir);
    std::string listing;
    for (const auto& problem : problems) listing += problem + "\n";
    INFO(listing);
    CHECK_FALSE(problems.empty());
  } catch (const IndexError& e) {
    SUCCEED("check_index threw IndexError: " << e.what());
  }
}

TEST_CASE("A second writer of the same folder fails with a clear IndexError", "[indexing][lock]") {
  const TempDir tmp;
  const std::string dir = tmp / "idx";
  copy_index(corpus_index(), dir);
  const std::size_t before = doc_count(dir);
  const std::string source = tmp / "s.jsonl";
  write_file(source, records({sample_record("locked-out")}));
  {
    const HeldLock lock((fs::path(dir) / ".lock").string());
    CHECK_THROWS_AS(update_index(dir, {source}), IndexError);
    CHECK_THROWS_WITH(update_index(dir, {source}),
                      Catch::Contains("another process") && Catch::Contains(dir));
    CHECK_THROWS_AS(build_index(dir, {source}), IndexError);
    CHECK_THROWS_AS(delete_from_index(dir, {"locked-out"}), IndexError);
    CHECK(doc_count(dir) == before);
    // Readers are not writers: stats and check still work.
    CHECK(index_stats(dir).documents == before);
  }
  // Once the other writer is gone, writing works.
  const IndexingReport report = update_index(dir, {source});
  CHECK(report.added == 1);
  CHECK(doc_count(dir) == before + 1);
}

TEST_CASE("A lock file left behind without a live process does not block", "[indexing][lock]") {
  const TempDir tmp;
  const std::string dir = tmp / "idx";
  copy_index(corpus_index(), dir);
  const std::size_t before = doc_count(dir);
  write_file(fs::path(dir) / ".lock", "12345\n");
  const std::string source = tmp / "s.jsonl";
  write_file(source, records({sample_record("after-crash")}));
  const IndexingReport report = update_index(dir, {source});
  CHECK(report.added == 1);
  CHECK(doc_count(dir) == before + 1);
  const IndexingReport deleted = delete_from_index(dir, {"after-crash"});
  CHECK(deleted.deleted == 1);
}

TEST_CASE("An index folder that cannot be created throws IndexError", "[indexing][build]") {
  const TempDir tmp;
  write_file(tmp.path() / "file", "a file, not a folder\n");
  const std::string dir = tmp / "file/idx";
  const std::string source = tmp / "s.jsonl";
  write_file(source, records({sample_record("a")}));
  CHECK_THROWS_AS(build_index(dir, {source}), IndexError);
  CHECK_THROWS_AS(update_index(dir, {source}), IndexError);
  CHECK_THROWS_WITH(build_index(tmp / "file", {source}), Catch::Contains("file"));
}

TEST_CASE("Within one build a later record with the same id replaces the earlier one",
          "[indexing][build]") {
  const TempDir tmp;
  const std::string dir = tmp / "idx";
  const std::string first = tmp / "1.jsonl";
  const std::string second = tmp / "2.jsonl";
  std::vector<json> list;
  for (int i = 0; i < 50; ++i) list.push_back(sample_record("filler-" + std::to_string(i)));
  list.insert(list.begin() + 10, titled("dup", "Första versionen"));
  list.push_back(titled("dup", "Andra versionen"));
  write_file(first, records(list));
  write_file(second, records({titled("dup", "Tredje versionen"), titled("x", "Först x")}));

  const unsigned threads = GENERATE(1u, 2u, 4u);
  CAPTURE(threads);
  IndexingOptions options;
  options.threads = threads;
  options.batch_size = 7;
  const IndexingReport within = build_index(dir, {first}, options);
  CHECK(within.documents == 51);
  CHECK(within.added == 51);
  CHECK(within.replaced == 1);
  CHECK(data_of(dir, "dup")["title"] == "Andra versionen");

  const IndexingReport across = build_index(dir, {first, second}, options);
  CHECK(across.documents == 52);
  CHECK(data_of(dir, "dup")["title"] == "Tredje versionen");
  CHECK(check_index(dir).empty());
}

TEST_CASE("A word counts towards the spelling list over all the articles of a build",
          "[indexing][build][spelling]") {
  const TempDir tmp;
  const std::string dir = tmp / "idx";
  const std::string source = tmp / "a.jsonl";
  // "pipettrobotarna" once in each of five articles, which a build spreads
  // over the shards it writes in parallel;
  // "centrifugrummet" once in one article only: a rare word counts too.
  std::vector<json> list;
  for (int i = 0; i < 5; ++i) {
    json record = sample_record("robot-" + std::to_string(i));
    record["body"] = "Labbet fick pipettrobotarna i mars, nummer " + std::to_string(i) + ".";
    list.push_back(record);
  }
  list[0]["summary"] = "Vi flyttar in i centrifugrummet.";
  write_file(source, records(list));

  const unsigned threads = GENERATE(1u, 2u, 4u);
  CAPTURE(threads);
  IndexingOptions options;
  options.threads = threads;
  build_index(dir, {source}, options);
  const Xapian::Database db(dir);
  CHECK(spelling_frequency(
            db, schema::spelling_entry("pipettrobotarna", schema::kSwedishSpelling)) == 5);
  CHECK(spelling_frequency(
            db, schema::spelling_entry("centrifugrummet", schema::kSwedishSpelling)) == 1);
  CHECK(check_index(dir).empty());
}

TEST_CASE("The spelling list marks each word with its article's language", "[indexing][spelling]") {
  const TempDir tmp;
  const std::string dir = tmp / "idx";
  const std::string source = tmp / "a.jsonl";
  json swedish = sample_record("sv-1");
  swedish["lang"] = "sv";
  swedish["body"] = "Labbet fick pipettrobotarna i mars.";
  json english = sample_record("en-1");
  english["lang"] = "en";
  english["body"] = "The lab received the centrifuges in March.";
  write_file(source, records({swedish, english}));
  build_index(dir, {source});
  const Xapian::Database db(dir);
  using schema::kEnglishSpelling;
  using schema::kSwedishSpelling;
  using schema::spelling_entry;
  CHECK(spelling_frequency(db, spelling_entry("pipettrobotarna", kSwedishSpelling)) == 1);
  CHECK(spelling_frequency(db, spelling_entry("pipettrobotarna", kEnglishSpelling)) == 0);
  CHECK(spelling_frequency(db, spelling_entry("centrifuges", kEnglishSpelling)) == 1);
  CHECK(spelling_frequency(db, spelling_entry("centrifuges", kSwedishSpelling)) == 0);
  for (auto it = db.spellings_begin(); it != db.spellings_end(); ++it) {
    CAPTURE(*it);
    CHECK(schema::spelling_mark(*it) != 0);
  }
}

TEST_CASE("Articles published one at a time add their words to the spelling list as a build does",
          "[indexing][update][spelling]") {
  const TempDir tmp;
  const std::string dir = tmp / "idx";
  build_index(dir, {source_path("corpus/wordpress")});
  // "kronrensning" once in each of two articles, each an update of its own.
  for (const std::string id : {"pruning-1", "pruning-2"}) {
    json record = sample_record(id);
    record["body"] = "Parkens lindar fick en kronrensning i mars.";
    const std::string change = tmp / (id + ".jsonl");
    write_file(change, records({record}));
    update_index(dir, {change});
  }
  const Xapian::Database db(dir);
  CHECK(spelling_frequency(db, schema::spelling_entry("kronrensning", schema::kSwedishSpelling)) ==
        2);
  CHECK(check_index(dir).empty());
}

TEST_CASE("Two records of one page are both indexed and the later one is warned of", "[indexing]") {
  const TempDir tmp;
  const std::string dir = tmp / "idx";
  const std::string source = tmp / "s.jsonl";
  json moved = sample_record("moved");
  moved["url"] = "https://www.flemingsberg-science.se/nyheter/2024/original";  // the same page
  const std::vector<json> list = {sample_record("original"), sample_record("other"), moved,
                                  sample_record("original")};
  write_file(source, records(list));
  const std::string seed = tmp / "seed.jsonl";
  write_file(seed, records({sample_record("seed")}));

  const std::string way = GENERATE(as<std::string>{}, "build", "build in 2 shards", "update",
                                   "update of 2 shards", "posted articles");
  CAPTURE(way);
  IndexingOptions options;
  options.threads = 2;
  options.shards = contains(way, "2 shards") ? 2 : 1;
  IndexingReport report;
  if (contains(way, "build")) {
    report = build_index(dir, {source}, options);
  } else {
    build_index(dir, {seed}, options);
    if (contains(way, "update")) {
      report = update_index(dir, {source});
    } else {
      std::vector<Article> articles;
      for (const json& record : list)
        articles.push_back(*article_from_json(record, "posted").article);
      report = update_articles(dir, articles);
    }
  }
  CHECK(report.rejected.empty());
  CHECK(report.documents == (contains(way, "build") ? 3 : 4));
  REQUIRE(report.warnings.size() == 1);
  CHECK(report.warnings[0].origin == (way == "posted articles" ? "posted" : source + ":3"));
  CHECK(contains(report.warnings[0].message, "is also article \"original\""));
}

TEST_CASE("Within one update a later record with the same id replaces the earlier one",
          "[indexing][update]") {
  const TempDir tmp;
  const std::string dir = tmp / "idx";
  const std::string source = tmp / "s.jsonl";
  write_file(source, records({titled("dup", "Ett"), sample_record("other"), titled("dup", "Två")}));
  const IndexingReport report = update_index(dir, {source});
  CHECK(report.documents == 2);
  CHECK(data_of(dir, "dup")["title"] == "Två");
}

TEST_CASE("Progress is reported with increasing counts up to the sources' size",
          "[indexing][progress]") {
  const TempDir tmp;
  const std::string dir = tmp / "idx";
  std::vector<IndexingProgress> reports;
  IndexingOptions options;
  options.on_progress = [&reports](const IndexingProgress& p) { reports.push_back(p); };
  const std::vector<std::string> sources = {source_path("corpus")};
  build_index(dir, sources, options);
  REQUIRE_FALSE(reports.empty());
  for (std::size_t i = 1; i < reports.size(); ++i) {
    CHECK(reports[i].documents >= reports[i - 1].documents);
    CHECK(reports[i].bytes_read >= reports[i - 1].bytes_read);
    CHECK(reports[i].seconds >= reports[i - 1].seconds);
  }
  CHECK(reports.back().bytes_total == source_bytes(sources));
  CHECK(reports.back().bytes_read == reports.back().bytes_total);
  CHECK(reports.back().documents == doc_count(dir));
}

// Regression (was a bug): article_from_html() (html_page.cc) takes the canonical URL (or the
// file path) as the id without the 200-byte limit that JSON records get, so
// the id term "Q<url>" goes over Xapian's 245-byte term limit: the whole
// build (or update) fails with "cannot write the new build ... Term too
// long" instead of rejecting or indexing that one page.
TEST_CASE("A page with a canonical URL too long for a term does not stop the build",
          "[indexing][build]") {
  const TempDir tmp;
  const std::string dir = tmp / "idx";
  const std::string good = tmp / "good.jsonl";
  const std::string page = tmp / "long.html";
  write_file(good, records({sample_record("a"), sample_record("b")}));
  const std::string url =
      "https://flemingsberg-science.se/nyheter/2024/" + std::string(300, 'x') + "/";
  write_file(page, "<html lang=\"sv\"><head><link rel=\"canonical\" href=\"" + url +
                       "\"></head><body><main><h1>Lång adress</h1><p>Text.</p></main></body>"
                       "</html>");
  IndexingReport report;
  REQUIRE_NOTHROW(report = build_index(dir, {good, page}));
  CHECK(doc_count(dir) >= 2);
  CHECK(report.added + report.rejected.size() == 3);
  REQUIRE_NOTHROW(report = update_index(dir, {page}));
  CHECK(doc_count(dir) >= 2);
}

}  // namespace sok::test
