#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include <vector>
#include "sok/stemming/string_map.h"

namespace sok {

class SwedishLexicon;

// One part of a compound: bytes [begin, end) of the compound as written, and
// the part's base form ("forsknings" → "forskning", "samarbets" → "samarbete").
struct CompoundPart {
  std::size_t begin = 0;
  std::size_t end = 0;
  std::string lemma;
};

// Splits Swedish compounds at their top-level boundary, modifier first, head
// last ("forskningsinfrastrukturen" → forskning + infrastrukturen). A
// modifier or a head that is itself a compound contributes its own parts
// after them.
//
// Guards against false splits: both parts must be dictionary words of three
// letters or more (four when the whole word is itself an entry), prefixes and
// function words are not modifiers, derivational suffixes ("-het") are not
// heads, and proper nouns ("flemingsberg") are never split.
//
// Not thread-safe (it memoises results); one per analyzer.
class Decompounder {
 public:
  explicit Decompounder(std::shared_ptr<const SwedishLexicon> lexicon);

  // Parts of a folded lower-case word, or an empty vector when the word is
  // not a compound. The top-level parts come first.
  const std::vector<CompoundPart>& split(std::string_view word);

 private:
  // A split point: bytes and letters on either side.
  struct Boundary {
    std::size_t bytes = 0;
    std::size_t modifier_letters = 0;
    std::size_t head_letters = 0;
  };
  struct Candidate {
    std::size_t boundary = 0;
    std::string modifier_lemma;
    std::string head_lemma;
    std::vector<CompoundPart> modifier_parts;  // when the modifier is a compound itself
    int score = -1;
  };
  std::vector<CompoundPart> compute(std::string_view word, int depth);
  Candidate evaluate(std::string_view word, const Boundary& at, bool lexicalised, int depth);
  std::string modifier_lemma(std::string_view modifier) const;
  bool usable_head(std::string_view head) const;
  std::optional<std::string> head_lemma(std::string_view head);

  std::shared_ptr<const SwedishLexicon> lexicon_;
  StringMap<std::vector<CompoundPart>> memo_;
  StringMap<std::optional<std::string>> head_lemmas_;
};

}  // namespace sok
