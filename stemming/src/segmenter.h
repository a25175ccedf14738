#pragma once

#include <unicode/brkiter.h>

#include <cstdint>
#include <memory>
#include <vector>

#include "sok/stemming/language.h"

namespace sok {

struct Utf16Text;

enum class SegmentKind { word, number, unit };

// A range of UTF-16 units [begin, end).
struct Span {
  int32_t begin = 0;
  int32_t end = 0;
};

// One word of the text as the analyzer will index it.
struct Segment {
  SegmentKind kind = SegmentKind::word;
  Span span;                   // the whole token as written: what a snippet highlights
  Span term;                   // what the term is made of: span less a genitive ":s" or "'s"
  bool strip_dots = false;     // an abbreviation written with dots: "t.ex" → "tex"
  std::vector<Segment> parts;  // the words of a unit, in order
};

// Word segmentation with ICU's word BreakIterator for one language, plus the
// rules a site search needs on top of it:
// - punctuation and spaces are dropped, numbers kept;
// - "KI:s", "EU:s" are the genitive of KI, EU; "KI's" likewise in English;
// - abbreviations with dots ("t.ex.", "bl.a.", "e.g.") become one word;
// - words joined by hyphens ("COVID-19", "2024-03-14", "e-post"), URLs, e-mail
//   addresses and host names ("karolinska.se") are units: one token for the
//   whole plus one for each word in it.
// Not thread-safe.
class Segmenter {
 public:
  // Throws std::runtime_error when ICU's break rules cannot be loaded.
  explicit Segmenter(Language language);
  std::vector<Segment> segment(const Utf16Text& text);

 private:
  std::unique_ptr<icu::BreakIterator> words_;
};

}  // namespace sok
