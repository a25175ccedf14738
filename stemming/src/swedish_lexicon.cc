#include "sok/stemming/swedish_lexicon.h"

#include <unicode/locid.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

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
      lexicon->words_[to_lower(word)] |= kProperNoun;
    } else {
      lexicon->words_[word] |= traits_of(flags);
    }
  }
  if (lexicon->words_.empty())
    throw std::runtime_error("no words in the Swedish dictionary " + path);
  lexicon->filter_.assign(kFilterBits / 64, 0);
  for (const auto& [word, traits] : lexicon->words_) lexicon->add_to_filter(word);
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
  return found == words_.end() ? 0 : found->second;
}

std::optional<std::string> SwedishLexicon::base_form(std::string_view word) const {
  if (is_entry(word)) return std::string(word);
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
