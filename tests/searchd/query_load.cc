#include "query_load.h"

#include <algorithm>
#include <chrono>
#include <memory>
#include <optional>

#include "http_client.h"

namespace sok::test {
namespace {

using Clock = std::chrono::steady_clock;

// One request of the mix, and what its answer must show.
struct Probe {
  std::string target;
  enum class Expect { listing_total, forskning_total, any_2xx } expect;
};

std::vector<Probe> mix(const IndexFloor& floor) {
  using E = Probe::Expect;
  return {{"/api/search?size=1&facets=", E::listing_total},
          {"/api/search?q=forskning&size=5", E::forskning_total},
          {"/api/suggest?q=fors", E::any_2xx},
          {"/api/search?q=cellterapi%20Flemingsberg&facets=type,year", E::any_2xx},
          {"/api/documents/" + floor.known_id, E::any_2xx},
          {"/?q=life%20science", E::any_2xx}};
}

std::string keep_alive_get(const std::string& target) {
  return "GET " + target +
         " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\nAccept-Encoding: "
         "identity\r\n\r\n";
}

}  // namespace

QueryLoad::QueryLoad(std::uint16_t port, IndexFloor floor, unsigned threads)
    : port_(port), floor_(std::move(floor)) {
  for (unsigned i = 0; i < threads; ++i) threads_.emplace_back([this, i] { run(i); });
}

QueryLoad::~QueryLoad() {
  if (!threads_.empty()) stop();
}

LoadReport QueryLoad::stop() {
  stopping_ = true;
  for (auto& thread : threads_) thread.join();
  threads_.clear();
  const std::lock_guard lock(mutex_);
  return report_;
}

void QueryLoad::note(const std::string& problem, std::size_t LoadReport::*counter) {
  const std::lock_guard lock(mutex_);
  ++(report_.*counter);
  if (report_.first_problem.empty()) report_.first_problem = problem;
}

void QueryLoad::run(unsigned client) {
  const std::vector<Probe> probes = mix(floor_);
  std::unique_ptr<HttpConnection> connection;
  std::vector<double> latencies;
  for (std::size_t n = client; !stopping_; ++n) {
    const Probe& probe = probes[n % probes.size()];
    const auto start = Clock::now();
    HttpResponse response;
    try {
      if (!connection) connection = std::make_unique<HttpConnection>(port_);
      connection->send(keep_alive_get(probe.target));
      response = connection->read_response(std::chrono::seconds(5));
    } catch (const std::exception& e) {
      response.status = 0;
    }
    latencies.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
    {
      const std::lock_guard lock(mutex_);
      ++report_.requests;
    }
    if (response.status == 0) {
      connection.reset();
      note("no answer to " + probe.target, &LoadReport::failed);
      continue;
    }
    if (response.status < 200 || response.status > 299) {
      note(std::to_string(response.status) + " for " + probe.target + ": " + response.body,
           &LoadReport::not_2xx);
      continue;
    }
    if (response.header("connection") == "close") connection.reset();
    if (probe.expect == Probe::Expect::any_2xx) continue;
    const auto total = response.json().value("total", std::size_t{0});
    const bool short_of_floor = probe.expect == Probe::Expect::listing_total
                                    ? total < floor_.documents
                                    : total != floor_.forskning;
    if (short_of_floor)
      note(probe.target + " showed " + std::to_string(total), &LoadReport::below_floor);
  }
  const std::lock_guard lock(mutex_);
  report_.latencies_ms.insert(report_.latencies_ms.end(), latencies.begin(), latencies.end());
}

double quantile(std::vector<double>& values, double fraction) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const auto at = static_cast<std::size_t>(fraction * static_cast<double>(values.size() - 1));
  return values[at];
}

}  // namespace sok::test
