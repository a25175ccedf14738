#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "sok/stemming/string_map.h"

namespace sok {

// The Swedish word list of Debian's hunspell-sv (sv_SE.dic), with the
// dictionary's compound flags, read once and shared read-only between
// analyzers (thread-safe). All lookups take lower-case words.
class SwedishLexicon {
 public:
  // What the dictionary says of a word: bits of kEntry, kCompoundOnly, ...
  using Traits = std::uint8_t;
  static constexpr Traits kEntry = 1;         // a lower-case word of its own (a base form)
  static constexpr Traits kCompoundOnly = 2;  // only inside compounds ("laboratorie", "samarbets")
  static constexpr Traits kProperNoun = 4;    // a capitalised entry ("flemingsberg", "älvsjö")
  static constexpr Traits kBegin =
      8;                              // may open a compound (begin/middle flag, or a linking affix)
  static constexpr Traits kEnd = 16;  // may close a compound (end flag)

  // Reads `dir`/sv_SE.dic, once per folder and process (later calls share the
  // first one's lexicon). Throws std::runtime_error naming the missing or
  // unreadable file.
  static std::shared_ptr<const SwedishLexicon> load(const std::string& dir);

  // 0 for a word the dictionary does not list.
  Traits traits(std::string_view word) const;

  bool is_entry(std::string_view word) const { return traits(word) & kEntry; }
  bool is_compound_only(std::string_view word) const { return traits(word) & kCompoundOnly; }
  bool is_proper_noun(std::string_view word) const { return traits(word) & kProperNoun; }
  bool may_begin_compound(std::string_view word) const { return traits(word) & kBegin; }
  bool may_end_compound(std::string_view word) const { return traits(word) & kEnd; }

  // The entry `word` is an inflected form of, by the regular Swedish endings
  // ("företaget" → "företag", "skolor" → "skola", "läkemedlet" →
  // "läkemedel"); the word itself when it is an entry; nullopt otherwise.
  // Irregular forms ("bostäder") are not found.
  std::optional<std::string> base_form(std::string_view word) const;

  // The entry in "-el", "-er" or "-en" whose e an inflection drops
  // ("läkemedl" of "läkemedlet" → "läkemedel", "numr" of "numret" →
  // "nummer"); nullopt when `stem` does not end in such a consonant pair or
  // no entry fits.
  std::optional<std::string> with_dropped_e(std::string_view stem) const;

  std::size_t size() const { return words_.size(); }

 private:
  SwedishLexicon() = default;
  static std::shared_ptr<const SwedishLexicon> read(const std::string& dir);

  void add_to_filter(std::string_view word);
  bool maybe_listed(std::size_t hash) const;

  StringMap<Traits> words_;
  // A Bloom filter over words_ (two probes, 2^21 bits, about 3 % false
  // positives): most lookups are of non-words and stop here, in cache.
  std::vector<std::uint64_t> filter_;
};

}  // namespace sok
