#include "sok/stemming/language_id.h"

// CLD2's header needs <cstdio> first.
#include <cstdio>
#include <cld2/public/compact_lang_det.h>

#include <string>
#include <unordered_set>

namespace sok {
namespace {

// Frequent words of one language that are rare or absent in the other.
const std::unordered_set<std::string_view> kSwedishCues = {
    "och", "att", "det", "som", "en", "ett", "är", "på", "för", "med", "av", "till", "den",
    "har", "inte", "om", "vi", "de", "kan", "ska", "var", "från", "eller", "nya", "nytt",
    "ny", "öppnar", "efter", "under", "mot", "hos", "samt", "också", "kommer", "genom",
    "vid", "där", "när", "sig", "så", "men", "år", "dag", "mer", "bland", "alla"};
const std::unordered_set<std::string_view> kEnglishCues = {
    "the", "and", "of", "to", "is", "in", "for", "with", "on", "at", "by", "from", "new",
    "opens", "are", "was", "will", "be", "this", "that", "it", "as", "an", "or", "has",
    "have", "not", "our", "their", "its", "which", "who", "after", "about", "into", "more",
    "than", "we", "you", "they", "year", "day", "all", "among"};

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

// Counts cue words and Swedish letters: the fallback for text too short for CLD2.
Language vote_by_cues(std::string_view text) {
  int swedish = 0;
  int english = 0;
  std::string word;
  auto count = [&] {
    if (word.empty()) return;
    swedish += kSwedishCues.count(word) ? 2 : 0;
    english += kEnglishCues.count(word) ? 2 : 0;
    if (word.find("å") != std::string::npos || word.find("ä") != std::string::npos ||
        word.find("ö") != std::string::npos) {
      swedish += 2;
    }
    if (word.find('w') != std::string::npos || word.find("th") != std::string::npos ||
        (word.size() > 4 && word.compare(word.size() - 3, 3, "ing") == 0 &&
         word.compare(word.size() - 4, 4, "ning") != 0)) {
      english += 1;
    }
    word.clear();
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c >= 'A' && c <= 'Z') {
      word.push_back(static_cast<char>(c - 'A' + 'a'));
    } else if ((c >= 'a' && c <= 'z') || c >= 0x80) {
      // Å Ä Ö (C3 85, C3 84, C3 96) to lower case; other bytes as they are.
      if (c == 0xC3 && i + 1 < text.size()) {
        const unsigned char next = static_cast<unsigned char>(text[i + 1]);
        word.push_back(static_cast<char>(c));
        word.push_back(static_cast<char>((next == 0x85 || next == 0x84 || next == 0x96) ? next + 0x20 : next));
        ++i;
      } else {
        word.push_back(static_cast<char>(c));
      }
    } else {
      count();
    }
  }
  count();
  if (swedish > english) return Language::sv;
  if (english > swedish) return Language::en;
  return Language::unknown;
}

// CLD2 is sure of a language within a few hundred words; a longer text is
// judged by its beginning, cut at a space so the UTF-8 stays whole.
constexpr std::size_t kSampleBytes = 2048;

std::string_view sample_of(std::string_view text) {
  if (text.size() <= kSampleBytes) return text;
  std::size_t cut = text.rfind(' ', kSampleBytes);
  if (cut == std::string_view::npos || cut == 0) {
    cut = kSampleBytes;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  }
  return text.substr(0, cut);
}

}  // namespace

Language identify_language(std::string_view full_text) {
  const std::string_view text = sample_of(full_text);
  if (text.empty()) return Language::unknown;
  CLD2::Language top3[3];
  int percent[3];
  int text_bytes = 0;
  bool reliable = false;
  const CLD2::Language found = CLD2::ExtDetectLanguageSummary(
      text.data(), static_cast<int>(text.size()), /*is_plain_text=*/true, top3, percent,
      &text_bytes, &reliable);
  const Language language = from_cld2(found);
  if (reliable && language != Language::unknown) return language;
  const Language voted = vote_by_cues(text);
  if (voted != Language::unknown) return voted;
  return language;
}

}  // namespace sok
