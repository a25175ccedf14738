#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sok/index/searcher.h"

namespace sok::searchd {

// One Searcher per thread over one index: a folder, or several shards
// (folders and tcp://HOST:PORT remotes). A Searcher is not thread-safe;
// each has its own Xapian handles. Thread-safe.
class SearcherPool {
 public:
  explicit SearcherPool(std::string index_dir);
  // `shards.on_down` and `on_up` are called (from the searching thread)
  // after the pool has logged the event.
  SearcherPool(std::vector<std::string> indexes, ShardOptions shards, RankingOptions ranking = {});

  // The calling thread's Searcher, opened on the thread's first call and
  // moved to the index's newest revision on every call, so that an update
  // or a new build shows on the next request (and shards that were down
  // are tried again). Throws IndexError when the index cannot be opened;
  // when a refresh fails the old revision is kept. The Searcher lives as
  // long as the thread.
  Searcher& for_this_thread();

  // The first index given (the one folder of an index that is not sharded).
  const std::string& index_dir() const { return indexes_.front(); }
  const std::vector<std::string>& indexes() const { return indexes_; }

 private:
  std::vector<std::string> indexes_;
  ShardOptions shards_;
  RankingOptions ranking_;
  std::uint64_t id_;  // tells pools apart in the threads' tables
};

}  // namespace sok::searchd
