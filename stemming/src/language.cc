#include "sok/stemming/language.h"

#include <algorithm>
#include <cctype>
#include <string>

namespace sok {

std::string_view language_code(Language language) {
  switch (language) {
    case Language::sv:
      return "sv";
    case Language::en:
      return "en";
    case Language::unknown:
      break;
  }
  return "";
}

std::optional<Language> parse_language(std::string_view code) {
  std::string lower(code);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  auto primary = lower.substr(0, lower.find_first_of("-_"));
  if (primary == "sv" || primary == "swe" || primary == "swedish") return Language::sv;
  if (primary == "en" || primary == "eng" || primary == "english") return Language::en;
  return std::nullopt;
}

}  // namespace sok
