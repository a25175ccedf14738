#include "sok/index/snippet.h"

#include <algorithm>
#include <map>
#include <unordered_map>
#include <utility>
#include <vector>

namespace sok {
namespace {

using Range = std::pair<std::size_t, std::size_t>;  // bytes [first, second)

// Bytes [first, second) of the text where `term` (one of a TermSet's, or
// a likely_marks() key) shows.
struct Mark {
  std::size_t first = 0;
  std::size_t second = 0;
  std::string_view term;
  bool operator<(const Mark& other) const { return first < other.first; }
};

// Marks of `together`'s terms, kept where another term of the same group
// stands near: within the group's size plus kPartsSlack positions.
class GroupedParts {
 public:
  explicit GroupedParts(const PartGroups& together) : together_(together) {
    for (std::size_t g = 0; g < together.size(); ++g) {
      for (const std::string& term : together[g]) group_of_.emplace(term, g);
    }
  }

  // Whether `token` is a part of a group (held back until keep_near()).
  bool hold(const Token& token) {
    const auto group = group_of_.find(token.term);
    if (group == group_of_.end()) return false;
    held_.push_back({{token.begin, token.end, group->first}, token.position, group->second});
    return true;
  }

  // Adds the held marks that have a partner near them to `marks`.
  void keep_near(std::vector<Mark>& marks) const {
    for (const Held& held : held_) {
      const auto near = [&](const Held& other) {
        const std::uint32_t distance = held.position > other.position
                                           ? held.position - other.position
                                           : other.position - held.position;
        return other.group == held.group && other.mark.term != held.mark.term &&
               distance <= together_[held.group].size() + kPartsSlack;
      };
      if (std::any_of(held_.begin(), held_.end(), near)) marks.push_back(held.mark);
    }
  }

 private:
  static constexpr std::uint32_t kPartsSlack = 3;  // as the search's OP_NEAR
  struct Held {
    Mark mark;
    std::uint32_t position = 0;
    std::size_t group = 0;
  };
  const PartGroups& together_;
  std::unordered_map<std::string_view, std::size_t> group_of_;
  std::vector<Held> held_;
};

// The byte ranges to mark: a matching word whole, else its matching parts;
// the parts of `together` only near each other. Sorted, not overlapping.
std::vector<Mark> marked_ranges(const Analysis& analysis, const TermSet& terms,
                                const PartGroups& together) {
  std::vector<Mark> ranges;
  GroupedParts grouped(together);
  const auto& tokens = analysis.tokens;
  auto mark = [&](const Token& token) {
    const auto term = terms.find(token.term);
    if (term == terms.end()) return grouped.hold(token);
    ranges.push_back({token.begin, token.end, *term});
    return true;
  };
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    if (tokens[i].is_part() || tokens[i].stop) continue;
    if (mark(tokens[i])) continue;
    for (std::size_t j = i + 1; j < tokens.size() && tokens[j].is_part(); ++j) {
      if (!tokens[j].stop) mark(tokens[j]);
    }
  }
  grouped.keep_near(ranges);
  std::stable_sort(ranges.begin(), ranges.end());
  std::vector<Mark> merged;
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
                   const std::vector<Mark>& marks) {
  std::string out;
  std::size_t at = begin;
  for (const auto& [first, last, term] : marks) {
    if (last <= begin || first >= end) continue;
    const std::size_t from = std::max(first, begin), to = std::min(last, end);
    out += escape_html(text.substr(at, from - at));
    out += "<mark>" + escape_html(text.substr(from, to - from)) + "</mark>";
    at = to;
  }
  out += escape_html(text.substr(at, end - at));
  return out;
}

// From the first mark's start to the last one's end: the window of at most
// max_bytes (unless one mark is longer) that holds the most distinct terms,
// and of those the most marks. "pågår i Flemingsberg" shows the passage
// with both words before one that says Flemingsberg twice.
Range densest_window(const std::vector<Mark>& marks, std::size_t max_bytes) {
  std::map<std::string_view, std::size_t> in_window;  // term → its marks in the window
  std::pair<std::size_t, std::size_t> best{0, 0};     // distinct terms, marks
  Range best_window{marks.front().first, marks.front().second};
  std::size_t end = 0;  // one past the window's last mark
  for (std::size_t first = 0; first < marks.size(); ++first) {
    if (end == first) ++in_window[marks[end++].term];
    while (end < marks.size() && marks[end].second - marks[first].first <= max_bytes)
      ++in_window[marks[end++].term];
    const std::pair<std::size_t, std::size_t> held{in_window.size(), end - first};
    if (held > best) {
      best = held;
      best_window = {marks[first].first, marks[end - 1].second};
    }
    if (--in_window[marks[first].term] == 0) in_window.erase(marks[first].term);
  }
  return best_window;
}

bool is_continuation_byte(char c) {
  return (static_cast<unsigned char>(c) & 0xC0) == 0x80;
}

// Texts up to this many times the snippet's length are analysed whole.
constexpr std::size_t kWholeTextFactor = 3;

// `text` with ASCII letters and the Latin-1 capitals (Å, Ä, Ö, É, …) in lower
// case, byte for byte the same length.
std::string lower_case_latin(std::string_view text) {
  std::string out(text);
  for (std::size_t i = 0; i < out.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(out[i]);
    if (c >= 'A' && c <= 'Z') {
      out[i] = static_cast<char>(c + 32);
    } else if (c == 0xC3 && i + 1 < out.size()) {
      const unsigned char next = static_cast<unsigned char>(out[i + 1]);
      if (next >= 0x80 && next <= 0x9E && next != 0x97) out[i + 1] = static_cast<char>(next + 32);
      ++i;
    }
  }
  return out;
}

// Where a word of `terms` probably is: the bytes where the start of a term
// shows in the lower-cased text. A stem keeps at least all but its last two
// letters of the word it comes from (Snowball only changes endings), so the
// places found include nearly every word the analysis will mark; a few more
// do no harm. Sorted.
std::vector<Mark> likely_marks(std::string_view text, const TermSet& terms) {
  const std::string lower = lower_case_latin(text);
  std::vector<Mark> found;
  for (const std::string& term : terms) {
    if (term.empty()) continue;
    std::size_t key_size =
        term.size() > 5 ? term.size() - 2 : std::min<std::size_t>(term.size(), 3);
    while (key_size < term.size() && is_continuation_byte(term[key_size])) ++key_size;
    const std::string_view key(term.data(), key_size);
    for (std::size_t at = lower.find(key); at != std::string::npos; at = lower.find(key, at + 1))
      found.push_back({at, at + key_size, term});
  }
  std::stable_sort(found.begin(), found.end());
  return found;
}

// The part of a long `text` worth analysing for a snippet of `max_bytes`:
// room for the passage around the densest likely marks and half a passage
// either side, cut at spaces. The start of the text when nothing is likely.
Range likely_passage(std::string_view text, const TermSet& terms, std::size_t max_bytes) {
  const std::vector<Mark> likely = likely_marks(text, terms);
  const std::size_t centre = likely.empty() ? 0 : densest_window(likely, max_bytes).first;
  const std::size_t margin = max_bytes / 2 + max_bytes / 5;
  std::size_t begin = centre > margin ? centre - margin : 0;
  std::size_t end = std::min(text.size(), centre + max_bytes + margin);
  while (begin > 0 && text[begin - 1] != ' ' && text[begin - 1] != '\n') --begin;
  while (end < text.size() && text[end] != ' ' && text[end] != '\n') ++end;
  return {begin, end};
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
                      const TermSet& terms, const PartGroups& together) {
  const Analysis analysis = analyzer.analyze(text, language);
  return render(text, 0, text.size(), marked_ranges(analysis, terms, together));
}

std::string snippet(Analyzer& analyzer, std::string_view text, Language language,
                    const TermSet& terms, std::size_t max_bytes, const PartGroups& together) {
  // A long text is analysed only around where its marked words probably are.
  Range window{0, text.size()};
  if (text.size() > kWholeTextFactor * max_bytes) {
    TermSet likely = terms;
    for (const auto& group : together) likely.insert(group.begin(), group.end());
    window = likely_passage(text, likely, max_bytes);
  }
  Analysis analysis =
      analyzer.analyze(text.substr(window.first, window.second - window.first), language);
  for (Token& token : analysis.tokens) {
    token.begin += window.first;
    token.end += window.first;
  }
  const std::vector<Mark> marks = marked_ranges(analysis, terms, together);
  // Start a little before the first marked word, at a word's start, but
  // not so far before that the window's last marked word is cut off.
  std::size_t begin = window.first;
  if (!marks.empty()) {
    const Range dense = densest_window(marks, max_bytes);
    const std::size_t span = dense.second - dense.first;
    const std::size_t lead = span < max_bytes ? std::min(max_bytes / 5, max_bytes - span) : 0;
    begin = dense.first > lead ? dense.first - lead : 0;
  }
  std::size_t first_token = 0;
  while (first_token < analysis.tokens.size() && analysis.tokens[first_token].begin < begin)
    ++first_token;
  if (first_token == analysis.tokens.size()) first_token = 0;
  begin = analysis.tokens.empty() || first_token == 0 ? window.first
                                                      : analysis.tokens[first_token].begin;
  // End at the last whole word that fits.
  std::size_t end = begin;
  for (std::size_t i = first_token; i < analysis.tokens.size(); ++i) {
    if (analysis.tokens[i].end - begin > max_bytes) break;
    end = std::max<std::size_t>(end, analysis.tokens[i].end);
  }
  if (end == begin) {
    end = std::min(text.size(), begin + max_bytes);
    while (end < text.size() && is_continuation_byte(text[end])) --end;
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
