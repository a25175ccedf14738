// Sharded indexes: the hash that routes an id to its shard (a contract),
// `build --shards N` and the layout it writes, updates and deletes that
// reach the right shard, stats and check over the shards, and a search of a
// sharded folder that answers as one index of the same articles does.

#include <xapian.h>
#include <catch2/catch.hpp>

#include <cstdint>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "sok/index/indexing.h"
#include "sok/index/schema.h"
#include "sok/index/searcher.h"
#include "sok/index/shards.h"
#include "support.h"

namespace sok::test {
namespace {

namespace fs = std::filesystem;

// The folders under `dir` that hold a Xapian glass database.
std::vector<std::string> glass_databases(const std::string& dir) {
  std::vector<std::string> out;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (entry.path().filename() == "iamglass") out.push_back(entry.path().parent_path().string());
  }
  return out;
}

std::set<std::string> ids_in(const std::string& dir) {
  const Xapian::Database db(dir);
  std::set<std::string> ids;
  const std::string prefix(schema::kIdPrefix);
  for (auto it = db.allterms_begin(prefix); it != db.allterms_end(prefix); ++it)
    ids.insert((*it).substr(prefix.size()));
  return ids;
}

std::string sharded_corpus(const TempDir& scratch, std::size_t shards) {
  const std::string dir = scratch / "sharded";
  IndexingOptions options;
  options.shards = shards;
  build_index(dir, {source_path("corpus")}, options);
  return dir;
}

TEST_CASE("FNV-1a 64 gives the published test vectors", "[shards]") {
  struct Case {
    const char* bytes;
    std::uint64_t hash;
  };
  const Case cases[] = {
      {"", 0xcbf29ce484222325ull},
      {"a", 0xaf63dc4c8601ec8cull},
      {"foobar", 0x85944171f73967e8ull},
  };
  for (const auto& c : cases) {
    INFO("\"" << c.bytes << "\"");
    CHECK(fnv1a_64(c.bytes) == c.hash);
  }
}

TEST_CASE("An id goes to the shard its FNV-1a hash gives, modulo the shard count", "[shards]") {
  struct Case {
    const char* id;
    std::size_t shards;
    std::size_t shard;
  };
  // 0xaf63dc4c8601ec8c = 12638187200555641996; 0x85944171f73967e8 = 9625390261332436968.
  const Case cases[] = {
      {"a", 1, 0},
      {"a", 2, 0},
      {"a", 3, 12638187200555641996ull % 3},
      {"a", 7, 12638187200555641996ull % 7},
      {"foobar", 3, 9625390261332436968ull % 3},
      {"foobar", 256, 0xe8},  // the low byte, for a power of two
      {"", 10, 0xcbf29ce484222325ull % 10},
  };
  for (const auto& c : cases) {
    INFO(c.id << " of " << c.shards);
    CHECK(shard_of(c.id, c.shards) == c.shard);
  }
}

TEST_CASE("A sharded build puts every article in the shard its id hashes to, and nowhere else",
          "[shards]") {
  TempDir scratch;
  const std::string dir = sharded_corpus(scratch, 3);
  const auto shards = shard_dirs(dir);
  REQUIRE(shards.size() == 3);
  CHECK(glass_databases(dir).size() == 3);
  std::size_t total = 0;
  for (std::size_t i = 0; i < shards.size(); ++i) {
    const Xapian::Database db(shards[i]);
    CHECK(db.get_metadata(std::string(kShardKey)) == std::to_string(i) + "/3");
    for (const auto& id : ids_in(shards[i])) {
      INFO(id);
      CHECK(shard_of(id, 3) == i);
    }
    total += db.get_doccount();
  }
  CHECK(total == doc_count(corpus_index()));
  CHECK(Xapian::Database(dir).get_doccount() == total);  // the stub lists every shard
  CHECK(check_index(dir).empty());
  const IndexStats stats = index_stats(dir);
  CHECK(stats.documents == total);
  CHECK(stats.shard_documents.size() == 3);
}

TEST_CASE("Update and delete on a sharded index change only the article's shard", "[shards]") {
  TempDir scratch;
  const std::string dir = sharded_corpus(scratch, 3);
  const auto shards = shard_dirs(dir);
  const std::size_t before = doc_count(corpus_index());
  write_file(scratch / "new.jsonl", jsonl_line(sample_record("shard-routing-a")) +
                                        jsonl_line(sample_record("shard-routing-b")));
  const IndexingReport added = update_index(dir, {scratch / "new.jsonl"});
  CHECK(added.added == 2);
  CHECK(added.documents == before + 2);
  for (const std::string id : {"shard-routing-a", "shard-routing-b"}) {
    for (std::size_t i = 0; i < shards.size(); ++i) {
      INFO(id << " in shard " << i);
      CHECK(ids_in(shards[i]).count(id) == (shard_of(id, 3) == i ? 1u : 0u));
    }
  }
  const IndexingReport deleted = delete_from_index(dir, {"shard-routing-a", "no-such-id"});
  CHECK(deleted.deleted == 1);
  CHECK(deleted.not_found == 1);
  CHECK(ids_in(shards[shard_of("shard-routing-a", 3)]).count("shard-routing-a") == 0);
  CHECK(doc_count(dir) == before + 1);
  CHECK(check_index(dir).empty());
  CHECK(glass_databases(dir).size() == 3);
}

TEST_CASE("A rebuild keeps a sharded index's shard count unless told another", "[shards]") {
  TempDir scratch;
  const std::string dir = sharded_corpus(scratch, 3);
  build_index(dir, {source_path("corpus")});
  CHECK(shard_dirs(dir).size() == 3);
  IndexingOptions two;
  two.shards = 2;
  build_index(dir, {source_path("corpus")}, two);
  CHECK(shard_dirs(dir).size() == 2);
  CHECK_FALSE(fs::exists(fs::path(dir) / "shard-2"));
  IndexingOptions one;
  one.shards = 1;
  build_index(dir, {source_path("corpus")}, one);
  CHECK(shard_dirs(dir).empty());
  CHECK_FALSE(fs::exists(fs::path(dir) / "shard-0"));
  CHECK(doc_count(dir) == doc_count(corpus_index()));
  CHECK(check_index(dir).empty());
}

TEST_CASE("A sharded folder searches like one index of the same articles", "[shards][searcher]") {
  TempDir scratch;
  const std::string dir = sharded_corpus(scratch, 3);
  Searcher one(corpus_index());
  Searcher three(dir);
  for (const std::string query :
       {"forskning", "cellterapi", "Flemingsberg", "vaccin OR genterapi", ""}) {
    INFO(query);
    SearchRequest request;
    request.query = query;
    request.facets = {"type", "lang", "year", "tag", "partner"};
    const SearchResponse a = one.search(request);
    const SearchResponse b = three.search(request);
    CHECK(b.shards == 3);
    CHECK(b.shards_failed == 0);
    CHECK(a.total == b.total);
    REQUIRE(a.hits.size() == b.hits.size());
    for (std::size_t i = 0; i < a.hits.size(); ++i)
      CHECK(a.hits[i].score == Approx(b.hits[i].score));
    REQUIRE(a.facets.size() == b.facets.size());
    for (std::size_t f = 0; f < a.facets.size(); ++f) {
      std::map<std::string, std::size_t> counts_a, counts_b;
      for (const auto& c : a.facets[f].second) counts_a[c.value] = c.count;
      for (const auto& c : b.facets[f].second) counts_b[c.value] = c.count;
      CHECK(counts_a == counts_b);
    }
  }
}

TEST_CASE("indexer build --shards refuses a shard count outside 1 to 256", "[shards][cli]") {
  TempDir scratch;
  for (const std::string count : {"0", "257", "three"}) {
    INFO(count);
    const CommandResult r = run_indexer(
        {"build", source_path("corpus"), "--index", scratch / "index", "--shards", count});
    CHECK(r.exit_code == 2);
    CHECK(contains(r.err, "--shards"));
  }
}

TEST_CASE("indexer stats and check read a sharded index folder", "[shards][cli]") {
  TempDir scratch;
  const std::string dir = scratch / "index";
  REQUIRE(
      run_indexer({"build", source_path("corpus"), "--index", dir, "--shards", "3"}).exit_code ==
      0);
  const CommandResult stats = run_indexer({"stats", "--index", dir});
  CHECK(stats.exit_code == 0);
  CHECK(contains(stats.out, "shards         3"));
  const CommandResult check = run_indexer({"check", "--index", dir});
  CHECK(check.exit_code == 0);
  CHECK(contains(check.out, "healthy"));
}

}  // namespace
}  // namespace sok::test
