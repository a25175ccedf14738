#include "sok/searchd/admin_jobs.h"

#include <spdlog/spdlog.h>
#include <xapian.h>

#include <ctime>

#include "sok/index/index_error.h"

namespace sok::searchd {
namespace {}  // namespace

std::string job_kind_name(JobKind kind) {
  switch (kind) {
    case JobKind::add_documents:
      return "add_documents";
    case JobKind::delete_document:
      return "delete_document";
    case JobKind::reindex:
      return "reindex";
  }
  return "";
}

std::string job_state_name(JobState state) {
  switch (state) {
    case JobState::queued:
      return "queued";
    case JobState::running:
      return "running";
    case JobState::done:
      return "done";
    case JobState::failed:
      return "failed";
  }
  return "";
}

JobQueue::JobQueue(Options options) : options_(std::move(options)) {
  worker_ = std::thread([this] { run(); });
}

JobQueue::~JobQueue() {
  {
    const std::lock_guard lock(mutex_);
    stopping_ = true;
    for (const auto& [id, work] : pending_)
      spdlog::warn("admin job {} ({}) dropped at shutdown, never run", id,
                   job_kind_name(jobs_[id].kind));
    pending_.clear();
  }
  wake_.notify_all();
  worker_.join();
}

std::optional<Job> JobQueue::add_documents(std::vector<Article> articles,
                                           std::vector<SourceIssue> refused) {
  Job job;
  job.kind = JobKind::add_documents;
  job.submitted = articles.size() + refused.size();
  job.errors = std::move(refused);
  auto shared = std::make_shared<std::vector<Article>>(std::move(articles));
  return submit(std::move(job), [this, shared](const IndexingOptions& indexing) {
    return update_articles(options_.index_dir, *shared, indexing);
  });
}

std::optional<Job> JobQueue::delete_document(std::string id) {
  Job job;
  job.kind = JobKind::delete_document;
  job.submitted = 1;
  return submit(std::move(job), [this, id = std::move(id)](const IndexingOptions& indexing) {
    IndexingReport report = delete_from_index(options_.index_dir, {id}, indexing);
    if (report.not_found > 0) report.rejected.push_back({id, "no article has this id"});
    return report;
  });
}

std::optional<Job> JobQueue::reindex() {
  Job job;
  job.kind = JobKind::reindex;
  return submit(std::move(job), [this](const IndexingOptions& indexing) {
    return build_index(options_.index_dir, sources(), indexing);
  });
}

std::optional<Job> JobQueue::submit(Job job, Work work) {
  std::unique_lock lock(mutex_);
  if (pending_.size() >= options_.max_queued || stopping_) return std::nullopt;
  job.id = next_id_++;
  job.created_at = utc_now();
  jobs_[job.id] = job;
  pending_.emplace_back(job.id, std::move(work));
  forget_old();
  lock.unlock();
  wake_.notify_one();
  return job;
}

void JobQueue::run() {
  while (true) {
    std::unique_lock lock(mutex_);
    wake_.wait(lock, [this] { return stopping_ || !pending_.empty(); });
    if (pending_.empty()) return;  // stopping
    auto [id, work] = std::move(pending_.front());
    pending_.pop_front();
    Job& job = jobs_[id];
    job.state = JobState::running;
    job.started_at = utc_now();
    lock.unlock();
    run_one(id, work);
  }
}

// Runs `work` with progress going into the job; records how it ended.
void JobQueue::run_one(std::uint64_t id, const Work& work) {
  IndexingOptions indexing = options_.indexing;
  indexing.on_progress = [this, id](const IndexingProgress& progress) {
    const std::lock_guard lock(mutex_);
    jobs_[id].progress = progress;
  };
  try {
    const IndexingReport report = work(indexing);
    finish(id, &report, "");
    return;
  } catch (const IndexError& e) {
    finish(id, nullptr, e.what());
  } catch (const Xapian::Error& e) {
    finish(id, nullptr, e.get_description());
  } catch (const std::exception& e) {
    finish(id, nullptr, e.what());
  }
}

void JobQueue::finish(std::uint64_t id, const IndexingReport* report, const std::string& failure) {
  const std::lock_guard lock(mutex_);
  Job& job = jobs_[id];
  job.finished_at = utc_now();
  job.state = report ? JobState::done : JobState::failed;
  job.failure = failure;
  if (report) {
    job.report = *report;
    job.errors.insert(job.errors.end(), report->rejected.begin(), report->rejected.end());
    job.report.rejected.clear();
    spdlog::info(
        "admin job {} ({}) done: {} added, {} replaced, {} unchanged, {} deleted, {} errors, {} "
        "warnings",
        id, job_kind_name(job.kind), report->added, report->replaced, report->unchanged,
        report->deleted, job.errors.size(), report->warnings.size());
  } else {
    spdlog::error("admin job {} ({}) failed: {}", id, job_kind_name(job.kind), failure);
  }
}

// Keeps the newest jobs_kept finished jobs; waiting and running ones stay.
void JobQueue::forget_old() {
  std::size_t finished = 0;
  for (auto it = jobs_.rbegin(); it != jobs_.rend(); ++it) {
    const bool over = it->second.state == JobState::done || it->second.state == JobState::failed;
    if (over && ++finished > options_.jobs_kept) {
      jobs_.erase(std::next(it).base());
      return;  // one at a time: called once per new job
    }
  }
}

std::optional<Job> JobQueue::find(std::uint64_t id) const {
  const std::lock_guard lock(mutex_);
  const auto it = jobs_.find(id);
  if (it == jobs_.end()) return std::nullopt;
  return it->second;
}

std::vector<Job> JobQueue::recent() const {
  const std::lock_guard lock(mutex_);
  std::vector<Job> out;
  for (auto it = jobs_.rbegin(); it != jobs_.rend(); ++it) out.push_back(it->second);
  return out;
}

std::size_t JobQueue::waiting() const {
  const std::lock_guard lock(mutex_);
  return pending_.size();
}

void JobQueue::set_sources(std::vector<std::string> sources) {
  const std::lock_guard lock(mutex_);
  options_.sources = std::move(sources);
}

std::vector<std::string> JobQueue::sources() const {
  const std::lock_guard lock(mutex_);
  return options_.sources;
}

}  // namespace sok::searchd
