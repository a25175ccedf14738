#include "normalizer.h"

#include <unicode/uchar.h>

#include <stdexcept>

namespace sok {
namespace {

// Letters without a canonical decomposition that fold all the same.
const char* special_fold(UChar32 c) {
  switch (c) {
    case 0x00F8:
      return "ö";  // ø
    case 0x00E6:
      return "ä";  // æ
    case 0x0153:
      return "oe";  // œ
    case 0x00F0:
      return "d";  // ð
    case 0x0111:
      return "d";  // đ
    case 0x00FE:
      return "th";  // þ
    case 0x0142:
      return "l";  // ł
    case 0x0131:
      return "i";  // dotless i
    case 0x0127:
      return "h";  // ħ
    case 0x2010:
      return "-";  // hyphen
    case 0x2011:
      return "-";  // non-breaking hyphen
    case 0x2019:
      return "'";  // right single quotation mark as apostrophe
    case 0x2018:
      return "'";
    default:
      return nullptr;
  }
}

bool kept_letter(UChar32 c) {
  return c == 0x00E5 || c == 0x00E4 || c == 0x00F6;
}  // å ä ö

void append_utf8(UChar32 c, std::string& out) {
  if (c < 0x80) {
    out.push_back(static_cast<char>(c));
  } else if (c < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (c >> 6)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else if (c < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (c >> 12)));
    out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (c >> 18)));
    out.push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  }
}

}  // namespace

Normalizer::Normalizer() {
  UErrorCode status = U_ZERO_ERROR;
  casefold_ = icu::Normalizer2::getNFKCCasefoldInstance(status);
  nfd_ = icu::Normalizer2::getNFDInstance(status);
  nfc_ = icu::Normalizer2::getNFCInstance(status);
  if (U_FAILURE(status)) {
    throw std::runtime_error(std::string("cannot load ICU normalisation data: ") +
                             u_errorName(status));
  }
}

void Normalizer::fold(const icu::UnicodeString& text, int32_t begin, int32_t end, bool strip_dots,
                      std::string& out) {
  bool ascii = true;
  for (int32_t i = begin; i < end && ascii; ++i) ascii = text[i] < 0x80;
  if (ascii) {
    out.reserve(out.size() + static_cast<std::size_t>(end - begin));
    for (int32_t i = begin; i < end; ++i) {
      const char c = static_cast<char>(text[i]);
      if (strip_dots && c == '.') continue;
      out.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
    }
    return;
  }
  icu::UnicodeString source = text.tempSubStringBetween(begin, end);
  if (strip_dots) source.findAndReplace(u".", u"");
  UErrorCode status = U_ZERO_ERROR;
  const icu::UnicodeString folded = casefold_->normalize(source, status);
  if (U_FAILURE(status)) return;
  for (int32_t i = 0; i < folded.length();) {
    const UChar32 c = folded.char32At(i);
    i += U16_LENGTH(c);
    if (c < 0x80 || kept_letter(c)) {
      append_utf8(c, out);
    } else {
      out += fold_code_point(c);
    }
  }
}

// Decomposes c, drops its non-spacing marks, composes what is left again and
// maps it through special_fold; cached, since a text repeats its few
// accented letters.
const std::string& Normalizer::fold_code_point(UChar32 c) {
  auto cached = folded_.find(c);
  if (cached != folded_.end()) return cached->second;
  icu::UnicodeString decomposed;
  if (!nfd_->getDecomposition(c, decomposed)) decomposed = icu::UnicodeString(c);
  icu::UnicodeString unmarked;
  for (int32_t i = 0; i < decomposed.length();) {
    const UChar32 d = decomposed.char32At(i);
    i += U16_LENGTH(d);
    if (u_charType(d) != U_NON_SPACING_MARK) unmarked.append(d);
  }
  UErrorCode status = U_ZERO_ERROR;
  const icu::UnicodeString composed = nfc_->normalize(unmarked, status);
  std::string out;
  for (int32_t i = 0; U_SUCCESS(status) && i < composed.length();) {
    const UChar32 d = composed.char32At(i);
    i += U16_LENGTH(d);
    if (const char* special = special_fold(d)) {
      out += special;
    } else {
      append_utf8(d, out);
    }
  }
  return folded_.emplace(c, std::move(out)).first->second;
}

}  // namespace sok
