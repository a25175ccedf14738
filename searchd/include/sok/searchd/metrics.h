#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace sok::searchd {

// The daemon's Prometheus metrics (prometheus-cpp's core registry), rendered
// in the text exposition format by GET /metrics. Thread-safe.
class Metrics {
 public:
  Metrics();
  ~Metrics();
  Metrics(const Metrics&) = delete;
  Metrics& operator=(const Metrics&) = delete;

  // One answered request: `route` is the route's pattern ("/api/search",
  // "/api/documents/{id}") or "unmatched", so the label set stays small.
  void observe_request(std::string_view route, int status, double seconds);
  // A search with a query that matched nothing.
  void count_zero_hits();
  // The index as the answering thread sees it.
  void set_index(double documents, double revision, double bytes);
  // Shards: one stopped answering (a search thread found it down) or
  // answers again; a search answered without some of them; how many the
  // index has and how many the answering thread sees down.
  void count_shard_down(std::string_view shard);
  void count_shard_up(std::string_view shard);
  void count_partial_search();
  void set_shards(double total, double down);

  // Every metric in the Prometheus text format.
  std::string render() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace sok::searchd
