#pragma once

#include <string_view>

#include "sok/stemming/language.h"

namespace sok {

// Whether a folded word is a stop word of `language` (for Language::unknown:
// of either language). The lists are Snowball's, plus the abbreviations that
// the segmenter writes without dots ("tex" for "t.ex.", "eg" for "e.g.").
bool is_stop_word(std::string_view folded_word, Language language);

// Whether a folded word is one a question begins with in `language` (for
// Language::unknown: in either): "vad", "hur", "varför", "what", "how" …
bool is_interrogative(std::string_view folded_word, Language language);

}  // namespace sok
