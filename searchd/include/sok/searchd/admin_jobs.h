#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "sok/index/article.h"
#include "sok/index/indexing.h"
#include "sok/index/sources.h"

namespace sok::searchd {

enum class JobKind { add_documents, delete_document, reindex };
enum class JobState { queued, running, done, failed };

// "add_documents", "delete_document", "reindex"; "queued", "running", …
std::string job_kind_name(JobKind kind);
std::string job_state_name(JobState state);

// One write to the index that the staff asked for, as GET /api/admin/jobs/{id}
// shows it.
struct Job {
  std::uint64_t id = 0;
  JobKind kind = JobKind::reindex;
  JobState state = JobState::queued;
  std::string created_at;  // ISO 8601, UTC; "" until it happens
  std::string started_at;
  std::string finished_at;
  std::size_t submitted = 0;  // records posted, ids to delete; 0 for a rebuild
  IndexingProgress progress;
  IndexingReport report;            // what the write did, once done
  std::vector<SourceIssue> errors;  // per document: refused when posted or when read
  std::string failure;              // why a failed job failed
};

// The one writer of the index in searchd: a queue of jobs run one after the
// other by a background thread, so admin writes never run at once and never
// hold up a search. Writes wait up to `lock_wait` for another writer of the
// folder (an `indexer` run) to finish. Thread-safe.
class JobQueue {
 public:
  struct Options {
    std::string index_dir;
    std::vector<std::string> sources;  // what a rebuild reads
    IndexingOptions indexing;          // its lock_wait applies to every job
    std::size_t max_queued = 64;       // beyond: refused
    std::size_t jobs_kept = 200;       // finished jobs remembered, newest
  };

  explicit JobQueue(Options options);
  // Lets the running job finish; queued ones are dropped (and logged).
  ~JobQueue();
  JobQueue(const JobQueue&) = delete;
  JobQueue& operator=(const JobQueue&) = delete;

  // Queue a job; each returns it as queued, or nullopt when max_queued jobs
  // are waiting already. `refused` are the posted records that were not
  // articles: they go into the job's errors.
  std::optional<Job> add_documents(std::vector<Article> articles, std::vector<SourceIssue> refused);
  std::optional<Job> delete_document(std::string id);
  std::optional<Job> reindex();

  std::optional<Job> find(std::uint64_t id) const;
  // The jobs remembered, newest first.
  std::vector<Job> recent() const;
  std::size_t waiting() const;

  // The sources a rebuild reads from now on (the config was reloaded).
  void set_sources(std::vector<std::string> sources);
  std::vector<std::string> sources() const;

 private:
  using Work = std::function<IndexingReport(const IndexingOptions&)>;

  std::optional<Job> submit(Job job, Work work);
  void run();
  void run_one(std::uint64_t id, const Work& work);
  void finish(std::uint64_t id, const IndexingReport* report, const std::string& failure);
  void forget_old();

  Options options_;  // sources GUARDED_BY(mutex_)
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::map<std::uint64_t, Job> jobs_;                   // GUARDED_BY(mutex_)
  std::deque<std::pair<std::uint64_t, Work>> pending_;  // GUARDED_BY(mutex_)
  std::uint64_t next_id_ = 1;                           // GUARDED_BY(mutex_)
  bool stopping_ = false;                               // GUARDED_BY(mutex_)
  std::thread worker_;
};

}  // namespace sok::searchd
