// A steady, mixed query load on searchd from a few threads over keep-alive
// connections, checking every answer: for the zero-downtime tests.
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace sok::test {

// What the index must show to every query while it is rebuilt and updated.
struct IndexFloor {
  std::size_t documents = 0;  // the newest-articles listing's total: never fewer
  std::size_t forskning = 0;  // hits of "forskning": exactly these (updates do not match it)
  std::string known_id;       // an article every index holds
};

struct LoadReport {
  std::size_t requests = 0;
  std::size_t failed = 0;       // no answer: connection refused, reset or timed out
  std::size_t not_2xx = 0;      // answered, but not 2xx
  std::size_t below_floor = 0;  // 2xx, but showing less than the floor
  std::vector<double> latencies_ms;
  std::string first_problem;  // "" when none
};

class QueryLoad {
 public:
  // Starts `threads` clients, each on its own keep-alive connection.
  QueryLoad(std::uint16_t port, IndexFloor floor, unsigned threads);
  // Stops them (when stop() was not called).
  ~QueryLoad();
  QueryLoad(const QueryLoad&) = delete;
  QueryLoad& operator=(const QueryLoad&) = delete;

  // Stops the clients and returns what they saw.
  LoadReport stop();

 private:
  void run(unsigned client);
  void note(const std::string& problem, std::size_t LoadReport::*counter);

  std::uint16_t port_;
  IndexFloor floor_;
  std::atomic<bool> stopping_{false};
  std::mutex mutex_;
  LoadReport report_;  // GUARDED_BY(mutex_)
  std::vector<std::thread> threads_;
};

// The `fraction` quantile of `values` (sorted in place); 0 when empty.
double quantile(std::vector<double>& values, double fraction);

}  // namespace sok::test
