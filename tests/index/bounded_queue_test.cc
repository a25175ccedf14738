// The queue between the indexer's reader and its shard writers.
#include <catch2/catch.hpp>

#include <thread>
#include <vector>

#include "bounded_queue.h"

namespace sok::test {
namespace {

// Pushes 0..count-1 from another thread, the consumer sometimes slower,
// sometimes faster, and returns what pop() gave until it said closed.
std::vector<int> passed_through(std::size_t capacity, int count) {
  BoundedQueue<int> queue(capacity);
  std::thread producer([&] {
    for (int i = 0; i < count; ++i) {
      if (i % 97 == 0) std::this_thread::yield();
      queue.push(i);
    }
    queue.close();
  });
  std::vector<int> received;
  while (auto item = queue.pop()) {
    received.push_back(*item);
    if (received.size() % 89 == 0) std::this_thread::yield();
  }
  producer.join();
  return received;
}

TEST_CASE("Every item pushed comes out once and in order, whatever the queue's capacity",
          "[indexing]") {
  const std::size_t capacity = GENERATE(1u, 2u, 3u, 8u, 256u);
  constexpr int kCount = 20000;
  const std::vector<int> received = passed_through(capacity, kCount);
  REQUIRE(received.size() == static_cast<std::size_t>(kCount));
  for (int i = 0; i < kCount; ++i) REQUIRE(received[i] == i);
}

TEST_CASE("Closing a full queue wakes its blocked producer and drops the item", "[indexing]") {
  BoundedQueue<int> queue(2);
  REQUIRE(queue.push(1));
  REQUIRE(queue.push(2));
  bool pushed = true;
  std::thread producer([&] { pushed = queue.push(3); });
  queue.close();
  producer.join();
  CHECK_FALSE(pushed);
  CHECK(queue.pop() == 1);
  CHECK(queue.pop() == 2);
  CHECK_FALSE(queue.pop().has_value());
}

}  // namespace
}  // namespace sok::test
