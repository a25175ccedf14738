#include "utf16_text.h"

namespace sok {
namespace {

// Length of the well-formed UTF-8 sequence at `i`, or 0 when ill-formed.
// Implements the table of well-formed byte sequences (Unicode 3.9, D92).
std::size_t sequence_length(std::string_view s, std::size_t i, char32_t& code_point) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[i + k]); };
  const unsigned char b0 = byte(0);
  const std::size_t left = s.size() - i;
  auto cont = [&](std::size_t k, unsigned char lo = 0x80, unsigned char hi = 0xBF) {
    return k < left && byte(k) >= lo && byte(k) <= hi;
  };
  if (b0 < 0x80) {
    code_point = b0;
    return 1;
  }
  if (b0 >= 0xC2 && b0 <= 0xDF && cont(1)) {
    code_point = ((b0 & 0x1Fu) << 6) | (byte(1) & 0x3Fu);
    return 2;
  }
  if (b0 >= 0xE0 && b0 <= 0xEF) {
    const unsigned char lo = b0 == 0xE0 ? 0xA0 : 0x80;
    const unsigned char hi = b0 == 0xED ? 0x9F : 0xBF;
    if (cont(1, lo, hi) && cont(2)) {
      code_point = ((b0 & 0x0Fu) << 12) | ((byte(1) & 0x3Fu) << 6) | (byte(2) & 0x3Fu);
      return 3;
    }
  }
  if (b0 >= 0xF0 && b0 <= 0xF4) {
    const unsigned char lo = b0 == 0xF0 ? 0x90 : 0x80;
    const unsigned char hi = b0 == 0xF4 ? 0x8F : 0xBF;
    if (cont(1, lo, hi) && cont(2) && cont(3)) {
      code_point = ((b0 & 0x07u) << 18) | ((byte(1) & 0x3Fu) << 12) | ((byte(2) & 0x3Fu) << 6) |
                   (byte(3) & 0x3Fu);
      return 4;
    }
  }
  return 0;
}

// Bytes to skip for one ill-formed sequence: its maximal subpart (the lead
// byte and the continuation bytes that fit it), at least 1.
std::size_t ill_formed_length(std::string_view s, std::size_t i) {
  const unsigned char b0 = static_cast<unsigned char>(s[i]);
  std::size_t need = 0;
  unsigned char lo = 0x80, hi = 0xBF;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    need = 1;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    need = 2;
    if (b0 == 0xE0) lo = 0xA0;
    if (b0 == 0xED) hi = 0x9F;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    need = 3;
    if (b0 == 0xF0) lo = 0x90;
    if (b0 == 0xF4) hi = 0x8F;
  }
  std::size_t n = 1;
  while (n <= need && i + n < s.size()) {
    const unsigned char b = static_cast<unsigned char>(s[i + n]);
    if (b < lo || b > hi) break;
    lo = 0x80;
    hi = 0xBF;
    ++n;
  }
  return n;
}

}  // namespace

Utf16Text decode_utf8(std::string_view utf8) {
  Utf16Text out;
  out.byte_offset.reserve(utf8.size() + 1);
  UChar* buffer = out.text.getBuffer(static_cast<int32_t>(utf8.size()) + 1);
  int32_t length = 0;
  std::size_t i = 0;
  while (i < utf8.size()) {
    char32_t cp = 0;
    std::size_t len = sequence_length(utf8, i, cp);
    if (len == 0) {
      cp = 0xFFFD;
      len = ill_formed_length(utf8, i);
      ++out.invalid;
    }
    if (cp >= 0x10000) {
      buffer[length++] = static_cast<UChar>(0xD7C0 + (cp >> 10));
      buffer[length++] = static_cast<UChar>(0xDC00 | (cp & 0x3FF));
      out.byte_offset.push_back(static_cast<std::uint32_t>(i));
      out.byte_offset.push_back(static_cast<std::uint32_t>(i));
    } else {
      buffer[length++] = static_cast<UChar>(cp);
      out.byte_offset.push_back(static_cast<std::uint32_t>(i));
    }
    i += len;
  }
  out.text.releaseBuffer(length);
  out.byte_offset.push_back(static_cast<std::uint32_t>(utf8.size()));
  return out;
}

std::string to_utf8(const icu::UnicodeString& text, int32_t begin, int32_t end) {
  std::string out;
  text.tempSubStringBetween(begin, end).toUTF8String(out);
  return out;
}

}  // namespace sok
