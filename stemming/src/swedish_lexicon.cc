#include "sok/stemming/swedish_lexicon.h"

#include <hunspell/hunspell.hxx>
#include <unicode/locid.h>
#include <unicode/uchar.h>
#include <unicode/utf8.h>
#include <unicode/unistr.h>

#include <fstream>
#include <map>
#include <stdexcept>

namespace sok {
namespace {

// Flags of sv_SE.aff: ONLYINCOMPOUND, COMPOUNDBEGIN, COMPOUNDMIDDLE,
// COMPOUNDEND, and the suffixes that make linking forms ("forsknings-").
constexpr char kCompoundOnlyFlag = 'Z';
constexpr std::string_view kBeginFlags = "XUvfzgyhxwuit";
constexpr char kEndFlag = 'Y';

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

// Whether `stem` could be `word` less an inflectional ending: they share all
// but the last few bytes of the stem (bostad / bostäder), and the word is at
// most a few letters longer.
bool differs_in_ending(const std::string& word, const std::string& stem) {
  std::size_t shared = 0;
  while (shared < word.size() && shared < stem.size() && word[shared] == stem[shared]) ++shared;
  return shared + 4 >= stem.size() && shared >= 3 && word.size() <= stem.size() + 8;
}

void require_readable(const std::string& path) {
  std::ifstream probe(path);
  if (!probe) {
    throw std::runtime_error("cannot read the Swedish dictionary " + path +
                             " (install Debian's hunspell-sv, or set the dictionary folder)");
  }
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

std::shared_ptr<const SwedishLexicon> SwedishLexicon::read(const std::string& dir) {
  const std::string aff = dir + "/sv_SE.aff";
  const std::string dic = dir + "/sv_SE.dic";
  require_readable(aff);
  require_readable(dic);

  std::shared_ptr<SwedishLexicon> lexicon(new SwedishLexicon());
  std::ifstream in(dic);
  std::string line;
  std::getline(in, line);  // the first line is the entry count
  while (std::getline(in, line)) {
    const auto slash = line.find('/');
    std::string word = line.substr(0, slash);
    const std::string flags = slash == std::string::npos ? "" : line.substr(slash + 1);
    while (!word.empty() && (word.back() == '\r' || word.back() == ' ' || word.back() == '\t')) {
      word.pop_back();
    }
    if (word.empty()) continue;
    if (starts_upper_case(word)) {
      lexicon->proper_nouns_.insert(to_lower(word));
    } else if (flags.find(kCompoundOnlyFlag) != std::string::npos) {
      lexicon->compound_only_.insert(word);
    } else {
      lexicon->entries_.emplace(word, flags);
    }
  }
  if (lexicon->entries_.empty()) throw std::runtime_error("no words in the Swedish dictionary " + dic);
  lexicon->hunspell_ = std::make_unique<Hunspell>(aff.c_str(), dic.c_str());
  return lexicon;
}

SwedishLexicon::~SwedishLexicon() = default;

const std::string* SwedishLexicon::flags(std::string_view word) const {
  auto found = entries_.find(word);
  return found == entries_.end() ? nullptr : &found->second;
}

bool SwedishLexicon::is_entry(std::string_view word) const { return flags(word) != nullptr; }

bool SwedishLexicon::may_begin_compound(std::string_view word) const {
  const std::string* f = flags(word);
  return f && f->find_first_of(kBeginFlags) != std::string::npos;
}

bool SwedishLexicon::may_end_compound(std::string_view word) const {
  const std::string* f = flags(word);
  return f && f->find(kEndFlag) != std::string::npos;
}

bool SwedishLexicon::is_compound_only(std::string_view word) const {
  return compound_only_.find(word) != compound_only_.end();
}

bool SwedishLexicon::is_proper_noun(std::string_view word) const {
  return proper_nouns_.find(word) != proper_nouns_.end();
}

// The regular Swedish endings, longest first: a few hash lookups that spare
// most calls to Hunspell.
std::optional<std::string> SwedishLexicon::strip_inflection(std::string_view word) const {
  if (is_entry(word)) return std::string(word);
  static constexpr std::string_view kEndings[] = {
      "arnas", "ernas", "ornas", "arna", "erna", "orna", "ens", "ets", "ars", "ers", "ors",
      "nas",   "en",    "et",    "ar",   "er",   "or",   "na", "ns",  "ts",  "n",   "t",
      "s",     "e",     "a"};
  for (std::string_view ending : kEndings) {
    if (word.size() < ending.size() + 3 || word.substr(word.size() - ending.size()) != ending) continue;
    const std::string_view rest = word.substr(0, word.size() - ending.size());
    // "-tt", "-nn", "-ss" are part of the stem, not an ending: biljett ≠ bil|jet + t.
    if (ending.size() == 1 && rest.back() == ending[0]) continue;
    if (is_entry(rest)) return std::string(rest);
    // "-e"/"-a" words drop their vowel before an ending: skola → skolor.
    for (const char* vowel : {"e", "a"}) {
      std::string restored = std::string(rest) + vowel;
      if (is_entry(restored)) return restored;
    }
  }
  return std::nullopt;
}

std::optional<std::string> SwedishLexicon::base_form(std::string_view word) const {
  std::string key(word);
  if (is_entry(key)) return key;
  if (auto stripped = strip_inflection(word)) return stripped;
  std::vector<std::string> analyses;
  {
    std::lock_guard<std::mutex> lock(hunspell_mutex_);
    analyses = hunspell_->analyze(key);
  }
  // Prefer a stem the word starts with, then the longest. An analysis with
  // parts ("pa:") is Hunspell's compounding, not an inflection: no base form.
  std::optional<std::string> best;
  std::size_t best_score = 0;
  for (const auto& analysis : analyses) {
    if (analysis.find("pa:") != std::string::npos) return std::nullopt;
    const auto at = analysis.find("st:");
    if (at == std::string::npos) continue;
    const auto end = analysis.find_first_of(" \t", at + 3);
    std::string stem = analysis.substr(at + 3, end == std::string::npos ? end : end - at - 3);
    if (!entries_.count(stem) || !differs_in_ending(key, stem)) continue;
    const std::size_t score = (key.compare(0, stem.size(), stem) == 0 ? 1000 : 0) + stem.size();
    if (score > best_score) {
      best = std::move(stem);
      best_score = score;
    }
  }
  return best;
}

}  // namespace sok
