#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

class Hunspell;

namespace sok {

// The Swedish word list of Debian's hunspell-sv (sv_SE.dic/.aff), read once
// and shared read-only between analyzers. All lookups take lower-case words.
class SwedishLexicon {
 public:
  // Reads `dir`/sv_SE.aff and `dir`/sv_SE.dic, once per folder and process
  // (later calls share the first one's lexicon). Throws std::runtime_error
  // naming the missing or unreadable file.
  static std::shared_ptr<const SwedishLexicon> load(const std::string& dir);
  ~SwedishLexicon();

  // A lower-case entry of the dictionary (a base form).
  bool is_entry(std::string_view word) const;
  // An entry that may only stand inside compounds ("laboratorie").
  bool is_compound_only(std::string_view word) const;
  // The entry may open a compound: it carries the dictionary's compound-begin
  // or compound-middle flag, or an affix that makes a linking form of it.
  bool may_begin_compound(std::string_view word) const;
  // The entry carries the dictionary's compound-end flag.
  bool may_end_compound(std::string_view word) const;
  // A capitalised entry, compared in lower case ("flemingsberg", "älvsjö").
  bool is_proper_noun(std::string_view word) const;
  // The base form of `word`: the word itself when it is an entry, else the
  // entry Hunspell derives it from ("infrastrukturen" → "infrastruktur").
  // nullopt when the word is unknown or only valid as a compound.
  std::optional<std::string> base_form(std::string_view word) const;
  // The same from the regular endings alone ("företaget" → "företag"),
  // without asking Hunspell: cheap, and blind to irregular forms.
  std::optional<std::string> strip_inflection(std::string_view word) const;

  std::size_t size() const { return entries_.size(); }

 private:
  SwedishLexicon() = default;
  static std::shared_ptr<const SwedishLexicon> read(const std::string& dir);
  const std::string* flags(std::string_view word) const;

  // Hashing that lets string_views find std::string keys without a copy.
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  using Set = std::unordered_set<std::string, Hash, std::equal_to<>>;

  std::unordered_map<std::string, std::string, Hash, std::equal_to<>> entries_;  // word → flags
  Set compound_only_;
  Set proper_nouns_;
  std::unique_ptr<Hunspell> hunspell_;
  mutable std::mutex hunspell_mutex_;  // guards hunspell_ (not thread-safe)
};

}  // namespace sok
