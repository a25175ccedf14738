#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "sok/stemming/language.h"
#include "sok/stemming/token.h"

namespace sok {

class SwedishLexicon;

struct AnalyzerOptions {
  // Split Swedish compounds and add their parts at the compound's position.
  bool split_compounds = true;
  // Apply the Snowball stemmer of the text's language to words.
  bool stem = true;
  // Folder with the Hunspell dictionary sv_SE.aff / sv_SE.dic (Debian's
  // hunspell-sv). Only read when split_compounds is on.
  std::string dictionary_dir = "/usr/share/hunspell";
  // Terms longer than this many bytes are not indexable (Xapian's limit is
  // 245 bytes): such tokens are dropped and counted.
  std::size_t max_term_bytes = 120;
};

// What one call of Analyzer::analyze found.
struct Analysis {
  std::vector<Token> tokens;
  Language language = Language::unknown;  // as given, or as identified
  std::size_t invalid_utf8 = 0;           // ill-formed byte sequences, each replaced by U+FFFD
  std::size_t dropped = 0;                // tokens longer than max_term_bytes, left out
};

// The one text-analysis chain of sok, used at index time and at query time:
// ICU word segmentation → normalisation and folding → stop-word flag →
// Swedish compound splitting → Snowball stemming (of a Swedish word's base
// form, when the dictionary knows it). Text whose language is not given has
// it identified first.
//
// Not thread-safe: use one Analyzer per thread. Analyzers made from the same
// options share one Swedish lexicon (loaded once, read-only).
class Analyzer {
 public:
  // Throws std::runtime_error naming the file when ICU data or the Swedish
  // dictionary cannot be loaded.
  explicit Analyzer(AnalyzerOptions options = {});
  // Shares `lexicon` (may be null when split_compounds is off).
  Analyzer(AnalyzerOptions options, std::shared_ptr<const SwedishLexicon> lexicon);
  ~Analyzer();
  Analyzer(Analyzer&&) noexcept;
  Analyzer& operator=(Analyzer&&) noexcept;

  // Analyses UTF-8 `text` in `language`. Never throws on bad text: invalid
  // UTF-8 is replaced and counted, NUL bytes separate words.
  Analysis analyze(std::string_view text, Language language = Language::unknown);

  // The stem of one already-folded word in `language` (unchanged for
  // Language::unknown or when stemming is off).
  std::string stem(std::string_view folded_word, Language language);

  const AnalyzerOptions& options() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace sok
