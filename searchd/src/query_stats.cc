#include "sok/searchd/query_stats.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace sok::searchd {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr const char* kFormat = "sok-query-stats-1";
// A word with this many digits ("19800101-1234", "0701234567"), or a query
// of digits, spaces and dashes with this many ("070-123 45 67"), may be a
// personal identity or phone number.
constexpr std::size_t kDigitsInAWord = 7;
constexpr std::size_t kDigitsInANumber = 9;

std::int64_t hour_of(QueryStats::Clock::time_point now) {
  return std::chrono::duration_cast<std::chrono::hours>(now.time_since_epoch()).count();
}

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

// Lower case for ASCII and for the Latin-1 capitals (U+00C0–U+00DE but ×),
// which UTF-8 writes as C3 80–C3 9E.
void lower_in_place(std::string& text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    auto& c = reinterpret_cast<unsigned char&>(text[i]);
    if (c >= 'A' && c <= 'Z') c = static_cast<unsigned char>(c + 32);
    if (c == 0xC3 && i + 1 < text.size()) {
      auto& next = reinterpret_cast<unsigned char&>(text[i + 1]);
      if (next >= 0x80 && next <= 0x9E && next != 0x97)
        next = static_cast<unsigned char>(next + 32);
      ++i;
    }
  }
}

// `text` cut to at most `bytes`, never inside a UTF-8 sequence.
std::string cut_at_character(std::string text, std::size_t bytes) {
  if (text.size() <= bytes) return text;
  std::size_t end = bytes;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  text.resize(end);
  return text;
}

std::vector<QueryStats::Entry> top_of(const std::map<std::string, std::uint64_t>& counts,
                                      std::size_t top) {
  std::vector<QueryStats::Entry> entries;
  for (const auto& [query, count] : counts) {
    if (count > 0) entries.push_back({query, count});
  }
  std::stable_sort(entries.begin(), entries.end(),
                   [](const auto& a, const auto& b) { return a.count > b.count; });
  if (entries.size() > top) entries.resize(top);
  return entries;
}

void write_synced(const fs::path& path, const std::string& content) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) throw std::runtime_error(path.string() + ": " + std::strerror(errno));
  const bool ok =
      ::write(fd, content.data(), content.size()) == static_cast<ssize_t>(content.size()) &&
      ::fsync(fd) == 0;
  const int saved = errno;
  ::close(fd);
  if (!ok) throw std::runtime_error(path.string() + ": " + std::strerror(saved));
}

}  // namespace

std::string normalized_query(std::string_view query) {
  std::string out;
  for (const char c : query) {
    if (is_space(c)) {
      if (!out.empty() && out.back() != ' ') out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  if (!out.empty() && out.back() == ' ') out.pop_back();
  lower_in_place(out);
  return cut_at_character(std::move(out), QueryStats::kMaxQueryBytes);
}

bool looks_personal(std::string_view query) {
  if (query.find('@') != std::string_view::npos) return true;
  std::size_t digits = 0, in_word = 0;
  bool only_number_characters = true;
  for (const char c : query) {
    if (c >= '0' && c <= '9') {
      ++digits;
      if (++in_word >= kDigitsInAWord) return true;
    } else if (is_space(c)) {
      in_word = 0;
    } else if (c != '-' && c != '+') {
      only_number_characters = false;
    }
  }
  return only_number_characters && digits >= kDigitsInANumber;
}

QueryStats::QueryStats(std::string file) : file_(std::move(file)) {
  if (!file_.empty()) load();
}

void QueryStats::load() {
  std::error_code error;
  if (!fs::exists(file_, error)) return;
  try {
    std::ifstream in(file_);
    const json document = json::parse(in);
    if (document.value("format", "") != kFormat)
      throw std::runtime_error(std::string("not a \"") + kFormat + "\" file");
    for (const auto& h : document.at("hours")) {
      Hour& hour = hours_[h.at("hour").get<std::int64_t>()];
      hour.searches = h.at("searches").get<std::uint64_t>();
      hour.zero_hit_searches = h.at("zero_hit_searches").get<std::uint64_t>();
      hour.withheld = h.at("withheld").get<std::uint64_t>();
      for (const auto& [query, counts] : h.at("queries").items()) {
        hour.queries[query] = {counts.at(0).get<std::uint64_t>(),
                               counts.at(1).get<std::uint64_t>()};
      }
    }
  } catch (const std::exception& e) {
    hours_.clear();
    const std::string aside = file_ + ".bad";
    fs::rename(file_, aside, error);
    load_problem_ =
        file_ + " cannot be read (" + e.what() + "); moved to " + aside + " and counting afresh";
  }
}

void QueryStats::record(std::string_view query, std::size_t hits, Clock::time_point now) {
  const std::int64_t hour_now = hour_of(now);
  const bool withheld = looks_personal(query);
  const std::string kept = withheld ? std::string() : normalized_query(query);
  const std::lock_guard lock(mutex_);
  if (hours_.empty() || hours_.rbegin()->first < hour_now) forget_before(hour_now - kHoursKept + 1);
  Hour& hour = hours_[hour_now];
  ++hour.searches;
  if (hits == 0) ++hour.zero_hit_searches;
  if (withheld) ++hour.withheld;
  if (kept.empty()) return;
  auto it = hour.queries.find(kept);
  if (it == hour.queries.end()) {
    if (hour.queries.size() >= kQueriesPerHour) return;
    it = hour.queries.emplace(kept, Counts{}).first;
  }
  ++it->second.searches;
  if (hits == 0) ++it->second.zero_hits;
}

void QueryStats::forget_before(std::int64_t hour) {
  hours_.erase(hours_.begin(), hours_.lower_bound(hour));
}

QueryStats::Period QueryStats::period(std::int64_t hours, std::size_t top,
                                      Clock::time_point now) const {
  const std::int64_t last = hour_of(now);
  Period out;
  std::map<std::string, std::uint64_t> searched, zero;
  const std::lock_guard lock(mutex_);
  for (auto it = hours_.lower_bound(last - hours + 1); it != hours_.end() && it->first <= last;
       ++it) {
    out.searches += it->second.searches;
    out.zero_hit_searches += it->second.zero_hit_searches;
    out.withheld += it->second.withheld;
    for (const auto& [query, counts] : it->second.queries) {
      searched[query] += counts.searches;
      zero[query] += counts.zero_hits;
    }
  }
  out.popular = top_of(searched, top);
  out.zero_hits = top_of(zero, top);
  return out;
}

std::string QueryStats::save() const {
  if (file_.empty()) return "";
  json document = {{"format", kFormat}, {"hours", json::array()}};
  {
    const std::lock_guard lock(mutex_);
    for (const auto& [number, hour] : hours_) {
      json queries = json::object();
      for (const auto& [query, counts] : hour.queries)
        queries[query] = {counts.searches, counts.zero_hits};
      document["hours"].push_back({{"hour", number},
                                   {"searches", hour.searches},
                                   {"zero_hit_searches", hour.zero_hit_searches},
                                   {"withheld", hour.withheld},
                                   {"queries", std::move(queries)}});
    }
  }
  const fs::path target(file_);
  const fs::path temporary = target.string() + ".new";
  try {
    write_synced(temporary, document.dump(-1, ' ', false, json::error_handler_t::replace));
    fs::rename(temporary, target);
  } catch (const std::exception& e) {
    std::error_code ignored;
    fs::remove(temporary, ignored);
    return std::string("cannot write the query stats: ") + e.what();
  }
  return "";
}

}  // namespace sok::searchd
