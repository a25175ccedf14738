#include <catch2/catch.hpp>

#include <optional>
#include <string>

#include "sok/searchd/percent_encoding.h"
#include "support.h"

namespace sok::searchd {
namespace {

struct DecodeCase {
  std::string text;
  bool plus_is_space;
  std::optional<std::string> decoded;
};

TEST_CASE("Percent-decoding turns escapes into bytes and refuses broken escapes",
          "[searchd][percent]") {
  const DecodeCase cases[] = {
      {"forskning", true, "forskning"},
      {"", true, ""},
      {"life+science", true, "life science"},
      {"life+science", false, "life+science"},
      {"life%20science", true, "life science"},
      {"%2B1", true, "+1"},
      {"Malm%C3%B6", true, "Malmö"},
      {"Malm%c3%b6", true, "Malmö"},
      {"Malmö", true, "Malmö"},  // raw UTF-8 passes through
      {"%22unclosed", true, "\"unclosed"},
      {"%00nul", true, test::bytes("\0nul")},
      {"%FF%FE", true, "\xFF\xFE"},  // decodes; the UTF-8 check refuses it
      {"100%", true, std::nullopt},
      {"%4", true, std::nullopt},
      {"%E0%A4%A", true, std::nullopt},
      {"%G0", true, std::nullopt},
      {"%%41", true, std::nullopt},
      {"%-1", true, std::nullopt},
  };
  for (const auto& c : cases) {
    CAPTURE(c.text, c.plus_is_space);
    CHECK(percent_decode(c.text, c.plus_is_space) == c.decoded);
  }
}

TEST_CASE("UTF-8 validation accepts well-formed text and refuses every malformed sequence",
          "[searchd][percent]") {
  const std::pair<std::string, bool> cases[] = {
      {"", true},
      {"forskning", true},
      {"Malmö å ä ö", true},
      {"研究 forskning", true},
      {"🙂🙂🙂", true},
      {"\xEF\xBF\xBD", true},       // U+FFFD
      {"\xF4\x8F\xBF\xBF", true},   // U+10FFFF
      {"\xFF\xFE", false},          // bytes that never occur
      {"\xC3", false},              // cut short
      {"\xC3\x28", false},          // bad continuation
      {"\x80", false},              // stray continuation
      {"\xC0\xAF", false},          // overlong '/'
      {"\xE0\x80\xAF", false},      // overlong, three bytes
      {"\xF0\x80\x80\xAF", false},  // overlong, four bytes
      {"\xED\xA0\x80", false},      // a UTF-16 surrogate
      {"\xF4\x90\x80\x80", false},  // above U+10FFFF
      {"\xF5\x80\x80\x80", false},
      {"abc\xE2\x82", false},  // cut short at the end
  };
  for (const auto& [text, valid] : cases) {
    CAPTURE(text);
    CHECK(is_valid_utf8(text) == valid);
  }
}

TEST_CASE("Percent-encoding escapes all but unreserved bytes and decodes back",
          "[searchd][percent]") {
  CHECK(percent_encode("life science/Malmö?") == "life%20science%2FMalm%C3%B6%3F");
  CHECK(percent_encode("a-b.c_d~e") == "a-b.c_d~e");
  for (const std::string text : {"\"unclosed", "title:", "((((", "a+b&c=d", "研究"}) {
    CAPTURE(text);
    CHECK(percent_decode(percent_encode(text), true) == text);
  }
}

}  // namespace
}  // namespace sok::searchd
