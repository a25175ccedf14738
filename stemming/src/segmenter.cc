#include "segmenter.h"

#include <unicode/uchar.h>

#include <stdexcept>
#include <string_view>

#include "utf16_text.h"

namespace sok {
namespace {

struct RawWord {
  Span span;
  bool number = false;
  int32_t genitive_end = -1;  // end of a ":s" that ICU split off ("COVID-19:s")
};

bool is_hyphen(UChar c) {
  return c == u'-' || c == 0x2010 || c == 0x2011;
}

bool is_apostrophe(UChar c) {
  return c == u'\'' || c == 0x2019;
}

bool is_url_char(UChar c) {
  return c > 0x20 && !u_isspace(c) && c != u'<' && c != u'>' && c != u'"' && c != 0xFFFD;
}

bool is_email_local_char(UChar c) {
  return u_isalnum(c) || c == u'.' || c == u'_' || c == u'%' || c == u'+' || c == u'-';
}

bool is_host_char(UChar c) {
  return u_isalnum(c) || c == u'.' || c == u'-';
}

bool is_trailing_punctuation(UChar c) {
  return c == u'.' || c == u',' || c == u';' || c == u':' || c == u'!' || c == u'?' || c == u')' ||
         c == u']' || c == u'}' || c == u'\'' || c == 0x2019;
}

// Whether text[at...] starts with the lower-case ASCII `prefix`, in any case.
bool starts_with_ci(const icu::UnicodeString& text, int32_t at, std::u16string_view prefix) {
  if (text.length() - at < static_cast<int32_t>(prefix.size())) return false;
  for (std::size_t k = 0; k < prefix.size(); ++k) {
    UChar c = text[at + static_cast<int32_t>(k)];
    if (c >= u'A' && c <= u'Z') c = static_cast<UChar>(c - u'A' + u'a');
    if (c != prefix[k]) return false;
  }
  return true;
}

int32_t trim_trailing_punctuation(const icu::UnicodeString& text, int32_t begin, int32_t end) {
  while (end > begin && is_trailing_punctuation(text[end - 1])) --end;
  return end;
}

// URLs ("https://…", "www.…") and e-mail addresses, in text order.
std::vector<Span> find_links(const icu::UnicodeString& text) {
  std::vector<Span> links;
  const int32_t n = text.length();
  int32_t covered = 0;  // links never overlap
  for (int32_t i = 0; i < n; ++i) {
    const UChar c = text[i];
    const bool may_start_link = c == u'h' || c == u'H' || c == u'w' || c == u'W';
    if (may_start_link && (i == 0 || !u_isalnum(text[i - 1])) &&
        (starts_with_ci(text, i, u"http://") || starts_with_ci(text, i, u"https://") ||
         starts_with_ci(text, i, u"www."))) {
      int32_t j = i;
      while (j < n && is_url_char(text[j])) ++j;
      j = trim_trailing_punctuation(text, i, j);
      links.push_back({i, j});
      covered = i = j;
      continue;
    }
    if (text[i] != u'@') continue;
    int32_t left = i;
    while (left > covered && is_email_local_char(text[left - 1])) --left;
    int32_t right = i + 1;
    while (right < n && is_host_char(text[right])) ++right;
    while (right > i + 1 && (text[right - 1] == u'.' || text[right - 1] == u'-')) --right;
    const bool has_dot = text.tempSubStringBetween(i + 1, right).indexOf(u'.') > 0;
    if (left < i && has_dot) {
      links.push_back({left, right});
      covered = i = right;
    }
  }
  return links;
}

bool is_colon(UChar c) {
  return c == u':' || c == 0xFF1A;
}  // also the full-width colon

// An abbreviation written with dots: pieces of one or two letters, at least
// one of a single letter ("t.ex", "bl.a", "e.g", "U.S"). "ki.se" is a host.
bool is_abbreviation(const icu::UnicodeString& text, Span span) {
  int32_t piece = 0;
  bool single = false;
  bool dotted = false;
  for (int32_t i = span.begin; i <= span.end; ++i) {
    if (i == span.end || text[i] == u'.') {
      if (piece == 0 && i < span.end) return false;
      single = single || piece == 1;
      dotted = dotted || i < span.end;
      piece = 0;
    } else if (!u_isalpha(text[i]) || ++piece > 2) {
      return false;
    }
  }
  return dotted && single;
}

// Letters, digits and the marks that combine with them.
bool is_word_char(UChar c) {
  return u_isalnum(c) || (U_GET_GC_MASK(c) & U_GC_M_MASK) != 0;
}

// The span without leading and trailing symbols ("@KarolinskaInst", "#ki").
Span trim_symbols(const icu::UnicodeString& text, Span span) {
  while (span.begin < span.end && !u_isalnum(text[span.begin])) ++span.begin;
  while (span.end > span.begin && !is_word_char(text[span.end - 1])) --span.end;
  return span;
}

int32_t find_in(const icu::UnicodeString& text, Span span, UChar c) {
  for (int32_t i = span.begin; i < span.end; ++i) {
    if (text[i] == c) return i;
  }
  return -1;
}

// Splits `span` at every one of `separators` into word segments (empty
// pieces skipped).
std::vector<Segment> split_at(const icu::UnicodeString& text, Span span,
                              std::u16string_view separators) {
  std::vector<Segment> parts;
  int32_t start = span.begin;
  for (int32_t i = span.begin; i <= span.end; ++i) {
    if (i == span.end || separators.find(text[i]) != std::u16string_view::npos) {
      if (i > start) {
        Segment part;
        part.span = part.term = {start, i};
        bool digits = true;
        for (int32_t k = start; k < i; ++k) digits = digits && u_isdigit(text[k]);
        part.kind = digits ? SegmentKind::number : SegmentKind::word;
        parts.push_back(part);
      }
      start = i + 1;
    }
  }
  return parts;
}

Segment make_unit(Span span, std::vector<Segment> parts) {
  Segment unit;
  unit.kind = SegmentKind::unit;
  unit.span = unit.term = span;
  unit.parts = std::move(parts);
  return unit;
}

// The endings Swedish puts after a colon on abbreviations and numbers:
// "KI:s", "SVT:n", "EU:ns", "1900-talet", "USB:en".
bool is_colon_suffix(const icu::UnicodeString& text, int32_t begin, int32_t end) {
  static const std::u16string_view kSuffixes[] = {u"s",  u"n",  u"en", u"et", u"ns", u"ens", u"ets",
                                                  u"ar", u"er", u"or", u"na", u"a",  u"e",   u"t"};
  if (end - begin < 1 || end - begin > 3) return false;
  std::u16string suffix;
  for (int32_t i = begin; i < end; ++i) {
    UChar c = static_cast<UChar>(u_tolower(text[i]));
    if (c >= 0xFF41 && c <= 0xFF5A) c = static_cast<UChar>(c - 0xFF41 + u'a');  // full-width
    suffix.push_back(static_cast<char16_t>(c));
  }
  for (auto known : kSuffixes) {
    if (suffix == known) return true;
  }
  return false;
}

// Drops a genitive or possessive ending from seg.term: "KI:s", "COVID-19:s",
// "KI's", "partners'". Returns false for a colon that is not a genitive
// ("10:30", "a:b"), which the caller splits.
bool drop_genitive(const icu::UnicodeString& text, Segment& seg) {
  const Span t = seg.term;
  for (int32_t colon = t.end - 1; colon > t.begin; --colon) {
    if (!is_colon(text[colon])) continue;
    if (!is_colon_suffix(text, colon + 1, t.end)) return false;
    seg.term.end = colon;
    return true;
  }
  const int32_t length = t.end - t.begin;
  if (length > 2 && is_apostrophe(text[t.end - 2]) &&
      (text[t.end - 1] == u's' || text[t.end - 1] == u'S')) {
    seg.term.end -= 2;
  } else if (length > 1 && is_apostrophe(text[t.end - 1])) {
    seg.term.end -= 1;
  }
  return true;
}

bool has_letter(const icu::UnicodeString& text, Span span) {
  for (int32_t i = span.begin; i < span.end; ++i) {
    if (u_isalpha(text[i])) return true;
  }
  return false;
}

// One ICU word, with symbols, genitives, abbreviations and host names sorted
// out. A word with letters is a word even where ICU calls it a number ("CO2").
Segment classify(const icu::UnicodeString& text, const RawWord& word) {
  Segment seg;
  seg.span = word.span;
  if (word.genitive_end >= 0) seg.span.end = word.genitive_end;
  seg.term = trim_symbols(text, word.span);
  seg.kind = has_letter(text, seg.term) ? SegmentKind::word : SegmentKind::number;
  if (seg.term.begin == seg.term.end) return seg;  // only symbols: an empty term, left out
  if (find_in(text, seg.term, u'@') >= 0)
    return make_unit(word.span, split_at(text, seg.term, u"@"));
  if (!drop_genitive(text, seg)) return make_unit(word.span, split_at(text, seg.term, u":\uFF1A"));
  if (seg.kind == SegmentKind::number || find_in(text, seg.term, u'.') < 0) return seg;
  if (is_abbreviation(text, seg.term)) {
    seg.strip_dots = true;
    return seg;
  }
  return make_unit(word.span, split_at(text, seg.term, u"."));
}

// The words of a unit. Inside a URL or an e-mail address every dot, colon
// and @ separates words; elsewhere a piece is classified like any word.
void append_parts(const icu::UnicodeString& text, const RawWord& word, bool in_link,
                  std::vector<Segment>& parts) {
  if (in_link) {
    auto pieces = split_at(text, word.span, u"@.:");
    parts.insert(parts.end(), pieces.begin(), pieces.end());
    return;
  }
  Segment seg = classify(text, word);
  if (seg.kind == SegmentKind::unit) {
    parts.insert(parts.end(), seg.parts.begin(), seg.parts.end());
  } else {
    parts.push_back(seg);
  }
}

// The words ICU finds, less punctuation and spaces.
std::vector<RawWord> raw_words(icu::BreakIterator& words, const icu::UnicodeString& text) {
  std::vector<RawWord> raw;
  words.setText(text);
  for (int32_t begin = words.first(), end = words.next(); end != icu::BreakIterator::DONE;
       begin = end, end = words.next()) {
    const int32_t status = words.getRuleStatus();
    if (status < UBRK_WORD_NONE_LIMIT) continue;
    raw.push_back({{begin, end}, status < UBRK_WORD_NUMBER_LIMIT});
  }
  return raw;
}

// Folds a ":s" that ICU split off a number or (in English) a word back into
// the word before it, so that "COVID-19:s" leaves no stray "s".
void merge_split_genitives(const icu::UnicodeString& text, std::vector<RawWord>& raw) {
  std::size_t kept = 0;
  for (std::size_t i = 0; i < raw.size(); ++i) {
    if (kept > 0 && !raw[i].number) {
      RawWord& previous = raw[kept - 1];
      const int32_t colon = previous.span.end;
      if (raw[i].span.begin == colon + 1 && is_colon(text[colon]) &&
          is_colon_suffix(text, raw[i].span.begin, raw[i].span.end)) {
        previous.genitive_end = raw[i].span.end;
        continue;
      }
    }
    raw[kept++] = raw[i];
  }
  raw.resize(kept);
}

// How many raw words from `first` on are joined by single hyphens.
std::size_t hyphen_group_end(const icu::UnicodeString& text, const std::vector<RawWord>& raw,
                             std::size_t first, int32_t next_link) {
  std::size_t last = first;
  while (last + 1 < raw.size() && raw[last].genitive_end < 0 &&
         raw[last + 1].span.begin == raw[last].span.end + 1 &&
         is_hyphen(text[raw[last].span.end]) && raw[last + 1].span.begin < next_link) {
    ++last;
  }
  return last;
}

}  // namespace

Segmenter::Segmenter(Language language) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Locale locale(language == Language::en ? "en" : "sv");
  words_.reset(icu::BreakIterator::createWordInstance(locale, status));
  if (U_FAILURE(status) || !words_) {
    throw std::runtime_error(std::string("cannot load ICU word-break rules: ") +
                             u_errorName(status));
  }
}

std::vector<Segment> Segmenter::segment(const Utf16Text& input) {
  const icu::UnicodeString& text = input.text;
  std::vector<RawWord> raw = raw_words(*words_, text);
  merge_split_genitives(text, raw);
  const std::vector<Span> links = find_links(text);
  std::vector<Segment> segments;
  std::size_t link = 0;
  for (std::size_t i = 0; i < raw.size();) {
    while (link < links.size() && links[link].end <= raw[i].span.begin) ++link;
    const int32_t next_link = link < links.size() ? links[link].begin : text.length() + 1;
    std::vector<Segment> parts;
    if (next_link <= raw[i].span.begin) {
      for (; i < raw.size() && raw[i].span.begin < links[link].end; ++i) {
        append_parts(text, raw[i], /*in_link=*/true, parts);
      }
      segments.push_back(make_unit(links[link], std::move(parts)));
      continue;
    }
    const std::size_t last = hyphen_group_end(text, raw, i, next_link);
    if (last == i) {
      segments.push_back(classify(text, raw[i++]));
      continue;
    }
    for (std::size_t k = i; k <= last; ++k) append_parts(text, raw[k], /*in_link=*/false, parts);
    Segment unit = make_unit({raw[i].span.begin, raw[last].span.end}, std::move(parts));
    if (raw[last].genitive_end >= 0) unit.span.end = raw[last].genitive_end;  // "COVID-19:s"
    segments.push_back(std::move(unit));
    i = last + 1;
  }
  return segments;
}

}  // namespace sok
