#include "sok/searchd/searcher_pool.h"

#include <spdlog/spdlog.h>

#include <atomic>
#include <memory>
#include <unordered_map>

#include "sok/index/index_error.h"

namespace sok::searchd {
namespace {

std::atomic<std::uint64_t> next_pool_id{1};

// `options` with logging before its callbacks.
ShardOptions logged(ShardOptions options) {
  auto down = options.on_down;
  auto up = options.on_up;
  options.on_down = [down](const std::string& shard, const std::string& why) {
    spdlog::warn("shard {} is down, left out of searches until it answers again: {}", shard, why);
    if (down) down(shard, why);
  };
  options.on_up = [up](const std::string& shard) {
    spdlog::info("shard {} answers again", shard);
    if (up) up(shard);
  };
  return options;
}

}  // namespace

SearcherPool::SearcherPool(std::string index_dir)
    : SearcherPool(std::vector<std::string>{std::move(index_dir)}, {}) {}

SearcherPool::SearcherPool(std::vector<std::string> indexes, ShardOptions shards,
                           RankingOptions ranking)
    : indexes_(std::move(indexes)),
      shards_(logged(std::move(shards))),
      ranking_(ranking),
      id_(next_pool_id++) {}

Searcher& SearcherPool::for_this_thread() {
  thread_local std::unordered_map<std::uint64_t, std::unique_ptr<Searcher>> searchers;
  auto& searcher = searchers[id_];
  if (!searcher) {
    searcher = std::make_unique<Searcher>(indexes_, ranking_, shards_);
    return *searcher;
  }
  try {
    searcher->refresh();
  } catch (const IndexError& e) {
    spdlog::warn("serving the index as it was: {}", e.what());
  }
  return *searcher;
}

}  // namespace sok::searchd
