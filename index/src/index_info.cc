// indexer stats and indexer check: reading the live index.
#include <xapian.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "index_folder.h"
#include "sok/index/index_error.h"
#include "sok/index/indexing.h"
#include "sok/index/schema.h"
#include "sok/index/shards.h"

namespace sok {
namespace {

namespace fs = std::filesystem;

// The live build of `dir`; throws IndexError when there is none.
std::string live_build_of(const std::string& dir) {
  std::string build = IndexFolder::live_build_of(dir);
  if (build.empty()) throw IndexError("there is no index in " + dir + " (no XAPIANDB stub in it)");
  return build;
}

Xapian::Database open_live(const std::string& dir) {
  const std::string build = live_build_of(dir);
  try {
    return Xapian::Database(build);
  } catch (const Xapian::Error& e) {
    throw IndexError("cannot open the index " + build + ": " + e.get_description());
  }
}

void count_values(const Xapian::Database& db, Xapian::valueno slot,
                  std::map<std::string, std::size_t>& counts) {
  for (auto it = db.valuestream_begin(slot); it != db.valuestream_end(slot); ++it) ++counts[*it];
}

std::size_t folder_bytes(const std::string& path) {
  std::size_t total = 0;
  std::error_code error;
  for (const auto& entry : fs::recursive_directory_iterator(path, error)) {
    if (entry.is_regular_file(error)) total += entry.file_size(error);
  }
  return total;
}

}  // namespace

namespace {

// index_stats() of a sharded index: the sum of its shards' (one revision,
// build and time each, joined by commas in shard order).
IndexStats sharded_stats(const std::vector<std::string>& shards) {
  IndexStats total;
  for (const auto& shard : shards) {
    const IndexStats s = index_stats(shard);
    auto add = [](std::map<std::string, std::size_t>& to,
                  const std::map<std::string, std::size_t>& from) {
      for (const auto& [key, count] : from) to[key] += count;
    };
    auto join = [](std::string& to, const std::string& part) {
      to += (to.empty() ? "" : ",") + part;
    };
    total.documents += s.documents;
    total.shard_documents.push_back(s.documents);
    add(total.per_type, s.per_type);
    add(total.per_language, s.per_language);
    add(total.per_year, s.per_year);
    join(total.revision, s.revision);
    join(total.build, s.build);
    total.bytes += s.bytes;
    total.spelling_words += s.spelling_words;
    total.schema_version = s.schema_version;
    total.built_at = std::max(total.built_at, s.built_at);
    total.updated_at = std::max(total.updated_at, s.updated_at);
  }
  return total;
}

// check_index() of each shard, and that it is the shard its metadata says
// and holds only articles whose ids hash to it.
std::vector<std::string> check_shards(const std::vector<std::string>& shards) {
  std::vector<std::string> problems;
  for (std::size_t i = 0; i < shards.size(); ++i) {
    const std::string name = "shard " + std::to_string(i) + ": ";
    for (const auto& problem : check_index(shards[i])) problems.push_back(name + problem);
    const Xapian::Database db = open_live(shards[i]);
    const std::string expected = std::to_string(i) + "/" + std::to_string(shards.size());
    const std::string recorded = db.get_metadata(std::string(kShardKey));
    if (recorded != expected) {
      problems.push_back(name + "its metadata says shard \"" + recorded + "\", not " + expected);
    }
    const std::string prefix(schema::kIdPrefix);
    for (auto it = db.allterms_begin(prefix); it != db.allterms_end(prefix); ++it) {
      const std::string id = (*it).substr(prefix.size());
      if (shard_of(id, shards.size()) != i) {
        problems.push_back(name + "holds \"" + id + "\", whose id hashes to shard " +
                           std::to_string(shard_of(id, shards.size())));
      }
    }
  }
  return problems;
}

}  // namespace

IndexStats index_stats(const std::string& dir) {
  if (const auto shards = shard_dirs(dir); !shards.empty()) return sharded_stats(shards);
  const Xapian::Database db = open_live(dir);
  IndexStats stats;
  try {
    stats.documents = db.get_doccount();
    count_values(db, schema::kTypeSlot, stats.per_type);
    count_values(db, schema::kLanguageSlot, stats.per_language);
    count_values(db, schema::kYearSlot, stats.per_year);
    stats.revision = std::to_string(db.get_revision());
    stats.schema_version = db.get_metadata(std::string(schema::kVersionKey));
    stats.built_at = db.get_metadata(std::string(schema::kBuiltAtKey));
    stats.updated_at = db.get_metadata(std::string(schema::kUpdatedAtKey));
    for (auto it = db.spellings_begin(); it != db.spellings_end(); ++it) ++stats.spelling_words;
  } catch (const Xapian::Error& e) {
    throw IndexError("cannot read the index " + dir + ": " + e.get_description());
  }
  stats.build = live_build_of(dir);
  stats.bytes = folder_bytes(stats.build);
  return stats;
}

std::vector<std::string> check_index(const std::string& dir) {
  if (const auto shards = shard_dirs(dir); !shards.empty()) return check_shards(shards);
  const std::string build = live_build_of(dir);
  std::vector<std::string> problems;
  std::ostringstream xapian_report;
  try {
    const std::size_t errors =
        Xapian::Database::check(build, Xapian::DBCHECK_SHORT_TREE, &xapian_report);
    if (errors > 0)
      problems.push_back("Xapian finds " + std::to_string(errors) +
                         " errors: " + xapian_report.str());
  } catch (const Xapian::Error& e) {
    problems.push_back("Xapian cannot check " + build + ": " + e.get_description());
    return problems;
  }
  const Xapian::Database db = open_live(dir);
  const std::string version = db.get_metadata(std::string(schema::kVersionKey));
  if (version != std::to_string(schema::kVersion)) {
    problems.push_back("schema version is \"" + version + "\", this indexer writes " +
                       std::to_string(schema::kVersion));
  }
  for (auto it = db.postlist_begin(""); it != db.postlist_end(""); ++it) {
    const Xapian::Document doc = db.get_document(*it);
    auto term = doc.termlist_begin();
    term.skip_to(std::string(schema::kIdPrefix));
    if (term == doc.termlist_end() || (*term).rfind(std::string(schema::kIdPrefix), 0) != 0) {
      problems.push_back("document " + std::to_string(*it) + " has no id term");
    }
    if (!nlohmann::json::accept(doc.get_data())) {
      problems.push_back("document " + std::to_string(*it) + " has document data that is not JSON");
    }
  }
  return problems;
}

}  // namespace sok
