#pragma once

#include <optional>
#include <string_view>

namespace sok {

// The languages the site publishes in. `unknown` means "not given": the
// analyzer then identifies the language from the text itself.
enum class Language { unknown, sv, en };

// "sv", "en" or "" for unknown.
std::string_view language_code(Language language);

// Parses "sv"/"en" (also "swedish"/"english", any case, and region forms such
// as "sv-SE"). Returns nullopt for anything else.
std::optional<Language> parse_language(std::string_view code);

}  // namespace sok
