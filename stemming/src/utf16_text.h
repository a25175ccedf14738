#pragma once

#include <unicode/unistr.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sok {

// UTF-8 text decoded to UTF-16 for ICU, with the byte offset in the original
// of every UTF-16 unit, so that ranges found in UTF-16 map back to bytes.
struct Utf16Text {
  icu::UnicodeString text;
  std::vector<std::uint32_t> byte_offset;  // size text.length() + 1
  std::size_t invalid = 0;                 // ill-formed sequences, each now U+FFFD
};

// Decodes `utf8`, replacing every ill-formed sequence (per the maximal-subpart
// rule of Unicode) with U+FFFD and counting it. Never fails.
Utf16Text decode_utf8(std::string_view utf8);

// Encodes `text` as UTF-8 (for ranges of a decoded text).
std::string to_utf8(const icu::UnicodeString& text, int32_t begin, int32_t end);

}  // namespace sok
