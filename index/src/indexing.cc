#include "sok/index/indexing.h"

#include <xapian.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <ctime>
#include <exception>
#include <filesystem>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>

#include "bounded_queue.h"
#include "index_folder.h"
#include "sok/index/document_builder.h"
#include "sok/index/index_error.h"
#include "sok/index/schema.h"
#include "sok/index/shards.h"
#include "writer.h"

namespace sok {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

constexpr std::size_t kQueueDepth = 256;
constexpr auto kProgressInterval = std::chrono::milliseconds(200);

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

std::string joined_paths(const std::vector<std::string>& paths) {
  std::string out;
  for (const auto& path : paths) out += (out.empty() ? "" : " ") + path;
  return out;
}

std::string describe(const Xapian::Error& e) {
  return e.get_type() + std::string(": ") + e.get_msg();
}

void remove_quietly(const std::string& path) {
  std::error_code ignored;
  fs::remove_all(path, ignored);
}

// Progress shared between the reading thread and the reporting one.
struct SharedProgress {
  std::atomic<std::size_t> documents{0};
  std::atomic<std::size_t> bytes_read{0};

  IndexingProgress snapshot(std::size_t bytes_total, Clock::time_point start) const {
    return {documents.load(), bytes_read.load(), bytes_total, seconds_since(start)};
  }
};

// The pages of the articles read in one run, to warn of a page given by
// two records with different ids (a page moved to another id, or copied).
class PagesSeen {
 public:
  void note(const Article& article, IndexingReport& report) {
    if (article.url.empty()) return;
    const auto [seen, first] = id_by_page_.try_emplace(fnv1a_64(page_key(article.url)), article.id);
    if (first || seen->second == article.id) return;
    report.warnings.push_back(
        {article.origin, "the page " + article.url + " is also article \"" + seen->second +
                             "\": searches show one of them, the one updated most recently"});
  }

 private:
  std::unordered_map<std::uint64_t, std::string> id_by_page_;  // fnv1a_64(page_key()) → id
};

// Reads the sources in the calling thread and hands each article to
// `route`; issues go straight into the report (only this thread writes it).
class ReadingSink : public ArticleSink {
 public:
  ReadingSink(std::function<bool(Article&&)> route, IndexingReport& report,
              SharedProgress& progress)
      : route_(std::move(route)), report_(report), progress_(progress) {}
  void accept(Article article) override {
    ++progress_.documents;
    pages_.note(article, report_);
    route_(std::move(article));
  }
  void reject(SourceIssue issue) override {
    ++progress_.documents;
    report_.rejected.push_back(std::move(issue));
  }
  void progress(std::size_t bytes_read) override { progress_.bytes_read = bytes_read; }

 private:
  std::function<bool(Article&&)> route_;
  IndexingReport& report_;
  SharedProgress& progress_;
  PagesSeen pages_;
};

// An article on its way to a shard. `repeated`: an article with the same id
// (or, rarely, another id of the same 64-bit hash) went to this shard
// before in this build, so the shard must look the id up before adding.
struct RoutedArticle {
  Article article;
  bool repeated = false;
};

// One worker per shard: analyses what its queue brings and writes it.
struct ShardWorker {
  BoundedQueue<RoutedArticle> queue{kQueueDepth};
  IndexingReport report;
  std::exception_ptr failure;
  std::thread thread;
  std::optional<Xapian::WritableDatabase> db;
  SpellingCounts spellings;  // taken out for write_spellings()

  // Writes the articles; with `spellings_later` leaves the database open
  // and the spelling words in `spellings`.
  void write_articles(const std::string& path, const IndexingOptions& options,
                      BoundedQueue<RoutedArticle>* const* all, unsigned n, bool spellings_later) {
    try {
      // A shard is scratch until compaction: no fsync, no copy-on-write.
      db.emplace(path, Xapian::DB_CREATE | Xapian::DB_BACKEND_GLASS | Xapian::DB_NO_SYNC |
                           Xapian::DB_DANGEROUS);
      DocumentBuilder builder(options.analyzer);
      Writer writer(*db, /*fresh=*/true, options.batch_size, report);
      while (auto routed = queue.pop()) {
        IndexedDocument doc = builder.build(routed->article);
        writer.write(doc, /*may_exist=*/routed->repeated);
      }
      if (spellings_later) {
        spellings = writer.flush_documents();
        return;
      }
      writer.flush(/*commit=*/true);
      db->close();
    } catch (...) {
      failure = std::current_exception();
      for (unsigned i = 0; i < n; ++i) all[i]->close();  // stops the reader and the other shards
    }
  }

  void write_spellings(const SpellingCounts& words) {
    try {
      add_spellings(*db, words);
      db->commit();
      db->close();
    } catch (...) {
      failure = std::current_exception();
    }
  }
};

void rethrow_failure(const std::vector<std::unique_ptr<ShardWorker>>& workers) {
  for (const auto& worker : workers) {
    if (worker->failure) std::rethrow_exception(worker->failure);
  }
}

// Shards merged into one index need each spelling word written only once:
// the words of all shards are counted together and dealt out to them, which
// write their part in parallel.
void write_dealt_spellings(std::vector<std::unique_ptr<ShardWorker>>& workers) {
  SpellingCounts all = std::move(workers.front()->spellings);
  for (std::size_t i = 1; i < workers.size(); ++i) all.add(workers[i]->spellings);
  const std::vector<SpellingCounts> parts = all.dealt(workers.size());
  for (std::size_t i = 0; i < workers.size(); ++i) {
    workers[i]->thread = std::thread([&, i] { workers[i]->write_spellings(parts[i]); });
  }
  for (auto& worker : workers) worker->thread.join();
  rethrow_failure(workers);
}

unsigned shard_count(const IndexingOptions& options) {
  const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  return std::clamp(options.threads == 0 ? cores : options.threads, 1u, 16u);
}

// A flag one thread raises and another waits for, with a time limit.
class Signal {
 public:
  void raise() {
    {
      std::lock_guard lock(mutex_);
      raised_ = true;
    }
    changed_.notify_all();
  }
  // True once raised; waits at most `limit` for it.
  bool wait_for(std::chrono::milliseconds limit) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, limit, [&] { return raised_; });
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  bool raised_ = false;
};

// Reports progress every kProgressInterval until `done` is raised, and once
// more then.
void report_progress_until(Signal& done, const IndexingOptions& options,
                           const SharedProgress& progress, std::size_t bytes_total,
                           Clock::time_point start) {
  while (!done.wait_for(kProgressInterval)) {
    if (options.on_progress) options.on_progress(progress.snapshot(bytes_total, start));
  }
  if (options.on_progress) options.on_progress(progress.snapshot(bytes_total, start));
}

// The shard with the fewest articles waiting: the one that is ahead.
unsigned least_busy(const std::vector<BoundedQueue<RoutedArticle>*>& queues) {
  unsigned best = 0;
  std::size_t fewest = queues[0]->size();
  for (unsigned i = 1; i < queues.size() && fewest > 0; ++i) {
    if (const std::size_t waiting = queues[i]->size(); waiting < fewest) {
      fewest = waiting;
      best = i;
    }
  }
  return best;
}

// Sends each article to a shard, the same shard for every article of one
// id, so a later record with the same id replaces the earlier one there.
// `merged` (the shards are compacted into one index): a new id goes to the
// shard that is ahead, so no shard waits for a slower one; otherwise to the
// shard its id hashes to (shard_of()), which is where a sharded index keeps it.
class ArticleRouter {
 public:
  ArticleRouter(std::vector<BoundedQueue<RoutedArticle>*> queues, bool merged)
      : queues_(std::move(queues)), merged_(merged) {}

  // False once the shards have stopped (one of them failed).
  bool send(Article&& article) {
    const std::uint64_t key = fnv1a_64(article.id);
    const auto [route, first] = shard_by_key_.try_emplace(key, 0u);
    if (first) {
      route->second = merged_ ? least_busy(queues_)
                              : static_cast<unsigned>(shard_of(article.id, queues_.size()));
    }
    return queues_[route->second]->push({std::move(article), !first});
  }

 private:
  std::vector<BoundedQueue<RoutedArticle>*> queues_;
  bool merged_;
  std::unordered_map<std::uint64_t, unsigned> shard_by_key_;  // fnv1a_64(id) → shard
};

// Writes the articles of `sources` into one shard per path, in parallel, as
// ArticleRouter sends them. `merged`: the shards are to be compacted into
// one index, so each spelling word goes into one of them only.
IndexingReport write_shards(const std::vector<std::string>& sources,
                            const std::vector<std::string>& shards, const IndexingOptions& options,
                            bool merged) {
  const auto start = Clock::now();
  const unsigned n = static_cast<unsigned>(shards.size());
  std::vector<std::unique_ptr<ShardWorker>> workers;
  std::vector<BoundedQueue<RoutedArticle>*> queues;
  for (unsigned i = 0; i < n; ++i) {
    workers.push_back(std::make_unique<ShardWorker>());
    queues.push_back(&workers.back()->queue);
  }
  for (unsigned i = 0; i < n; ++i) {
    workers[i]->thread = std::thread(
        [&, i] { workers[i]->write_articles(shards[i], options, queues.data(), n, merged); });
  }
  IndexingReport report;
  SharedProgress progress;
  Signal reading_done;
  std::exception_ptr reading_failure;
  std::thread reader([&] {
    try {
      ArticleRouter router(queues, merged);
      ReadingSink sink([&](Article&& article) { return router.send(std::move(article)); }, report,
                       progress);
      read_sources(sources, sink, options.limits);
    } catch (...) {
      reading_failure = std::current_exception();
    }
    for (auto* queue : queues) queue->close();
    reading_done.raise();
  });
  const std::size_t bytes_total = options.on_progress ? source_bytes(sources) : 0;
  report_progress_until(reading_done, options, progress, bytes_total, start);
  reader.join();
  for (auto& worker : workers) worker->thread.join();
  if (reading_failure) std::rethrow_exception(reading_failure);
  rethrow_failure(workers);
  if (merged) write_dealt_spellings(workers);
  for (auto& worker : workers) {
    report.added += worker->report.added;
    report.replaced += worker->report.replaced;
  }
  return report;
}

// Merges the shards into one compact database at `build`.
void compact_shards(const std::vector<std::string>& shards, const std::string& build) {
  Xapian::Database all;
  for (const auto& shard : shards) all.add_database(Xapian::Database(shard));
  all.compact(build, Xapian::DB_BACKEND_GLASS, kBlockSize);
}

// `shard`: "<i>/<N>" for a shard of a sharded index, "" otherwise.
void write_build_metadata(const std::string& build, const std::vector<std::string>& sources,
                          IndexingReport& report, const std::string& shard = "") {
  Xapian::WritableDatabase db(build, Xapian::DB_OPEN | Xapian::DB_BACKEND_GLASS);
  db.set_metadata(std::string(schema::kVersionKey), std::to_string(schema::kVersion));
  db.set_metadata(std::string(schema::kBuiltAtKey), utc_now());
  db.set_metadata(std::string(schema::kSourcesKey), joined_paths(sources));
  if (!shard.empty()) db.set_metadata(std::string(kShardKey), shard);
  db.commit();
  report.documents = db.get_doccount();
}

std::size_t shards_wanted(const std::string& dir, const IndexingOptions& options) {
  const std::size_t n = options.shards != 0 ? options.shards : shard_dirs(dir).size();
  if (n > kMaxShards) {
    throw IndexError("an index has at most " + std::to_string(kMaxShards) + " shards, not " +
                     std::to_string(n));
  }
  return std::max<std::size_t>(n, 1);
}

// build_index() into n ≥ 2 shard folders: each shard's articles written
// (in parallel, one thread a shard), compacted into a new build of the
// shard's folder and published there; then DIR's stub lists the shards.
IndexingReport build_shards(IndexFolder& folder, const std::vector<std::string>& sources,
                            std::size_t n, const IndexingOptions& options) {
  folder.remove_unpublished();
  std::vector<std::unique_ptr<IndexFolder>> shards;
  std::vector<std::string> builds, scratch;
  for (std::size_t i = 0; i < n; ++i) {
    shards.push_back(std::make_unique<IndexFolder>(shard_dir(folder.dir(), i), options.lock_wait));
    shards.back()->remove_unpublished();
    builds.push_back(shards.back()->new_build_path());
    scratch.push_back(builds.back() + ".scratch");
  }
  IndexingReport report;
  auto remove_all = [&] {
    for (const auto& path : scratch) remove_quietly(path);
    for (const auto& path : builds) remove_quietly(path);
  };
  try {
    report = write_shards(sources, scratch, options, /*merged=*/false);
    if (report.added == 0) {
      throw IndexError("no article could be indexed from the sources given; the live index of " +
                       folder.dir() + " is left as it was");
    }
    for (std::size_t i = 0; i < n; ++i) {
      compact_shards({scratch[i]}, builds[i]);
      remove_quietly(scratch[i]);
      IndexingReport shard_report;
      write_build_metadata(builds[i], sources, shard_report,
                           std::to_string(i) + "/" + std::to_string(n));
      report.documents += shard_report.documents;
    }
  } catch (const Xapian::Error& e) {
    remove_all();
    throw IndexError("cannot write the new build of " + folder.dir() + ": " + describe(e));
  } catch (...) {
    remove_all();
    throw;
  }
  for (std::size_t i = 0; i < n; ++i) shards[i]->publish(builds[i]);
  folder.publish_shards(n);
  return report;
}

}  // namespace

IndexingReport build_index(const std::string& dir, const std::vector<std::string>& sources,
                           const IndexingOptions& options) {
  const auto start = Clock::now();
  IndexFolder folder(dir, options.lock_wait);
  if (const std::size_t n = shards_wanted(dir, options); n > 1) {
    IndexingReport report = build_shards(folder, sources, n, options);
    report.seconds = seconds_since(start);
    return report;
  }
  folder.remove_unpublished();
  const std::string build = folder.new_build_path();
  std::vector<std::string> shards;
  for (unsigned i = 0; i < shard_count(options); ++i)
    shards.push_back(build + ".shard-" + std::to_string(i));
  IndexingReport report;
  try {
    report = write_shards(sources, shards, options, /*merged=*/true);
    if (report.added == 0) {
      throw IndexError("no article could be indexed from the sources given; the live index of " +
                       dir + " is left as it was");
    }
    compact_shards(shards, build);
    write_build_metadata(build, sources, report);
  } catch (const Xapian::Error& e) {
    for (const auto& path : shards) remove_quietly(path);
    remove_quietly(build);
    throw IndexError("cannot write the new build " + build + ": " + describe(e));
  } catch (...) {
    for (const auto& path : shards) remove_quietly(path);
    remove_quietly(build);
    throw;
  }
  for (const auto& path : shards) remove_quietly(path);
  folder.publish(build);
  report.seconds = seconds_since(start);
  return report;
}

namespace {

// Reads and analyses `sources` in a second thread while this one writes
// them with `writer`, in source order. Rethrows what the reading thread threw.
void read_analyse_write(const std::vector<std::string>& sources, const IndexingOptions& options,
                        Writer& writer, IndexingReport& report) {
  BoundedQueue<IndexedDocument> queue(kQueueDepth);
  SharedProgress progress;
  std::exception_ptr failure;
  std::thread reader([&] {
    try {
      DocumentBuilder builder(options.analyzer);
      ReadingSink sink([&](Article&& article) { return queue.push(builder.build(article)); },
                       report, progress);
      read_sources(sources, sink, options.limits);
    } catch (...) {
      failure = std::current_exception();
    }
    queue.close();
  });
  try {
    while (auto doc = queue.pop()) writer.write(*doc);
  } catch (...) {
    queue.close();
    reader.join();
    throw;
  }
  reader.join();
  if (failure) std::rethrow_exception(failure);
}

// Articles analysed by this program would not match the terms of an index
// of another schema version: such an index is rebuilt, not updated.
void refuse_other_schema(const Xapian::Database& db, const std::string& dir) {
  const std::string version = db.get_metadata(std::string(schema::kVersionKey));
  if (version != std::to_string(schema::kVersion)) {
    throw IndexError("the index " + dir + " has schema version \"" + version +
                     "\"; this indexer writes " + std::to_string(schema::kVersion) +
                     " (rebuild it with indexer build; the index is left as it was)");
  }
}

// Opens the live build for writing and runs `change` inside one transaction.
// When `dir` has no index yet, creates and publishes one if `create` is set,
// else throws IndexError.
template <typename Change>
IndexingReport change_live_index(const std::string& dir, bool create,
                                 std::chrono::milliseconds lock_wait, Change change) {
  const auto start = Clock::now();
  IndexFolder folder(dir, lock_wait);
  std::string build = folder.live_build();
  const bool first = build.empty();
  if (first && !create) throw IndexError("there is no index in " + dir + " (build one first)");
  if (first) build = folder.new_build_path();
  IndexingReport report;
  try {
    Xapian::WritableDatabase db(build, Xapian::DB_CREATE_OR_OPEN | Xapian::DB_BACKEND_GLASS,
                                kBlockSize);
    if (!first) refuse_other_schema(db, dir);
    db.begin_transaction();
    change(db, report);
    db.set_metadata(std::string(schema::kVersionKey), std::to_string(schema::kVersion));
    db.set_metadata(std::string(schema::kUpdatedAtKey), utc_now());
    if (first) db.set_metadata(std::string(schema::kBuiltAtKey), utc_now());
    db.commit_transaction();
    report.documents = db.get_doccount();
    db.close();
  } catch (const Xapian::Error& e) {
    throw IndexError("cannot update the index " + build + ": " + describe(e));
  }
  if (first) folder.publish(build);
  report.seconds = seconds_since(start);
  return report;
}

// Collects the articles read from the sources, in source order.
class CollectingSink : public ArticleSink {
 public:
  explicit CollectingSink(IndexingReport& report) : report_(report) {}
  void accept(Article article) override {
    pages_.note(article, report_);
    articles.push_back(std::move(article));
  }
  void reject(SourceIssue issue) override { report_.rejected.push_back(std::move(issue)); }
  void progress(std::size_t) override {}
  std::vector<Article> articles;

 private:
  IndexingReport& report_;
  PagesSeen pages_;
};

void add_counts(IndexingReport& total, const IndexingReport& part) {
  total.added += part.added;
  total.replaced += part.replaced;
  total.unchanged += part.unchanged;
  total.deleted += part.deleted;
  total.not_found += part.not_found;
  for (const auto& issue : part.rejected) total.rejected.push_back(issue);
}

std::size_t documents_of(const std::string& dir) {
  try {
    return Xapian::Database(dir).get_doccount();
  } catch (const Xapian::Error& e) {
    throw IndexError("cannot open the index " + dir + ": " + describe(e));
  }
}

// Runs `change(shard folder, items)` on each shard of the sharded `dir` that
// has items, with the items whose id (of `id_of`) hashes to it, while
// holding DIR's lock.
template <typename Item, typename IdOf, typename Change>
IndexingReport change_shards(const std::string& dir, const std::vector<std::string>& shard_folders,
                             std::chrono::milliseconds lock_wait, const std::vector<Item>& items,
                             IdOf id_of, Change change) {
  const auto start = Clock::now();
  IndexFolder folder(dir, lock_wait);
  std::vector<std::vector<Item>> per_shard(shard_folders.size());
  for (const Item& item : items) per_shard[shard_of(id_of(item), per_shard.size())].push_back(item);
  IndexingReport report;
  for (std::size_t i = 0; i < per_shard.size(); ++i) {
    if (!per_shard[i].empty()) add_counts(report, change(shard_folders[i], per_shard[i]));
  }
  report.documents = documents_of(dir);
  report.seconds = seconds_since(start);
  return report;
}

// update_articles() without its warnings: writes `articles` into `dir`,
// each shard's part into its shard.
IndexingReport write_articles(const std::string& dir, const std::vector<Article>& articles,
                              const IndexingOptions& options);

}  // namespace

IndexingReport update_index(const std::string& dir, const std::vector<std::string>& sources,
                            const IndexingOptions& options) {
  if (const auto shards = shard_dirs(dir); !shards.empty()) {
    IndexingReport read;
    CollectingSink sink(read);
    read_sources(sources, sink, options.limits);
    IndexingReport report = change_shards(
        dir, shards, options.lock_wait, sink.articles, [](const Article& a) { return a.id; },
        [&](const std::string& shard, const std::vector<Article>& articles) {
          return write_articles(shard, articles, options);
        });
    report.rejected = std::move(read.rejected);
    report.warnings = std::move(read.warnings);
    return report;
  }
  return change_live_index(dir, /*create=*/true, options.lock_wait,
                           [&](Xapian::WritableDatabase& db, IndexingReport& report) {
                             Writer writer(db, /*fresh=*/false, /*batch_size=*/0,
                                           report);  // one commit, at the end
                             read_analyse_write(sources, options, writer, report);
                             writer.flush(/*commit=*/false);
                           });
}

IndexingReport update_articles(const std::string& dir, const std::vector<Article>& articles,
                               const IndexingOptions& options) {
  IndexingReport read;
  PagesSeen pages;
  for (const Article& article : articles) pages.note(article, read);
  IndexingReport report = write_articles(dir, articles, options);
  report.warnings = std::move(read.warnings);
  return report;
}

namespace {

IndexingReport write_articles(const std::string& dir, const std::vector<Article>& articles,
                              const IndexingOptions& options) {
  if (const auto shards = shard_dirs(dir); !shards.empty()) {
    return change_shards(
        dir, shards, options.lock_wait, articles, [](const Article& a) { return a.id; },
        [&](const std::string& shard, const std::vector<Article>& part) {
          return write_articles(shard, part, options);
        });
  }
  return change_live_index(dir, /*create=*/true, options.lock_wait,
                           [&](Xapian::WritableDatabase& db, IndexingReport& report) {
                             DocumentBuilder builder(options.analyzer);
                             Writer writer(db, /*fresh=*/false, /*batch_size=*/0,
                                           report);  // one commit, at the end
                             for (const Article& article : articles) {
                               IndexedDocument doc = builder.build(article);
                               writer.write(doc);
                             }
                             writer.flush(/*commit=*/false);
                           });
}

}  // namespace

IndexingReport delete_from_index(const std::string& dir, const std::vector<std::string>& ids,
                                 const IndexingOptions& options) {
  if (const auto shards = shard_dirs(dir); !shards.empty()) {
    return change_shards(
        dir, shards, options.lock_wait, ids, [](const std::string& id) { return id; },
        [&](const std::string& shard, const std::vector<std::string>& part) {
          return delete_from_index(shard, part, options);
        });
  }
  return change_live_index(dir, /*create=*/false, options.lock_wait,
                           [&](Xapian::WritableDatabase& db, IndexingReport& report) {
                             for (const auto& id : ids) {
                               const std::string term = std::string(schema::kIdPrefix) + id;
                               if (db.term_exists(term)) {
                                 db.delete_document(term);
                                 ++report.deleted;
                               } else {
                                 ++report.not_found;
                               }
                             }
                           });
}

std::string utc_now() {
  const auto now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm utc{};
  gmtime_r(&now, &utc);
  char out[32];
  std::strftime(out, sizeof out, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return out;
}

}  // namespace sok
