#include "sok/searchd/metrics.h"

#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

#include <sstream>

namespace sok::searchd {

struct Metrics::Impl {
  prometheus::Registry registry;
  prometheus::Family<prometheus::Counter>& requests =
      prometheus::BuildCounter()
          .Name("sok_http_requests_total")
          .Help("HTTP requests answered, by route and status")
          .Register(registry);
  prometheus::Family<prometheus::Histogram>& latency =
      prometheus::BuildHistogram()
          .Name("sok_http_request_duration_seconds")
          .Help("Time from a parsed request to its answer, by route")
          .Register(registry);
  prometheus::Counter& zero_hits = prometheus::BuildCounter()
                                       .Name("sok_search_zero_hit_queries_total")
                                       .Help("Searches with a query that matched no article")
                                       .Register(registry)
                                       .Add({});
  prometheus::Gauge& documents = prometheus::BuildGauge()
                                     .Name("sok_index_documents")
                                     .Help("Articles in the open index")
                                     .Register(registry)
                                     .Add({});
  prometheus::Gauge& revision = prometheus::BuildGauge()
                                    .Name("sok_index_revision")
                                    .Help("Xapian revision of the open index's live build")
                                    .Register(registry)
                                    .Add({});
  prometheus::Gauge& bytes = prometheus::BuildGauge()
                                 .Name("sok_index_size_bytes")
                                 .Help("Size on disk of the open index's live build")
                                 .Register(registry)
                                 .Add({});
  prometheus::Family<prometheus::Counter>& shard_failures =
      prometheus::BuildCounter()
          .Name("sok_shard_failures_total")
          .Help("Times a search thread found a shard down or too slow, by shard")
          .Register(registry);
  prometheus::Family<prometheus::Counter>& shard_recoveries =
      prometheus::BuildCounter()
          .Name("sok_shard_recoveries_total")
          .Help("Times a search thread found a shard that was down answering again, by shard")
          .Register(registry);
  prometheus::Counter& partial_searches =
      prometheus::BuildCounter()
          .Name("sok_search_partial_total")
          .Help("Searches answered without some shards (partial, or 503 when strict)")
          .Register(registry)
          .Add({});
  prometheus::Gauge& shards = prometheus::BuildGauge()
                                  .Name("sok_index_shards")
                                  .Help("Shards of the open index, local and remote")
                                  .Register(registry)
                                  .Add({});
  prometheus::Gauge& shards_down = prometheus::BuildGauge()
                                       .Name("sok_index_shards_down")
                                       .Help("Shards the answering thread sees down")
                                       .Register(registry)
                                       .Add({});
};

namespace {

// Buckets from 0.1 ms to 2.5 s: search answers take about a millisecond.
const prometheus::Histogram::BucketBoundaries kLatencyBuckets = {
    0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 2.5};

}  // namespace

Metrics::Metrics() : impl_(std::make_unique<Impl>()) {}
Metrics::~Metrics() = default;

void Metrics::observe_request(std::string_view route, int status, double seconds) {
  const std::string name(route);
  impl_->requests.Add({{"route", name}, {"status", std::to_string(status)}}).Increment();
  impl_->latency.Add({{"route", name}}, kLatencyBuckets).Observe(seconds);
}

void Metrics::count_zero_hits() {
  impl_->zero_hits.Increment();
}

void Metrics::set_index(double documents, double revision, double bytes) {
  impl_->documents.Set(documents);
  impl_->revision.Set(revision);
  impl_->bytes.Set(bytes);
}

void Metrics::count_shard_down(std::string_view shard) {
  impl_->shard_failures.Add({{"shard", std::string(shard)}}).Increment();
}

void Metrics::count_shard_up(std::string_view shard) {
  impl_->shard_recoveries.Add({{"shard", std::string(shard)}}).Increment();
}

void Metrics::count_partial_search() {
  impl_->partial_searches.Increment();
}

void Metrics::set_shards(double total, double down) {
  impl_->shards.Set(total);
  impl_->shards_down.Set(down);
}

std::string Metrics::render() const {
  std::ostringstream out;
  prometheus::TextSerializer().Serialize(out, impl_->registry.Collect());
  return out.str();
}

}  // namespace sok::searchd
