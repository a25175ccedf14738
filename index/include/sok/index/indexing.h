#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "sok/index/sources.h"
#include "sok/stemming/analyzer.h"

namespace sok {

struct IndexingProgress {
  std::size_t documents = 0;    // articles read so far (good and bad)
  std::size_t bytes_read = 0;   // of the sources
  std::size_t bytes_total = 0;  // of all sources, 0 when unknown
  double seconds = 0;           // since the start
};

struct IndexingOptions {
  AnalyzerOptions analyzer;
  SourceLimits limits;
  // Documents a shard writes between commits: bounds the writer's memory on
  // large builds (Xapian keeps a batch's postings in memory until it
  // commits). Small batches were fastest here: 1,000 against 20,000 a third
  // faster; 250 against 1,000 about 5% on Reuters (the help level), with 10%
  // less memory; 100 no faster.
  std::size_t batch_size = 250;
  // Shards a build writes at once, one thread each, merged when complete
  // (Xapian's compaction); 0 for one per processor core.
  unsigned threads = 0;
  // build: the shards of the index (sok/index/shards.h), 1 to kMaxShards;
  // 0 keeps the layout the index folder has (1 for a new one). Update and
  // delete follow the folder's layout whatever this says.
  std::size_t shards = 0;
  // Called now and then from the writing thread.
  std::function<void(const IndexingProgress&)> on_progress;
  // How long to wait for another writer of the index folder (its .lock) to
  // finish before giving up with IndexError; 0 gives up at once.
  std::chrono::milliseconds lock_wait{0};
};

// What an indexer run did.
struct IndexingReport {
  std::size_t added = 0;
  std::size_t replaced = 0;
  std::size_t unchanged = 0;  // same content hash as the indexed article: skipped
  std::size_t deleted = 0;
  std::size_t not_found = 0;          // delete: ids not in the index
  std::vector<SourceIssue> rejected;  // bad records, in source order
  // Indexed, but worth a look: a record whose URL is the page of another
  // record of the same run (searches show a page once, from the record
  // updated most recently). In source order.
  std::vector<SourceIssue> warnings;
  std::size_t documents = 0;  // in the index afterwards
  double seconds = 0;
};

// Builds a new index of `sources` in a fresh build folder inside `dir` and
// makes it live at once when it is complete; the previous index serves until
// then. Bad records are reported and skipped. Throws IndexError when the
// index cannot be written; the live index is then untouched. With
// options.shards ≥ 2 (or a sharded `dir` and 0) each shard gets a new build
// and the shards go live one after the other.
IndexingReport build_index(const std::string& dir, const std::vector<std::string>& sources,
                           const IndexingOptions& options = {});

// Adds the articles of `sources` to the live index, replacing by id and
// skipping unchanged ones, in one commit: readers see all or none of it
// (of a sharded index: one commit per shard, each article in its shard).
// Creates the index when `dir` has none. Throws IndexError as build_index().
IndexingReport update_index(const std::string& dir, const std::vector<std::string>& sources,
                            const IndexingOptions& options = {});

// update_index() for articles already read (records posted to searchd's
// admin API): added or replaced by id, unchanged ones skipped, in one commit.
IndexingReport update_articles(const std::string& dir, const std::vector<Article>& articles,
                               const IndexingOptions& options = {});

// Deletes the articles with these ids from the live index, in one commit.
// Only options.lock_wait is used.
IndexingReport delete_from_index(const std::string& dir, const std::vector<std::string>& ids,
                                 const IndexingOptions& options = {});

struct IndexStats {
  std::size_t documents = 0;
  std::map<std::string, std::size_t> per_type;
  std::map<std::string, std::size_t> per_language;
  std::map<std::string, std::size_t> per_year;
  std::string revision;  // Xapian revision of the live build
  std::string schema_version;
  std::string built_at;
  std::string updated_at;
  std::string build;      // the live build's folder
  std::size_t bytes = 0;  // on disk, the live build
  std::size_t spelling_words = 0;
  std::vector<std::size_t> shard_documents;  // per shard of a sharded index; empty otherwise
};

// Reads `dir`'s live index. Throws IndexError when there is none or it
// cannot be opened.
IndexStats index_stats(const std::string& dir);

// Checks the live index: Xapian's own consistency check of every table,
// plus the schema version and that every document has its id term and
// document data. Returns the problems found (empty when healthy). Throws
// IndexError when there is no index to check.
std::vector<std::string> check_index(const std::string& dir);

// The time now in UTC, ISO 8601 to the second ("2026-11-27T21:03:36Z"), as
// the index's metadata records it.
std::string utc_now();

}  // namespace sok
