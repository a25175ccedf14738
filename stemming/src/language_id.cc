#include "sok/stemming/language_id.h"

// CLD2's header needs <cstdio> first.
#include <cld2/public/compact_lang_det.h>
#include <cstdio>

#include <unicode/utf8.h>

#include <cstdlib>
#include <string>
#include <unordered_set>

namespace sok {
namespace {

// Frequent words of one language that are rare or absent in the other.
const std::unordered_set<std::string_view> kSwedishCues = {
    "och", "att",  "det",   "som",    "en",    "ett", "är",     "på",    "för",   "med",
    "av",  "till", "den",   "har",    "inte",  "om",  "vi",     "de",    "kan",   "ska",
    "var", "från", "eller", "nya",    "nytt",  "ny",  "öppnar", "efter", "under", "mot",
    "hos", "samt", "också", "kommer", "genom", "vid", "där",    "när",   "sig",   "så",
    "men", "år",   "dag",   "mer",    "bland", "alla"};
const std::unordered_set<std::string_view> kEnglishCues = {
    "the",   "and",  "of",    "to",   "is",  "in",   "for",   "with", "on",    "at",  "by",
    "from",  "new",  "opens", "are",  "was", "will", "be",    "this", "that",  "it",  "as",
    "an",    "or",   "has",   "have", "not", "our",  "their", "its",  "which", "who", "after",
    "about", "into", "more",  "than", "we",  "you",  "they",  "year", "day",   "all", "among"};

Language from_cld2(CLD2::Language language) {
  switch (language) {
    case CLD2::SWEDISH:
    case CLD2::NORWEGIAN:
    case CLD2::NORWEGIAN_N:
    case CLD2::DANISH:
      return Language::sv;
    case CLD2::ENGLISH:
      return Language::en;
    default:
      return Language::unknown;
  }
}

bool ends_with(const std::string& word, std::string_view tail) {
  return word.size() > tail.size() &&
         word.compare(word.size() - tail.size(), tail.size(), tail) == 0;
}

// Evidence in one lower-case word, added to the two scores.
void score_word(const std::string& word, int& swedish, int& english) {
  swedish += kSwedishCues.count(word) ? 2 : 0;
  english += kEnglishCues.count(word) ? 2 : 0;
  if (word.find("å") != std::string::npos || word.find("ä") != std::string::npos ||
      word.find("ö") != std::string::npos) {
    swedish += 2;
  }
  for (std::string_view ending :
       {"ningen", "ningar", "heten", "arna", "erna", "orna", "andet", "tet"}) {
    if (ends_with(word, ending)) {
      swedish += 1;
      break;
    }
  }
  if (word.find('w') != std::string::npos || word.compare(0, 2, "th") == 0 ||
      (ends_with(word, "ing") && !ends_with(word, "ning"))) {
    english += 1;
  }
}

// Votes by cue words, Swedish letters and endings, and genitives written
// with a colon ("KTH:s"): the judge of text too short for CLD2. Returns the
// margin of the winner (positive for Swedish, negative for English).
int vote_by_cues(std::string_view text) {
  int swedish = 0;
  int english = 0;
  std::string word;
  for (std::size_t i = 0; i <= text.size(); ++i) {
    const unsigned char c = i < text.size() ? static_cast<unsigned char>(text[i]) : ' ';
    if (c >= 'A' && c <= 'Z') {
      word.push_back(static_cast<char>(c - 'A' + 'a'));
    } else if (c == 0xC3 && i + 1 < text.size()) {
      // Å Ä Ö (C3 85, C3 84, C3 96) to lower case; other letters as they are.
      const unsigned char next = static_cast<unsigned char>(text[++i]);
      word.push_back(static_cast<char>(c));
      word.push_back(
          static_cast<char>((next == 0x85 || next == 0x84 || next == 0x96) ? next + 0x20 : next));
    } else if ((c >= 'a' && c <= 'z') || c >= 0x80) {
      word.push_back(static_cast<char>(c));
    } else {
      if (c == ':' && !word.empty() && i + 1 < text.size() &&
          (text[i + 1] == 's' || text[i + 1] == 'n')) {
        swedish += 2;
      }
      if (!word.empty()) score_word(word, swedish, english);
      word.clear();
    }
  }
  return swedish - english;
}

// CLD2 is sure of a language within a few hundred words; a longer text is
// judged by its beginning, cut at a space so the UTF-8 stays whole.
constexpr std::size_t kSampleBytes = 2048;
constexpr std::size_t kShortTextBytes = 200;
constexpr int kDecisiveMargin = 20;

std::string_view sample_of(std::string_view text) {
  if (text.size() <= kSampleBytes) return text;
  std::size_t cut = text.rfind(' ', kSampleBytes);
  if (cut == std::string_view::npos || cut == 0) {
    cut = kSampleBytes;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  }
  return text.substr(0, cut);
}

// `text` with each ill-formed UTF-8 sequence replaced by a space. CLD2 reads
// out of bounds on ill-formed input (a lead byte such as 0xC0 sends it
// through its tables to an address of its own making), so it gets only this.
std::string well_formed_for_cld2(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  const auto length = static_cast<int32_t>(text.size());
  for (int32_t i = 0; i < length;) {
    const int32_t start = i;
    UChar32 c = 0;
    U8_NEXT(text.data(), i, length, c);
    if (c < 0) {
      out.push_back(' ');
    } else {
      out.append(text.data() + start, static_cast<std::size_t>(i - start));
    }
  }
  return out;
}

}  // namespace

Language identify_language(std::string_view full_text) {
  const std::string_view text = sample_of(full_text);
  if (text.empty()) return Language::unknown;
  // A text whose cues are overwhelming needs no second opinion.
  const int margin = vote_by_cues(text);
  if (std::abs(margin) >= kDecisiveMargin) return margin > 0 ? Language::sv : Language::en;
  CLD2::Language top3[3];
  int percent[3];
  int text_bytes = 0;
  bool reliable = false;
  const std::string cld2_text = well_formed_for_cld2(text);
  const CLD2::Language found =
      CLD2::ExtDetectLanguageSummary(cld2_text.data(), static_cast<int>(cld2_text.size()),
                                     /*is_plain_text=*/true, top3, percent, &text_bytes, &reliable);
  const Language language = from_cld2(found);
  // CLD2 calls some guesses on a few words reliable ("Ökat intresse för life
  // science" as English): on a short text, clear cues overrule it.
  const bool short_text = text.size() < kShortTextBytes;
  if (reliable && language != Language::unknown && !(short_text && std::abs(margin) >= 2)) {
    return language;
  }
  if (margin > 0) return Language::sv;
  if (margin < 0) return Language::en;
  return language;
}

}  // namespace sok
