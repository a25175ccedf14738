#pragma once

#include <string_view>

#include "sok/stemming/language.h"

namespace sok {

// Tells Swedish from English in valid UTF-8 text. Uses CLD2 and, where CLD2
// is unsure (short text), Swedish and English function words and letters.
// Norwegian and Danish verdicts count as Swedish: the site publishes in
// Swedish and English only. Returns Language::unknown when there is no
// evidence either way (empty text, numbers only, another language).
Language identify_language(std::string_view utf8_text);

}  // namespace sok
