#pragma once

#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>

namespace sok {

// A first-in first-out queue between two threads that blocks the producer
// when `capacity` items wait, so memory stays bounded however fast it reads.
// A blocked producer is woken once half the items are taken, not at each
// one: it then pushes in a run, where waking it per item would cost a
// context switch per item on both sides.
template <typename T>
class BoundedQueue {
 public:
  explicit BoundedQueue(std::size_t capacity) : capacity_(capacity) {}

  // Blocks while full. Returns false (dropping the item) once closed.
  bool push(T item) {
    std::unique_lock<std::mutex> lock(mutex_);
    not_full_.wait(lock, [&] { return items_.size() < capacity_ || closed_; });
    if (closed_) return false;
    items_.push_back(std::move(item));
    not_empty_.notify_one();
    return true;
  }

  // Blocks while empty and open. nullopt once closed and drained.
  std::optional<T> pop() {
    std::unique_lock<std::mutex> lock(mutex_);
    not_empty_.wait(lock, [&] { return !items_.empty() || closed_; });
    if (items_.empty()) return std::nullopt;
    T item = std::move(items_.front());
    items_.pop_front();
    if (items_.size() <= capacity_ / 2) not_full_.notify_one();
    return item;
  }

  // How many items wait now.
  std::size_t size() {
    std::lock_guard<std::mutex> lock(mutex_);
    return items_.size();
  }

  // No more pushes; pop() drains what is left. Wakes both sides.
  void close() {
    std::lock_guard<std::mutex> lock(mutex_);
    closed_ = true;
    not_empty_.notify_all();
    not_full_.notify_all();
  }

 private:
  std::mutex mutex_;
  std::condition_variable not_empty_;
  std::condition_variable not_full_;
  std::deque<T> items_;  // guarded by mutex_
  std::size_t capacity_;
  bool closed_ = false;  // guarded by mutex_
};

}  // namespace sok
