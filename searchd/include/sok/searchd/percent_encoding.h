#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace sok::searchd {

// Decodes %XX escapes strictly: a "%" not followed by two hex digits makes
// the whole text invalid (nullopt). With `plus_is_space`, "+" is a space, as
// in query strings sent by HTML forms. The result may be any bytes: check it
// with is_valid_utf8().
std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space);

// Whether `text` is well-formed UTF-8: no stray continuation bytes, no
// overlong forms, no surrogates, nothing above U+10FFFF.
bool is_valid_utf8(std::string_view text);

// `text` with every byte outside [A-Za-z0-9-._~] written as %XX.
std::string percent_encode(std::string_view text);

}  // namespace sok::searchd
