#include "sok/stemming/swedish_lexicon.h"

#include <unicode/locid.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <mutex>
#include <stdexcept>

namespace sok {
namespace {

// Flags of sv_SE.aff: ONLYINCOMPOUND, COMPOUNDEND, and COMPOUNDBEGIN,
// COMPOUNDMIDDLE with the suffixes that make linking forms ("forsknings-").
constexpr char kCompoundOnlyFlag = 'Z';
constexpr char kEndFlag = 'Y';
constexpr std::string_view kBeginFlags = "XUvfzgyhxwuit";
// Flags of sv_SE.aff whose rules make a verb's past tense and supine:
// "köpa" → "köpte", "gå" → "gick", "skriva" → "skrivit", "bo" → "bodde".
constexpr std::string_view kPastTenseFlags = "KMN";
// The flag of sv_SE.aff whose one rule makes a verb's present tense: "tro"
// → "tror", "handla" → "handlar".
constexpr char kPresentTenseFlag = 'm';
constexpr std::size_t kFilterBits = std::size_t{1} << 21;

// Two filter positions from one hash.
std::size_t probe(std::size_t hash, int which) {
  const std::size_t h = which == 0 ? hash : (hash >> 21) ^ (hash * 0x9E3779B97F4A7C15ull);
  return h & (kFilterBits - 1);
}

std::string to_lower(std::string_view word) {
  std::string out;
  icu::UnicodeString::fromUTF8(icu::StringPiece(word.data(), static_cast<int32_t>(word.size())))
      .toLower(icu::Locale("sv"))
      .toUTF8String(out);
  return out;
}

bool starts_upper_case(const std::string& word) {
  int32_t i = 0;
  UChar32 first = 0;
  U8_NEXT(word.data(), i, static_cast<int32_t>(word.size()), first);
  return first > 0 && u_isupper(first);
}

bool is_vowel(UChar32 letter) {
  return std::u32string_view(U"aeiouyåäö").find(static_cast<char32_t>(letter)) !=
         std::u32string_view::npos;
}

// A rule that puts another vowel in place of the entry's and keeps the
// letter after it: "ot" → "ötter", "ita" → "et"; not "um" → "er".
bool changes_vowel(const SuffixRule& rule) {
  const icu::UnicodeString strip = icu::UnicodeString::fromUTF8(rule.strip);
  const icu::UnicodeString add = icu::UnicodeString::fromUTF8(rule.add);
  return strip.length() >= 2 && add.length() >= 2 && is_vowel(strip.char32At(0)) &&
         is_vowel(add.char32At(0)) && strip.char32At(0) != add.char32At(0) &&
         strip.char32At(1) == add.char32At(1);
}

// A rule that makes an adjective's plural by dropping the e of its last
// syllable: "en" → "na" ("öppen" → "öppna"), "el" → "la", "er" → "ra".
bool drops_e_for_plural(const SuffixRule& rule) {
  return rule.strip.size() == 2 && rule.strip[0] == 'e' && rule.add.size() == 2 &&
         rule.add[0] == rule.strip[1] && rule.add[1] == 'a';
}

SwedishLexicon::Traits traits_of(const std::string& flags) {
  SwedishLexicon::Traits traits = 0;
  if (flags.find(kCompoundOnlyFlag) != std::string::npos) {
    traits |= SwedishLexicon::kCompoundOnly;
  } else {
    traits |= SwedishLexicon::kEntry;
  }
  if (flags.find_first_of(kBeginFlags) != std::string::npos) traits |= SwedishLexicon::kBegin;
  if (flags.find(kEndFlag) != std::string::npos) traits |= SwedishLexicon::kEnd;
  return traits;
}

}  // namespace

std::shared_ptr<const SwedishLexicon> SwedishLexicon::load(const std::string& dir) {
  // One lexicon per folder for the whole process: every analyzer shares it.
  static std::mutex loaded_mutex;
  static std::map<std::string, std::weak_ptr<const SwedishLexicon>> loaded;
  std::lock_guard<std::mutex> lock(loaded_mutex);
  if (auto existing = loaded[dir].lock()) return existing;
  auto lexicon = read(dir);
  loaded[dir] = lexicon;
  return lexicon;
}

// sv_SE.dic: a count on the first line, then one "word/FLAGS" a line.
std::shared_ptr<const SwedishLexicon> SwedishLexicon::read(const std::string& dir) {
  const std::string path = dir + "/sv_SE.dic";
  std::ifstream in(path);
  if (!in) {
    throw std::runtime_error("cannot read the Swedish dictionary " + path +
                             " (install Debian's hunspell-sv, or set the dictionary folder)");
  }
  std::shared_ptr<SwedishLexicon> lexicon(new SwedishLexicon());
  lexicon->keep_rules(read_suffix_rules(dir + "/sv_SE.aff"));
  lexicon->words_.reserve(200000);
  std::string line;
  std::getline(in, line);
  while (std::getline(in, line)) {
    const auto slash = line.find('/');
    std::string word = line.substr(0, slash);
    const std::string flags = slash == std::string::npos ? "" : line.substr(slash + 1);
    while (!word.empty() && (word.back() == '\r' || word.back() == ' ' || word.back() == '\t')) {
      word.pop_back();
    }
    if (word.empty()) continue;
    if (starts_upper_case(word)) {
      lexicon->words_[to_lower(word)].traits |= kProperNoun;
    } else {
      Listing& listing = lexicon->words_[word];
      listing.traits |= traits_of(flags);
      listing.rule_flags |= lexicon->rule_flags_of(flags);
    }
  }
  if (lexicon->words_.empty())
    throw std::runtime_error("no words in the Swedish dictionary " + path);
  lexicon->filter_.assign(kFilterBits / 64, 0);
  for (const auto& [word, listing] : lexicon->words_) lexicon->add_to_filter(word);
  return lexicon;
}

void SwedishLexicon::add_to_filter(std::string_view word) {
  const std::size_t hash = StringHash{}(word);
  for (int which : {0, 1})
    filter_[probe(hash, which) / 64] |= std::uint64_t{1} << (probe(hash, which) % 64);
}

bool SwedishLexicon::maybe_listed(std::size_t hash) const {
  for (int which : {0, 1}) {
    if (!(filter_[probe(hash, which) / 64] & (std::uint64_t{1} << (probe(hash, which) % 64))))
      return false;
  }
  return true;
}

SwedishLexicon::Traits SwedishLexicon::traits(std::string_view word) const {
  if (!maybe_listed(StringHash{}(word))) return 0;
  auto found = words_.find(word);
  return found == words_.end() ? 0 : found->second.traits;
}

void SwedishLexicon::RulesByAffix::add(SuffixRule rule) {
  longest = std::max(longest, rule.add.size());
  auto& list = rules[rule.add];
  const auto at = std::upper_bound(
      list.begin(), list.end(), rule.strip,
      [](const std::string& strip, const SuffixRule& r) { return strip < r.strip; });
  list.insert(at, std::move(rule));
}

// Keeps the suffix rules by what they append, and the flags in bit order.
void SwedishLexicon::keep_rules(std::vector<SuffixRule> rules) {
  constexpr std::size_t kMaxFlags = 64;  // bits of Listing::rule_flags
  for (SuffixRule& rule : rules) {
    if (rule.continuation.find(kCompoundOnlyFlag) != std::string::npos) continue;  // "skol-"
    if (flag_bits_.find(rule.flag) == std::string::npos) {
      if (flag_bits_.size() == kMaxFlags) continue;
      flag_bits_.push_back(rule.flag);
    }
    const bool verb = kPastTenseFlags.find(rule.flag) != std::string_view::npos;
    // "få" → "fått", "ny" → "nytt", "röd" → "rött", "träda" → "trätt".
    const bool double_t = rule.add == "tt";
    // "bo" → "bodde", "trodd", "nåddes": the past of verbs in a vowel.
    const bool double_d = verb && rule.add.starts_with("dd");
    if (changes_vowel(rule) || (verb && !rule.strip.empty()) || double_t || double_d)
      trusted_rules_.add(rule);
    if (rule.flag == kPresentTenseFlag) present_rules_.add(rule);
    if (double_t && rule.strip.empty() && !verb) neuter_rules_.add(rule);
    if (drops_e_for_plural(rule)) plural_rules_.add(rule);
    all_rules_.add(std::move(rule));
  }
  // The dictionary gives the present-tense flag to words that are no verbs
  // ("hö", "du"): only a verb with a past tense has a present one.
  present_rules_.entry_needs = rule_flags_of(kPastTenseFlags);
}

std::uint64_t SwedishLexicon::rule_flags_of(std::string_view flags) const {
  std::uint64_t bits = 0;
  for (const char flag : flags) {
    const std::size_t bit = flag_bits_.find(flag);
    if (bit != std::string::npos) bits |= std::uint64_t{1} << bit;
  }
  return bits;
}

// The entries whose flags have a rule of `rules_of` that makes `word`, at
// most two.
std::vector<std::string> SwedishLexicon::entries_making(std::string_view word,
                                                        const RulesByAffix& rules_of) const {
  std::vector<std::string> entries;
  std::string entry;
  for (std::size_t length = 0; length <= std::min(rules_of.longest, word.size() - 1); ++length) {
    const auto rules = rules_of.rules.find(word.substr(word.size() - length));
    if (rules == rules_of.rules.end()) continue;
    const Listing* listed = nullptr;
    for (std::size_t i = 0; i < rules->second.size(); ++i) {
      const SuffixRule& rule = rules->second[i];
      if (i == 0 || rule.strip != rules->second[i - 1].strip) {  // sorted by strip
        entry.assign(word.substr(0, word.size() - length));
        entry += rule.strip;
        listed = listing_of_entry(entry);
      }
      if (!listed || !(listed->rule_flags & (std::uint64_t{1} << flag_bits_.find(rule.flag))) ||
          (rules_of.entry_needs && !(listed->rule_flags & rules_of.entry_needs)) ||
          !rule.applies_to(entry) ||
          std::find(entries.begin(), entries.end(), entry) != entries.end()) {
        continue;
      }
      entries.push_back(entry);
      if (entries.size() == 2) return entries;
    }
  }
  return entries;
}

const SwedishLexicon::Listing* SwedishLexicon::listing_of_entry(std::string_view word) const {
  if (!maybe_listed(StringHash{}(word))) return nullptr;
  const auto found = words_.find(word);
  return found != words_.end() && (found->second.traits & kEntry) ? &found->second : nullptr;
}

// The entry a trusted rule makes `word` of ("fötter" of "fot", "köpte" of
// "köpa"), when no rule makes it of another entry too ("händer" is both
// "hand"'s and "hända"'s).
std::optional<std::string> SwedishLexicon::entry_by_rules(std::string_view word) const {
  std::vector<std::string> entries = entries_making(word, trusted_rules_);
  if (entries.empty()) entries = entries_making(word, present_rules_);
  if (entries.size() != 1 || entries_making(word, all_rules_).size() != 1) return std::nullopt;
  return entries.front();
}

// "nya", "fria", "gråa" are listed as words of their own, but they are the
// plural and definite forms of the adjectives "ny", "fri", "grå": entries
// that end in a vowel and make their neuter with "-tt".
std::optional<std::string> SwedishLexicon::adjective_of_plural(std::string_view word) const {
  if (word.size() < 3 || !word.ends_with('a')) return std::nullopt;
  std::string neuter(word.substr(0, word.size() - 1));
  neuter += "tt";
  std::vector<std::string> entries = entries_making(neuter, neuter_rules_);
  if (entries.size() != 1) return std::nullopt;
  return std::move(entries.front());
}

std::optional<std::string> SwedishLexicon::adjective_of_verb(std::string_view verb) const {
  if (!verb.ends_with('a') || !is_entry(verb)) return std::nullopt;
  std::vector<std::string> entries = entries_making(verb, plural_rules_);
  if (entries.size() != 1) return std::nullopt;
  return std::move(entries.front());
}

std::optional<std::string> SwedishLexicon::base_form(std::string_view word) const {
  const Traits listed = traits(word);
  if (listed & kEntry) {
    if (auto adjective = adjective_of_plural(word)) return adjective;
    return std::string(word);
  }
  if (!listed && !word.empty()) {
    if (auto entry = entry_by_rules(word)) return entry;
  }
  return regular_base_form(word);
}

std::optional<std::string> SwedishLexicon::regular_base_form(std::string_view word) const {
  // The regular endings, longest first.
  static constexpr std::string_view kEndings[] = {
      "arnas", "ernas", "ornas", "arna", "erna", "orna", "ens", "ets", "ars",
      "ers",   "ors",   "nas",   "en",   "et",   "ar",   "er",  "or",  "na",
      "ns",    "ts",    "n",     "t",    "s",    "e",    "a"};
  for (std::string_view ending : kEndings) {
    if (word.size() < ending.size() + 3 || word.substr(word.size() - ending.size()) != ending)
      continue;
    const std::string_view rest = word.substr(0, word.size() - ending.size());
    // "-tt", "-nn", "-ss" are part of the stem, not an ending: biljett ≠ bil|jet + t.
    if (ending.size() == 1 && rest.back() == ending[0]) continue;
    if (is_entry(rest)) return std::string(rest);
    if (auto whole = with_dropped_e(rest)) return whole;
    std::string restored(rest);
    if (ending == "t") {  // adjectives in -d: fruktansvärd → fruktansvärt
      restored.push_back('d');
      if (is_entry(restored)) return restored;
      restored.pop_back();
    }
    // "-e"/"-a" words drop their vowel before an ending: skola → skolor.
    for (char vowel : {'e', 'a'}) {
      restored.push_back(vowel);
      if (is_entry(restored)) return restored;
      restored.pop_back();
    }
  }
  return std::nullopt;
}

std::optional<std::string> SwedishLexicon::with_dropped_e(std::string_view stem) const {
  if (stem.size() < 3) return std::nullopt;
  const char last = stem.back();
  const char before = stem[stem.size() - 2];
  // å, ä, ö are vowels: a byte of a multi-byte letter counts as one.
  const bool vowel_before =
      (before & 0x80) || std::string_view("aeiouy").find(before) != std::string_view::npos;
  if ((last != 'l' && last != 'r' && last != 'n') || vowel_before) return std::nullopt;
  for (const bool doubled : {true, false}) {
    std::string whole(stem.substr(0, stem.size() - 1));
    if (doubled) whole.push_back(before);
    whole += 'e';
    whole += last;
    if (is_entry(whole)) return whole;
  }
  return std::nullopt;
}

}  // namespace sok
