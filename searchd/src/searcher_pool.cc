#include "sok/searchd/searcher_pool.h"

#include <spdlog/spdlog.h>

#include <atomic>
#include <memory>
#include <unordered_map>

#include "sok/index/index_error.h"

namespace sok::searchd {
namespace {

std::atomic<std::uint64_t> next_pool_id{1};

}  // namespace

SearcherPool::SearcherPool(std::string index_dir)
    : index_dir_(std::move(index_dir)), id_(next_pool_id++) {}

Searcher& SearcherPool::for_this_thread() {
  thread_local std::unordered_map<std::uint64_t, std::unique_ptr<Searcher>> searchers;
  auto& searcher = searchers[id_];
  if (!searcher) {
    searcher = std::make_unique<Searcher>(index_dir_);
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
