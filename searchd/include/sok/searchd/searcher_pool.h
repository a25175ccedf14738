#pragma once

#include <cstdint>
#include <string>

#include "sok/index/searcher.h"

namespace sok::searchd {

// One Searcher per thread over one index folder (a Searcher is not
// thread-safe; each has its own Xapian handle). Thread-safe.
class SearcherPool {
 public:
  explicit SearcherPool(std::string index_dir);

  // The calling thread's Searcher, opened on the thread's first call and
  // moved to the index's newest revision on every call, so that an update
  // or a new build shows on the next request. Throws IndexError when the
  // index cannot be opened; when a refresh fails the old revision is kept.
  // The Searcher lives as long as the thread.
  Searcher& for_this_thread();

  const std::string& index_dir() const { return index_dir_; }

 private:
  std::string index_dir_;
  std::uint64_t id_;  // tells pools apart in the threads' tables
};

}  // namespace sok::searchd
