// The analysis chain on any bytes: Analyzer::analyze in Swedish, English or a
// language to identify (the first byte chooses), compounds split.
//
// Invariants: every token's byte range lies in the input, and on character
// boundaries when the input is UTF-8; terms and forms are non-empty UTF-8
// within max_term_bytes; positions never go back; a given language is kept.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_support.h"
#include "sok/stemming/analyzer.h"

namespace {

using sok::fuzz::check;

sok::Analyzer& analyzer() {
  static sok::Analyzer instance;
  return instance;
}

sok::Language language_of(std::uint8_t choice) {
  switch (choice % 3) {
    case 0:
      return sok::Language::sv;
    case 1:
      return sok::Language::en;
    default:
      return sok::Language::unknown;
  }
}

void check_token(const sok::Token& token, std::string_view text, bool utf8_input) {
  check(token.begin <= token.end && token.end <= text.size(), "token range outside the input",
        token.term);
  if (utf8_input) {
    check(sok::fuzz::on_char_boundary(text, token.begin) &&
              sok::fuzz::on_char_boundary(text, token.end),
          "token range inside a character", token.term);
  }
  check(!token.term.empty() && !token.form.empty(), "empty term or form");
  check(sok::fuzz::valid_utf8(token.term), "term not UTF-8", token.term);
  check(sok::fuzz::valid_utf8(token.form), "form not UTF-8", token.form);
  check(token.term.size() <= analyzer().options().max_term_bytes, "term over max_term_bytes",
        token.term);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const sok::Language language = language_of(data[0]);
  const std::string_view text = sok::fuzz::text_of(data + 1, size - 1);
  const bool utf8_input = sok::fuzz::valid_utf8(text);
  const sok::Analysis analysis = analyzer().analyze(text, language);
  if (language != sok::Language::unknown) check(analysis.language == language, "language changed");
  check(!utf8_input || analysis.invalid_utf8 == 0, "valid UTF-8 counted as invalid");
  std::uint32_t position = 0;
  for (const sok::Token& token : analysis.tokens) {
    check_token(token, text, utf8_input);
    check(token.position >= position, "a position goes back", token.term);
    position = token.position;
  }
  return 0;
}
