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
};

bool is_hyphen(UChar c) { return c == u'-' || c == 0x2010 || c == 0x2011; }

bool is_apostrophe(UChar c) { return c == u'\'' || c == 0x2019; }

bool is_url_char(UChar c) {
  return c > 0x20 && !u_isspace(c) && c != u'<' && c != u'>' && c != u'"' && c != 0xFFFD;
}

bool is_email_local_char(UChar c) {
  return u_isalnum(c) || c == u'.' || c == u'_' || c == u'%' || c == u'+' || c == u'-';
}

bool is_host_char(UChar c) { return u_isalnum(c) || c == u'.' || c == u'-'; }

bool is_trailing_punctuation(UChar c) {
  return c == u'.' || c == u',' || c == u';' || c == u':' || c == u'!' || c == u'?' ||
         c == u')' || c == u']' || c == u'}' || c == u'\'' || c == 0x2019;
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
    if (may_start_link && (i == 0 || !u_isalnum(text[i - 1])) && (starts_with_ci(text, i, u"http://") || starts_with_ci(text, i, u"https://") ||
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

bool all_short_letter_pieces(const icu::UnicodeString& text, Span span) {
  int32_t piece = 0;
  for (int32_t i = span.begin; i < span.end; ++i) {
    if (text[i] == u'.') {
      if (piece == 0) return false;
      piece = 0;
    } else if (!u_isalpha(text[i]) || ++piece > 2) {
      return false;
    }
  }
  return piece > 0 && piece <= 2;
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

// One ICU word, with genitives, abbreviations and host names sorted out.
Segment classify(const icu::UnicodeString& text, const RawWord& word) {
  Segment seg;
  seg.span = seg.term = word.span;
  if (word.number) {
    seg.kind = SegmentKind::number;
    return seg;
  }
  const icu::UnicodeString w = text.tempSubStringBetween(word.span.begin, word.span.end);
  const int32_t colon = w.lastIndexOf(u':');
  if (colon >= 0) {
    const int32_t suffix = w.length() - colon - 1;
    bool letters = suffix > 0 && suffix <= 3;
    for (int32_t i = colon + 1; letters && i < w.length(); ++i) letters = u_isalpha(w[i]);
    if (!letters || colon == 0) return make_unit(word.span, split_at(text, word.span, u":"));
    seg.term.end = word.span.begin + colon;  // "KI:s" → KI
  } else if (w.length() > 2 && is_apostrophe(w[w.length() - 2]) &&
             (w[w.length() - 1] == u's' || w[w.length() - 1] == u'S')) {
    seg.term.end -= 2;  // "KI's" → KI
  } else if (w.length() > 1 && is_apostrophe(w[w.length() - 1])) {
    seg.term.end -= 1;  // "partners'" → partners
  }
  if (w.indexOf(u'.') >= 0) {
    if (all_short_letter_pieces(text, seg.term)) {
      seg.strip_dots = true;
    } else {
      return make_unit(word.span, split_at(text, seg.term, u"."));
    }
  }
  return seg;
}

// The words of a unit: each piece classified, host names and e-mail
// addresses flattened into their words.
void append_parts(const icu::UnicodeString& text, const RawWord& word,
                  std::vector<Segment>& parts) {
  if (text.tempSubStringBetween(word.span.begin, word.span.end).indexOf(u'@') >= 0) {
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

}  // namespace

Segmenter::Segmenter(Language language) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Locale locale(language == Language::en ? "en" : "sv");
  words_.reset(icu::BreakIterator::createWordInstance(locale, status));
  if (U_FAILURE(status) || !words_) {
    throw std::runtime_error(std::string("cannot load ICU word-break rules: ") + u_errorName(status));
  }
}

std::vector<Segment> Segmenter::segment(const Utf16Text& input) {
  const icu::UnicodeString& text = input.text;
  std::vector<RawWord> raw;
  words_->setText(text);
  for (int32_t begin = words_->first(), end = words_->next(); end != icu::BreakIterator::DONE;
       begin = end, end = words_->next()) {
    const int32_t status = words_->getRuleStatus();
    if (status < UBRK_WORD_NONE_LIMIT) continue;
    raw.push_back({{begin, end}, status < UBRK_WORD_NUMBER_LIMIT});
  }

  const std::vector<Span> links = find_links(text);
  std::vector<Segment> segments;
  std::size_t link = 0;
  for (std::size_t i = 0; i < raw.size();) {
    while (link < links.size() && links[link].end <= raw[i].span.begin) ++link;
    if (link < links.size() && links[link].begin <= raw[i].span.begin) {
      std::vector<Segment> parts;
      for (; i < raw.size() && raw[i].span.begin < links[link].end; ++i) {
        append_parts(text, raw[i], parts);
      }
      segments.push_back(make_unit(links[link], std::move(parts)));
      continue;
    }
    std::size_t last = i;
    while (last + 1 < raw.size() && raw[last + 1].span.begin == raw[last].span.end + 1 &&
           is_hyphen(text[raw[last].span.end]) &&
           !(link < links.size() && links[link].begin <= raw[last + 1].span.begin)) {
      ++last;
    }
    if (last == i) {
      segments.push_back(classify(text, raw[i]));
      ++i;
      continue;
    }
    std::vector<Segment> parts;
    for (std::size_t k = i; k <= last; ++k) append_parts(text, raw[k], parts);
    segments.push_back(make_unit({raw[i].span.begin, raw[last].span.end}, std::move(parts)));
    i = last + 1;
  }
  return segments;
}

}  // namespace sok
