#include "sok/index/snippet.h"

#include <algorithm>
#include <utility>
#include <vector>

namespace sok {
namespace {

using Range = std::pair<std::size_t, std::size_t>;  // bytes [first, second)

// The byte ranges to mark: a matching word whole, else its matching parts.
// Sorted, not overlapping.
std::vector<Range> marked_ranges(const Analysis& analysis, const TermSet& terms) {
  std::vector<Range> ranges;
  const auto& tokens = analysis.tokens;
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    if (tokens[i].is_part() || tokens[i].stop) continue;
    if (terms.count(tokens[i].term)) {
      ranges.emplace_back(tokens[i].begin, tokens[i].end);
      continue;
    }
    for (std::size_t j = i + 1; j < tokens.size() && tokens[j].is_part(); ++j) {
      if (!tokens[j].stop && terms.count(tokens[j].term))
        ranges.emplace_back(tokens[j].begin, tokens[j].end);
    }
  }
  std::sort(ranges.begin(), ranges.end());
  std::vector<Range> merged;
  for (const auto& r : ranges) {
    if (!merged.empty() && r.first <= merged.back().second) {
      merged.back().second = std::max(merged.back().second, r.second);
    } else {
      merged.push_back(r);
    }
  }
  return merged;
}

// Escaped text of [begin, end) with the ranges inside it marked.
std::string render(std::string_view text, std::size_t begin, std::size_t end,
                   const std::vector<Range>& marks) {
  std::string out;
  std::size_t at = begin;
  for (const auto& [first, last] : marks) {
    if (last <= begin || first >= end) continue;
    const std::size_t from = std::max(first, begin), to = std::min(last, end);
    out += escape_html(text.substr(at, from - at));
    out += "<mark>" + escape_html(text.substr(from, to - from)) + "</mark>";
    at = to;
  }
  out += escape_html(text.substr(at, end - at));
  return out;
}

// The window start (a token's start) of at most max_bytes holding the most marks.
std::size_t densest_start(const std::vector<Range>& marks, std::size_t max_bytes) {
  std::size_t best_start = marks.front().first, best = 0;
  std::size_t last = 0;
  for (std::size_t first = 0; first < marks.size(); ++first) {
    last = std::max(last, first);
    while (last + 1 < marks.size() && marks[last + 1].second - marks[first].first <= max_bytes)
      ++last;
    if (last - first + 1 > best) {
      best = last - first + 1;
      best_start = marks[first].first;
    }
  }
  return best_start;
}

}  // namespace

std::string escape_html(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

std::string highlight(Analyzer& analyzer, std::string_view text, Language language,
                      const TermSet& terms) {
  const Analysis analysis = analyzer.analyze(text, language);
  return render(text, 0, text.size(), marked_ranges(analysis, terms));
}

std::string snippet(Analyzer& analyzer, std::string_view text, Language language,
                    const TermSet& terms, std::size_t max_bytes) {
  const Analysis analysis = analyzer.analyze(text, language);
  const std::vector<Range> marks = marked_ranges(analysis, terms);
  // Start a little before the first marked word, at a word's start.
  std::size_t begin = 0;
  if (!marks.empty()) {
    const std::size_t dense = densest_start(marks, max_bytes);
    const std::size_t lead = max_bytes / 5;
    begin = dense > lead ? dense - lead : 0;
  }
  std::size_t first_token = 0;
  while (first_token < analysis.tokens.size() && analysis.tokens[first_token].begin < begin)
    ++first_token;
  if (first_token == analysis.tokens.size()) first_token = 0;
  begin = analysis.tokens.empty() || first_token == 0 ? 0 : analysis.tokens[first_token].begin;
  // End at the last whole word that fits.
  std::size_t end = begin;
  for (std::size_t i = first_token; i < analysis.tokens.size(); ++i) {
    if (analysis.tokens[i].end - begin > max_bytes) break;
    end = std::max<std::size_t>(end, analysis.tokens[i].end);
  }
  if (end == begin) {
    end = std::min(text.size(), begin + max_bytes);
    while (end < text.size() && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  }
  if (end < text.size() &&
      (text[end] == '.' || text[end] == ',' || text[end] == '!' || text[end] == '?'))
    ++end;
  std::string out = begin > 0 ? "…" : "";
  out += render(text, begin, end, marks);
  if (end < text.size()) out += "…";
  return out;
}

}  // namespace sok
