#include <catch2/catch.hpp>

#include "sok/searchd/rate_limiter.h"

namespace sok::searchd {
namespace {

using namespace std::chrono_literals;

TEST_CASE("The rate limiter admits a burst of N a second per client, then says how long to wait",
          "[searchd][rate]") {
  RateLimiter limiter(3);
  const auto start = RateLimiter::Clock::now();
  for (int i = 0; i < 3; ++i) CHECK_FALSE(limiter.admit("10.0.0.1", start));
  const auto wait = limiter.admit("10.0.0.1", start);
  REQUIRE(wait);
  CHECK(*wait == Approx(1.0 / 3));
  CHECK_FALSE(limiter.admit("10.0.0.2", start));  // another client has its own bucket
  CHECK(limiter.admit("10.0.0.1", start + 100ms));
  CHECK_FALSE(limiter.admit("10.0.0.1", start + 340ms));  // one token back
  CHECK(limiter.admit("10.0.0.1", start + 340ms));
  for (int i = 0; i < 3; ++i) CHECK_FALSE(limiter.admit("10.0.0.1", start + 10s));
}

TEST_CASE("A rate limit of 0 admits everything", "[searchd][rate]") {
  RateLimiter limiter(0);
  const auto now = RateLimiter::Clock::now();
  for (int i = 0; i < 1000; ++i) CHECK_FALSE(limiter.admit("10.0.0.1", now));
}

}  // namespace
}  // namespace sok::searchd
