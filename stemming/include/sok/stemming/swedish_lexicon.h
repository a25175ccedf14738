#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "sok/stemming/hunspell_suffixes.h"
#include "sok/stemming/string_map.h"

namespace sok {

// The Swedish word list of Debian's hunspell-sv (sv_SE.dic), with the
// dictionary's compound flags and the suffix rules of sv_SE.aff, read once
// and shared read-only between analyzers (thread-safe). All lookups take
// lower-case words.
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

  // Reads `dir`/sv_SE.dic and sv_SE.aff, once per folder and process (later
  // calls share the first one's lexicon). Throws std::runtime_error naming
  // the missing or unreadable file (and the line of a malformed rule).
  static std::shared_ptr<const SwedishLexicon> load(const std::string& dir);

  // 0 for a word the dictionary does not list.
  Traits traits(std::string_view word) const;

  bool is_entry(std::string_view word) const { return traits(word) & kEntry; }
  bool is_compound_only(std::string_view word) const { return traits(word) & kCompoundOnly; }
  bool is_proper_noun(std::string_view word) const { return traits(word) & kProperNoun; }
  bool may_begin_compound(std::string_view word) const { return traits(word) & kBegin; }
  bool may_end_compound(std::string_view word) const { return traits(word) & kEnd; }

  // The entry `word` is an inflected form of: the word itself when it is an
  // entry; else the one entry a rule of sv_SE.aff makes it of by changing
  // the entry's vowel ("fötter" → "fot", "länder" → "land", "föll" →
  // "falla"), as a verb's past tense or supine ("köpte" → "köpa", "gick"
  // → "gå", "skrivit" → "skriva") or by "-tt" ("fått" → "få", "nytt" →
  // "ny", "rött" → "röd"); else the entry by the regular Swedish
  // endings ("företaget" → "företag", "skolor" → "skola", "läkemedlet" →
  // "läkemedel"); nullopt otherwise. A form the rules make of two entries
  // ("händer": "hand", "hända") goes by the regular endings. The rules
  // alone are not trusted for the regular endings: the dictionary makes
  // many regular forms of no entry ("regler" of "regel", "studier" of
  // "studie"), so they would read "studier" as "studium"'s. Forms listed as
  // entries of their own ("bostäder", "böcker") are not linked to another
  // entry, but for the "-a" of adjectives in a vowel ("nya" → "ny", "fria"
  // → "fri").
  std::optional<std::string> base_form(std::string_view word) const;

  // The adjective whose plural is the verb `verb` ("öppna" of "öppen",
  // "säkra" of "säker", "mogna" of "mogen"): the dictionary lists the
  // form as the verb only. nullopt for any other word.
  std::optional<std::string> adjective_of_verb(std::string_view verb) const;

  // The entry in "-el", "-er" or "-en" whose e an inflection drops
  // ("läkemedl" of "läkemedlet" → "läkemedel", "numr" of "numret" →
  // "nummer"); nullopt when `stem` does not end in such a consonant pair or
  // no entry fits.
  std::optional<std::string> with_dropped_e(std::string_view stem) const;

  std::size_t size() const { return words_.size(); }

 private:
  // What the dictionary lists: the traits of a word, and which flags with
  // suffix rules it carries (bit i: the flag flag_bits_[i]).
  struct Listing {
    Traits traits = 0;
    std::uint64_t rule_flags = 0;
  };
  // Suffix rules by what they append, each list sorted by what the rules
  // strip; the longest affix; and the flags (bits as in Listing) of which
  // an entry needs one besides the rule's own, if any.
  struct RulesByAffix {
    StringMap<std::vector<SuffixRule>> rules;
    std::size_t longest = 0;
    std::uint64_t entry_needs = 0;
    void add(SuffixRule rule);
  };

  SwedishLexicon() = default;
  static std::shared_ptr<const SwedishLexicon> read(const std::string& dir);

  void add_to_filter(std::string_view word);
  void keep_rules(std::vector<SuffixRule> rules);
  std::uint64_t rule_flags_of(std::string_view flags) const;
  std::vector<std::string> entries_making(std::string_view word,
                                          const RulesByAffix& rules_of) const;
  std::optional<std::string> entry_by_rules(std::string_view word) const;
  std::optional<std::string> adjective_of_plural(std::string_view word) const;
  const Listing* listing_of_entry(std::string_view word) const;
  std::optional<std::string> regular_base_form(std::string_view word) const;
  bool maybe_listed(std::size_t hash) const;

  StringMap<Listing> words_;
  // The suffix rules of sv_SE.aff (but the linking forms that only begin
  // compounds, "skol-" of "skola": the decompounder undoes those), and
  // those base_form() trusts over the regular endings: the rules that
  // change the entry's vowel, those of verbs' past tenses and supines, and
  // those that add "-tt". And the adjectives' neuters in "-tt" of an entry
  // ending in a vowel ("ny" → "nytt"), and the present tense of verbs,
  // trusted too ("tro" → "tror"; the "-ar" of "handlar" is Snowball's).
  RulesByAffix all_rules_;
  RulesByAffix trusted_rules_;
  RulesByAffix neuter_rules_;
  RulesByAffix present_rules_;
  RulesByAffix plural_rules_;  // adjectives' plurals that drop an e: "öppen" → "öppna"
  std::string flag_bits_;
  // A Bloom filter over words_ (two probes, 2^21 bits, about 3 % false
  // positives): most lookups are of non-words and stop here, in cache.
  std::vector<std::uint64_t> filter_;
};

}  // namespace sok
