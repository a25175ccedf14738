#include "sok/searchd/rate_limiter.h"

#include <algorithm>

namespace sok::searchd {

std::optional<double> RateLimiter::admit(const std::string& client, Clock::time_point now) {
  if (rate_ <= 0) return std::nullopt;
  std::lock_guard lock(mutex_);
  if (buckets_.size() >= kMaxClients && buckets_.find(client) == buckets_.end()) forget_idle(now);
  auto [it, added] = buckets_.try_emplace(client, Bucket{rate_, now});
  Bucket& bucket = it->second;
  const double elapsed = std::chrono::duration<double>(now - bucket.last).count();
  bucket.tokens = std::min(rate_, bucket.tokens + std::max(0.0, elapsed) * rate_);
  bucket.last = std::max(bucket.last, now);
  if (bucket.tokens >= 1) {
    bucket.tokens -= 1;
    return std::nullopt;
  }
  return (1 - bucket.tokens) / rate_;
}

void RateLimiter::forget_idle(Clock::time_point now) {
  for (auto it = buckets_.begin(); it != buckets_.end();) {
    const double elapsed = std::chrono::duration<double>(now - it->second.last).count();
    if (it->second.tokens + elapsed * rate_ >= rate_) {
      it = buckets_.erase(it);
    } else {
      ++it;
    }
  }
}

}  // namespace sok::searchd
