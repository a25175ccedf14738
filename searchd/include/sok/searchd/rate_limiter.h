#pragma once

#include <chrono>
#include <cstddef>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace sok::searchd {

// A token bucket per client: each holds up to `per_second` tokens and
// refills at `per_second` tokens a second; a request takes one. Thread-safe.
class RateLimiter {
 public:
  using Clock = std::chrono::steady_clock;

  // `per_second` 0 admits everything.
  explicit RateLimiter(unsigned per_second) : rate_(per_second) {}

  // nullopt when `client` may go on; otherwise the seconds until it may.
  std::optional<double> admit(const std::string& client, Clock::time_point now = Clock::now());

 private:
  struct Bucket {
    double tokens = 0;
    Clock::time_point last;
  };

  // Drops the buckets that have filled up again (their clients are idle).
  void forget_idle(Clock::time_point now);

  static constexpr std::size_t kMaxClients = 10000;  // forget idle ones beyond

  const double rate_;
  std::mutex mutex_;
  std::unordered_map<std::string, Bucket> buckets_;  // GUARDED_BY(mutex_)
};

}  // namespace sok::searchd
