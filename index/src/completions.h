#pragma once

#include <xapian.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "sok/index/searcher.h"
#include "sok/stemming/analyzer.h"

namespace sok {

// What search-as-you-type can complete to, read once from an index: the
// words of its spelling lists (Swedish and English apart), and its partner
// names and tags as written. Kept sorted by folded form, so a completion is
// a binary search and a short scan.
class Completions {
 public:
  Completions() = default;
  // `remote`: `db` has remote shards, whose values are counted with a
  // match spy (one exchange) rather than read as value streams (one
  // exchange a document); locally the value streams are faster.
  Completions(const Xapian::Database& db, Analyzer& analyzer, bool remote = false);

  // Up to `limit` completions of the folded `prefix`, most frequent first;
  // words only of `language` unless it is unknown, and of the forms of one
  // word (by `analyzer`'s stem) only the most frequent: "forskning", not
  // "forskningen" too.
  std::vector<Suggestion> complete(std::string_view prefix, Language language, std::size_t limit,
                                   Analyzer& analyzer) const;

  // How often articles in `language` use the folded `word`, by its spelling
  // list; and all its words together.
  std::uint64_t times_seen(std::string_view word, Language language) const;
  std::uint64_t words_seen(Language language) const;

 private:
  struct Entry {
    std::string key;   // folded, for matching
    std::string text;  // as shown
    Suggestion::Kind kind = Suggestion::Kind::word;
    Language language = Language::unknown;
    std::uint32_t weight = 0;
  };
  void add_words(const Xapian::Database& db);
  void add_values(const Xapian::Database& db, Xapian::valueno slot, Suggestion::Kind kind,
                  Analyzer& analyzer, bool remote);

  std::vector<Entry> entries_;
  std::uint64_t swedish_words_ = 0;
  std::uint64_t english_words_ = 0;
};

}  // namespace sok
