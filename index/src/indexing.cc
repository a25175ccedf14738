#include "sok/index/indexing.h"

#include <xapian.h>

#include <atomic>
#include <chrono>
#include <ctime>
#include <exception>
#include <filesystem>
#include <functional>
#include <thread>

#include "bounded_queue.h"
#include "index_folder.h"
#include "sok/index/document_builder.h"
#include "sok/index/index_error.h"
#include "sok/index/schema.h"
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

// Reads the sources in the calling thread and hands each article to
// `route`; issues go straight into the report (only this thread writes it).
class ReadingSink : public ArticleSink {
 public:
  ReadingSink(std::function<bool(Article&&)> route, IndexingReport& report,
              SharedProgress& progress)
      : route_(std::move(route)), report_(report), progress_(progress) {}
  void accept(Article article) override {
    ++progress_.documents;
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
};

// One worker per shard: analyses what its queue brings and writes it.
struct ShardWorker {
  BoundedQueue<Article> queue{kQueueDepth};
  IndexingReport report;
  std::exception_ptr failure;
  std::thread thread;

  void run(const std::string& path, const IndexingOptions& options,
           BoundedQueue<Article>* const* all, unsigned n) {
    try {
      // A shard is scratch until compaction: no fsync, no copy-on-write.
      Xapian::WritableDatabase db(path, Xapian::DB_CREATE | Xapian::DB_BACKEND_GLASS |
                                            Xapian::DB_NO_SYNC | Xapian::DB_DANGEROUS);
      DocumentBuilder builder(options.analyzer);
      Writer writer(db, /*fresh=*/true, options.batch_size, report);
      while (auto article = queue.pop()) {
        IndexedDocument doc = builder.build(*article);
        writer.write(doc);
      }
      writer.flush(/*commit=*/true);
      db.close();
    } catch (...) {
      failure = std::current_exception();
      for (unsigned i = 0; i < n; ++i) all[i]->close();  // stops the reader and the other shards
    }
  }
};

unsigned shard_count(const IndexingOptions& options) {
  const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  return std::clamp(options.threads == 0 ? cores : options.threads, 1u, 16u);
}

// Reports progress every kProgressInterval until `done`.
void report_progress_until(const std::function<bool()>& done, const IndexingOptions& options,
                           const SharedProgress& progress, std::size_t bytes_total,
                           Clock::time_point start) {
  while (!done()) {
    std::this_thread::sleep_for(kProgressInterval);
    if (options.on_progress) options.on_progress(progress.snapshot(bytes_total, start));
  }
  if (options.on_progress) options.on_progress(progress.snapshot(bytes_total, start));
}

// Writes the articles of `sources` into one shard per path, in parallel.
// An article goes to the shard its id hashes to, so a later record with the
// same id replaces the earlier one within that shard.
IndexingReport write_shards(const std::vector<std::string>& sources,
                            const std::vector<std::string>& shards,
                            const IndexingOptions& options) {
  const auto start = Clock::now();
  const unsigned n = static_cast<unsigned>(shards.size());
  std::vector<std::unique_ptr<ShardWorker>> workers;
  std::vector<BoundedQueue<Article>*> queues;
  for (unsigned i = 0; i < n; ++i) {
    workers.push_back(std::make_unique<ShardWorker>());
    queues.push_back(&workers.back()->queue);
  }
  for (unsigned i = 0; i < n; ++i) {
    workers[i]->thread =
        std::thread([&, i] { workers[i]->run(shards[i], options, queues.data(), n); });
  }
  IndexingReport report;
  SharedProgress progress;
  std::atomic<bool> reading_done{false};
  std::exception_ptr reading_failure;
  std::thread reader([&] {
    try {
      ReadingSink sink(
          [&](Article&& article) {
            return queues[std::hash<std::string>{}(article.id) % n]->push(std::move(article));
          },
          report, progress);
      read_sources(sources, sink, options.limits);
    } catch (...) {
      reading_failure = std::current_exception();
    }
    for (auto* queue : queues) queue->close();
    reading_done = true;
  });
  const std::size_t bytes_total = options.on_progress ? source_bytes(sources) : 0;
  report_progress_until([&] { return reading_done.load(); }, options, progress, bytes_total, start);
  reader.join();
  for (auto& worker : workers) worker->thread.join();
  if (reading_failure) std::rethrow_exception(reading_failure);
  for (auto& worker : workers) {
    if (worker->failure) std::rethrow_exception(worker->failure);
    report.added += worker->report.added;
    report.replaced += worker->report.replaced;
  }
  return report;
}

// Merges the shards into one compact database at `build`.
void compact_shards(const std::vector<std::string>& shards, const std::string& build) {
  Xapian::Database all;
  for (const auto& shard : shards) all.add_database(Xapian::Database(shard));
  all.compact(build, Xapian::DB_BACKEND_GLASS);
}

void write_build_metadata(const std::string& build, const std::vector<std::string>& sources,
                          IndexingReport& report) {
  Xapian::WritableDatabase db(build, Xapian::DB_OPEN | Xapian::DB_BACKEND_GLASS);
  db.set_metadata(std::string(schema::kVersionKey), std::to_string(schema::kVersion));
  db.set_metadata(std::string(schema::kBuiltAtKey), utc_now());
  db.set_metadata(std::string(schema::kSourcesKey), joined_paths(sources));
  db.commit();
  report.documents = db.get_doccount();
}

}  // namespace

IndexingReport build_index(const std::string& dir, const std::vector<std::string>& sources,
                           const IndexingOptions& options) {
  const auto start = Clock::now();
  IndexFolder folder(dir, options.lock_wait);
  folder.remove_unpublished();
  const std::string build = folder.new_build_path();
  std::vector<std::string> shards;
  for (unsigned i = 0; i < shard_count(options); ++i)
    shards.push_back(build + ".shard-" + std::to_string(i));
  IndexingReport report;
  try {
    report = write_shards(sources, shards, options);
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
    Xapian::WritableDatabase db(build, Xapian::DB_CREATE_OR_OPEN | Xapian::DB_BACKEND_GLASS);
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

}  // namespace

IndexingReport update_index(const std::string& dir, const std::vector<std::string>& sources,
                            const IndexingOptions& options) {
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

IndexingReport delete_from_index(const std::string& dir, const std::vector<std::string>& ids,
                                 const IndexingOptions& options) {
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
