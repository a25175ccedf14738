#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace sok::searchd {

// What visitors searched for, counted per hour for the last week, for the
// staff's GET /api/admin/stats: the popular queries and those that found
// nothing. Holds no personal data: no addresses, no times finer than the
// hour, and queries that may hold a person's contact details (an e-mail
// address, a phone or personal identity number) are counted but not kept.
// Thread-safe.
class QueryStats {
 public:
  using Clock = std::chrono::system_clock;

  // Hours kept: a week and the hour under way.
  static constexpr std::int64_t kHoursKept = 7 * 24 + 1;
  // Distinct queries kept per hour; further ones count in the totals only.
  static constexpr std::size_t kQueriesPerHour = 1000;
  // Queries are kept to this many bytes (cut at a character boundary).
  static constexpr std::size_t kMaxQueryBytes = 100;

  // Reads `file` when it exists (query-stats.json beside the index). A file
  // that cannot be read is moved aside to `file`.bad, never overwritten, and
  // the counting starts afresh; load_problem() says why. "" keeps stats in
  // memory only.
  explicit QueryStats(std::string file);

  const std::string& file() const { return file_; }
  // Why the file could not be loaded, or "".
  const std::string& load_problem() const { return load_problem_; }

  // One search for `query` (as typed) that found `hits` articles.
  void record(std::string_view query, std::size_t hits, Clock::time_point now = Clock::now());

  struct Entry {
    std::string query;
    std::uint64_t count = 0;
  };
  struct Period {
    std::uint64_t searches = 0;
    std::uint64_t zero_hit_searches = 0;
    std::uint64_t withheld = 0;  // searches whose query was not kept (personal data)
    std::vector<Entry> popular;  // most searched first, then by query
    std::vector<Entry> zero_hits;
  };
  // The last `hours` hours (the current one included), with the `top`
  // queries of each list.
  Period period(std::int64_t hours, std::size_t top, Clock::time_point now = Clock::now()) const;

  // Writes the stats to file() atomically (a temporary file renamed over
  // it). Returns "" or what went wrong; nothing is written without a file.
  std::string save() const;

 private:
  struct Counts {
    std::uint64_t searches = 0;
    std::uint64_t zero_hits = 0;
  };
  struct Hour {
    std::uint64_t searches = 0;
    std::uint64_t zero_hit_searches = 0;
    std::uint64_t withheld = 0;
    std::map<std::string, Counts, std::less<>> queries;
  };

  void load();
  void forget_before(std::int64_t hour);

  std::string file_;
  std::string load_problem_;
  mutable std::mutex mutex_;
  std::map<std::int64_t, Hour> hours_;  // GUARDED_BY(mutex_); by hours since the epoch
};

// `query` as it is counted: spaces trimmed and collapsed, letters in lower
// case (ASCII and Latin-1, å ä ö included), at most kMaxQueryBytes.
std::string normalized_query(std::string_view query);

// Whether `query` may hold personal data: an "@", a word of seven digits or
// more, or nine digits or more written with spaces or dashes only.
bool looks_personal(std::string_view query);

}  // namespace sok::searchd
