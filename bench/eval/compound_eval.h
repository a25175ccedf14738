#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "sok/stemming/decompounder.h"

namespace sok::eval {

// A word and its gold top-level split ("forskning+infrastruktur"), or "-"
// for a word that must not be split.
struct CompoundCase {
  std::string word;
  std::string gold;
  int line = 0;
};

struct CompoundScore {
  std::size_t compounds = 0;        // gold compounds
  std::size_t non_compounds = 0;    // gold non-compounds
  std::size_t correct = 0;          // compounds split exactly as the gold says
  std::size_t same_stems = 0;       // compounds whose parts stem as the gold's do
  std::size_t wrong_split = 0;      // compounds split at another boundary
  std::size_t missed = 0;           // compounds left whole
  std::size_t false_splits = 0;     // non-compounds split
  std::vector<std::string> errors;  // "word: got X, want Y"

  double precision() const;  // correct / all splits made
  double recall() const;     // correct / compounds
  // The same two with "correct" meaning "the parts have the gold's Snowball
  // stems": what the index sees ("forskar" and "forskare" both stem to "forsk").
  double stem_precision() const;
  double stem_recall() const;
};

// Reads word<TAB>parts lines ('#' comments). Throws std::runtime_error naming
// the file and line of a malformed entry.
std::vector<CompoundCase> read_compound_cases(const std::string& path);

// The top-level split as "a+b", or "-" when the word is left whole.
std::string top_level_split(Decompounder& decompounder, const std::string& word);

CompoundScore score_compounds(Decompounder& decompounder, const std::vector<CompoundCase>& cases);

}  // namespace sok::eval
