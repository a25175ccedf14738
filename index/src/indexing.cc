#include "sok/index/indexing.h"

#include <xapian.h>

#include <chrono>
#include <ctime>
#include <exception>
#include <filesystem>
#include <thread>
#include <unordered_map>

#include "bounded_queue.h"
#include "index_folder.h"
#include "sok/index/document_builder.h"
#include "sok/index/index_error.h"
#include "sok/index/schema.h"

namespace sok {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

constexpr std::size_t kQueueDepth = 512;
constexpr double kProgressInterval = 0.2;  // seconds

// What flows from the analysing thread to the writing thread, in source order.
struct Item {
  std::optional<IndexedDocument> document;
  std::optional<SourceIssue> issue;
  std::size_t bytes_read = 0;
};

// Runs in the reading thread: reads the sources and analyses each article.
class AnalysingSink : public ArticleSink {
 public:
  AnalysingSink(const AnalyzerOptions& options, BoundedQueue<Item>& queue)
      : builder_(options), queue_(queue) {}
  void accept(Article article) override {
    queue_.push(Item{builder_.build(article), std::nullopt, bytes_read_});
  }
  void reject(SourceIssue issue) override {
    queue_.push(Item{std::nullopt, std::move(issue), bytes_read_});
  }
  void progress(std::size_t bytes_read) override { bytes_read_ = bytes_read; }

 private:
  DocumentBuilder builder_;
  BoundedQueue<Item>& queue_;
  std::size_t bytes_read_ = 0;
};

std::string utc_now() {
  const auto now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm utc{};
  gmtime_r(&now, &utc);
  char out[32];
  std::strftime(out, sizeof out, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return out;
}

std::string joined_paths(const std::vector<std::string>& paths) {
  std::string out;
  for (const auto& path : paths) out += (out.empty() ? "" : " ") + path;
  return out;
}

// Runs in the calling thread: the one Xapian writer.
class Writer {
 public:
  Writer(Xapian::WritableDatabase& db, bool skip_unchanged, const IndexingOptions& options,
         IndexingReport& report)
      : db_(db), skip_unchanged_(skip_unchanged), options_(options), report_(report) {}

  void write(IndexedDocument& doc) {
    const Xapian::PostingIterator existing = db_.postlist_begin(doc.id_term);
    if (existing != db_.postlist_end(doc.id_term)) {
      if (skip_unchanged_ && db_.get_document(*existing).get_value(schema::kHashSlot) == doc.hash) {
        ++report_.unchanged;
        return;
      }
      db_.replace_document(*existing, doc.document);
      ++report_.replaced;
    } else {
      db_.add_document(doc.document);
      ++report_.added;
    }
    for (auto& word : doc.spellings) ++spellings_[std::move(word)];
    if (options_.batch_size > 0 && ++in_batch_ >= options_.batch_size) flush(/*commit=*/true);
  }

  // Writes the collected spelling words; commits unless inside a transaction.
  void flush(bool commit) {
    for (const auto& [word, count] : spellings_) db_.add_spelling(word, count);
    spellings_.clear();
    in_batch_ = 0;
    if (commit) db_.commit();
  }

 private:
  Xapian::WritableDatabase& db_;
  bool skip_unchanged_;
  const IndexingOptions& options_;
  IndexingReport& report_;
  std::unordered_map<std::string, Xapian::termcount> spellings_;
  std::size_t in_batch_ = 0;
};

// Reads and analyses `sources` in a second thread while this one writes.
// Rethrows what the reading thread threw.
void run_pipeline(const std::vector<std::string>& sources, const IndexingOptions& options,
                  Writer& writer, IndexingReport& report) {
  BoundedQueue<Item> queue(kQueueDepth);
  std::exception_ptr failure;
  std::thread reader([&] {
    try {
      AnalysingSink sink(options.analyzer, queue);
      read_sources(sources, sink, options.limits);
    } catch (...) {
      failure = std::current_exception();
    }
    queue.close();
  });
  const auto start = Clock::now();
  IndexingProgress progress;
  progress.bytes_total = options.on_progress ? source_bytes(sources) : 0;
  double last_report = 0;
  try {
    while (auto item = queue.pop()) {
      ++progress.documents;
      progress.bytes_read = item->bytes_read;
      if (item->document) writer.write(*item->document);
      if (item->issue) report.rejected.push_back(std::move(*item->issue));
      progress.seconds = std::chrono::duration<double>(Clock::now() - start).count();
      if (options.on_progress && progress.seconds - last_report >= kProgressInterval) {
        options.on_progress(progress);
        last_report = progress.seconds;
      }
    }
  } catch (...) {
    queue.close();
    reader.join();
    throw;
  }
  reader.join();
  if (failure) std::rethrow_exception(failure);
  if (options.on_progress) options.on_progress(progress);
}

std::string describe(const Xapian::Error& e) {
  return e.get_type() + std::string(": ") + e.get_msg();
}

void set_common_metadata(Xapian::WritableDatabase& db) {
  db.set_metadata(std::string(schema::kVersionKey), std::to_string(schema::kVersion));
}

}  // namespace

IndexingReport build_index(const std::string& dir, const std::vector<std::string>& sources,
                           const IndexingOptions& options) {
  const auto start = Clock::now();
  IndexFolder folder(dir);
  folder.remove_unpublished();
  const std::string build = folder.new_build_path();
  IndexingReport report;
  try {
    Xapian::WritableDatabase db(build, Xapian::DB_CREATE | Xapian::DB_BACKEND_GLASS);
    Writer writer(db, /*skip_unchanged=*/false, options, report);
    run_pipeline(sources, options, writer, report);
    writer.flush(/*commit=*/false);
    set_common_metadata(db);
    db.set_metadata(std::string(schema::kBuiltAtKey), utc_now());
    db.set_metadata(std::string(schema::kSourcesKey), joined_paths(sources));
    db.commit();
    report.documents = db.get_doccount();
    db.close();
  } catch (const Xapian::Error& e) {
    std::error_code ignored;
    fs::remove_all(build, ignored);
    throw IndexError("cannot write the new build " + build + ": " + describe(e));
  } catch (...) {
    std::error_code ignored;
    fs::remove_all(build, ignored);
    throw;
  }
  if (report.documents == 0) {
    std::error_code ignored;
    fs::remove_all(build, ignored);
    throw IndexError("no article could be indexed from the sources given; the live index of " +
                     dir + " is left as it was");
  }
  folder.publish(build);
  report.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  return report;
}

namespace {

// Opens the live build for writing and runs `change` inside one transaction.
// When `dir` has no index yet, creates and publishes one if `create` is set,
// else throws IndexError.
template <typename Change>
IndexingReport change_live_index(const std::string& dir, bool create, Change change) {
  const auto start = Clock::now();
  IndexFolder folder(dir);
  std::string build = folder.live_build();
  const bool first = build.empty();
  if (first && !create) throw IndexError("there is no index in " + dir + " (build one first)");
  if (first) build = folder.new_build_path();
  IndexingReport report;
  try {
    Xapian::WritableDatabase db(build, Xapian::DB_CREATE_OR_OPEN | Xapian::DB_BACKEND_GLASS);
    db.begin_transaction();
    change(db, report);
    set_common_metadata(db);
    db.set_metadata(std::string(schema::kUpdatedAtKey), utc_now());
    if (first) db.set_metadata(std::string(schema::kBuiltAtKey), utc_now());
    db.commit_transaction();
    report.documents = db.get_doccount();
    db.close();
  } catch (const Xapian::Error& e) {
    throw IndexError("cannot update the index " + build + ": " + describe(e));
  }
  if (first) folder.publish(build);
  report.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  return report;
}

}  // namespace

IndexingReport update_index(const std::string& dir, const std::vector<std::string>& sources,
                            const IndexingOptions& options) {
  return change_live_index(dir, /*create=*/true,
                           [&](Xapian::WritableDatabase& db, IndexingReport& report) {
                             IndexingOptions in_transaction = options;
                             in_transaction.batch_size = 0;  // one commit at the end
                             Writer writer(db, /*skip_unchanged=*/true, in_transaction, report);
                             run_pipeline(sources, in_transaction, writer, report);
                             writer.flush(/*commit=*/false);
                           });
}

IndexingReport delete_from_index(const std::string& dir, const std::vector<std::string>& ids) {
  return change_live_index(dir, /*create=*/false,
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

}  // namespace sok
