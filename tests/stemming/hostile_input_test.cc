// Text the analyzer must survive: empty, huge, invalid UTF-8, NUL bytes,
// other scripts, emoji and pathological punctuation. The analyzer never
// throws on bad text; every token's byte range stays inside the text.

#include <catch2/catch.hpp>

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "sok/stemming/analyzer.h"
#include "sok/stemming/language.h"
#include "sok/stemming/token.h"
#include "support.h"

namespace sok::test {
namespace {

// Generous enough for sanitizer and debug builds; the release build takes a
// small fraction of it.
constexpr double kSecondsPerMegabyte = 10.0;

// Checks that hold for any analysis of any text; counts failures instead of
// asserting per token, so that a million tokens do not make a million
// assertions.
void check_well_formed(std::string_view text, const Analysis& analysis,
                       std::size_t max_term_bytes = 120) {
  std::size_t bad_range = 0;
  std::size_t empty_term = 0;
  std::size_t long_term = 0;
  std::size_t backwards = 0;
  std::uint32_t last_position = 0;
  for (const Token& t : analysis.tokens) {
    bad_range += !(t.begin < t.end && t.end <= text.size());
    empty_term += t.term.empty() || t.form.empty();
    long_term += t.form.size() > max_term_bytes;
    if (!t.is_part()) {
      backwards += t.position < last_position;
      last_position = t.position;
    }
  }
  CHECK(bad_range == 0);
  CHECK(empty_term == 0);
  CHECK(long_term == 0);
  CHECK(backwards == 0);
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

TEST_CASE("Empty and blank text gives no tokens", "[hostile]") {
  const std::string text =
      GENERATE(as<std::string>{}, "", " ", "\n\n\t", "\r\n", "\xC2\xA0\xE2\x80\x83");
  CAPTURE(text);
  for (Language language : {Language::unknown, Language::sv, Language::en}) {
    const Analysis result = full_analyzer().analyze(text, language);
    CHECK(result.tokens.empty());
    CHECK(result.invalid_utf8 == 0);
    CHECK(result.dropped == 0);
  }
}

TEST_CASE("Text of punctuation only gives no tokens", "[hostile]") {
  const std::string text = GENERATE(as<std::string>{}, "...", "!!! ???", "---", "– — ‒", "«»“”„\"'",
                                    "()[]{}<>", ":;,.", "///", "* # % & § ¶ †", "-:-.-");
  CAPTURE(text);
  const Analysis result = full_analyzer().analyze(text, Language::sv);
  INFO(dump(text, result));
  CHECK(result.tokens.empty());
}

// Regression (was a bug): ICU's word rules count '@' as a letter (so that e-mail addresses hold
// together), and the segmenter keeps it in words that are not e-mail
// addresses: "@@@" becomes a term, a handle "@KarolinskaInst" is the term
// "@karolinskainst" that the query "karolinskainst" never matches.
TEST_CASE("An @ outside an e-mail address is punctuation", "[hostile]") {
  auto [text, expected] = GENERATE(table<std::string, std::vector<std::string>>({
      {"@@@", {}},
      {"Följ @KarolinskaInst", {"följ", "karolinskainst"}},
      {"info@ och @", {"info", "och"}},
  }));
  CAPTURE(text);
  const Analysis result = folding_analyzer().analyze(text, Language::sv);
  INFO(dump(text, result));
  CHECK(forms(result) == expected);
}

TEST_CASE("A megabyte of one word is dropped as too long, counted, and quick", "[hostile][large]") {
  const char letter = GENERATE('a', 'x');
  const std::string text(1 << 20, letter);
  const auto start = std::chrono::steady_clock::now();
  const Analysis result = full_analyzer().analyze(text);
  const double seconds = seconds_since(start);
  CAPTURE(seconds);
  CHECK(result.tokens.empty());
  CHECK(result.dropped == 1);
  CHECK(result.invalid_utf8 == 0);
  CHECK(seconds < kSecondsPerMegabyte);
}

TEST_CASE("A megabyte of one Swedish word with å, ä and ö is dropped as too long",
          "[hostile][large]") {
  std::string text;
  while (text.size() < (1 << 20)) text += "åäö";
  const Analysis result = full_analyzer().analyze(text, Language::sv);
  CHECK(result.tokens.empty());
  CHECK(result.dropped == 1);
}

TEST_CASE("A megabyte of news text is analysed whole and quickly", "[hostile][large]") {
  const std::string sentence =
      "KI:s forskare i Flemingsberg utvecklar cellterapi mot cancer tillsammans med "
      "läkemedelsföretag, t.ex. i Novum, sedan 2024-03-14. ";
  std::string text;
  std::size_t sentences = 0;
  while (text.size() < (1 << 20)) {
    text += sentence;
    ++sentences;
  }
  const auto start = std::chrono::steady_clock::now();
  const Analysis result = full_analyzer().analyze(text);
  const double seconds = seconds_since(start);
  CAPTURE(seconds, sentences);
  CHECK(result.language == Language::sv);
  CHECK(result.dropped == 0);
  check_well_formed(text, result);
  // Each sentence: 15 words and abbreviations, and a date of 3 parts.
  const Analysis one = full_analyzer().analyze(sentence, Language::sv);
  CHECK(result.tokens.size() == one.tokens.size() * sentences);
  REQUIRE_FALSE(result.tokens.empty());
  CHECK(result.tokens.back().form == "14");
  CHECK(result.tokens.back().end == text.size() - 2);
  CHECK(seconds < kSecondsPerMegabyte);
}

TEST_CASE("Invalid UTF-8 is replaced and counted, and offsets stay inside the text",
          "[hostile][utf8]") {
  auto [text, invalid, words] = GENERATE(table<std::string, std::size_t, std::vector<std::string>>({
      {"forsk\x80ning", 1, {"forsk", "ning"}},             // lone continuation byte
      {"cell\xC3", 1, {"cell"}},                           // truncated two-byte sequence
      {"Flemingsberg \xF0\x9F\x98", 1, {"flemingsberg"}},  // truncated emoji
      {"\xE2\x82 Novum", 1, {"novum"}},                    // truncated three-byte sequence
      {"\xC0\xAF"
       "KI",
       2,
       {"ki"}},  // overlong '/'
      {"ab\xED\xA0\x80"
       "cd",
       3,
       {"ab", "cd"}},  // UTF-16 surrogate
      {"\xFF"
       "KI\xFE",
       2,
       {"ki"}},                          // bytes never in UTF-8
      {"\xF4\x90\x80\x80 x", 4, {"x"}},  // beyond U+10FFFF
      {"Malm\xC3\xB6 \x80\x80\x80 Lund", 3, {"malmö", "lund"}},
  }));
  CAPTURE(text, invalid);
  const Analysis result = full_analyzer().analyze(text, Language::sv);
  INFO(dump(text, result));
  CHECK(result.invalid_utf8 == invalid);
  check_well_formed(text, result);
  CHECK(forms(result) == words);
  for (const Token& t : result.tokens) {
    // A word's range never starts or ends inside a byte sequence of the text.
    CHECK(written(text, t).find('\xFF') == std::string_view::npos);
  }
}

TEST_CASE("Only invalid bytes give no tokens but a count", "[hostile][utf8]") {
  const std::string text(100000, '\x80');
  const Analysis result = full_analyzer().analyze(text);
  CHECK(result.tokens.empty());
  CHECK(result.invalid_utf8 == text.size());
  CHECK(result.language == Language::unknown);
}

TEST_CASE("A word after invalid UTF-8 has the byte range of the word", "[hostile][utf8]") {
  const std::string text =
      "\xFF\xFE"
      "Karolinska";
  const Analysis result = full_analyzer().analyze(text, Language::sv);
  INFO(dump(text, result));
  REQUIRE(result.tokens.size() == 1);
  CHECK(result.tokens[0].begin == 2);
  CHECK(written(text, result.tokens[0]) == "Karolinska");
}

TEST_CASE("NUL bytes separate words", "[hostile]") {
  const std::string_view text("KI\0Flemingsberg\0\0cellterapi\0", 28);
  const Analysis result = full_analyzer().analyze(text, Language::sv);
  INFO(dump(text, result));
  check_well_formed(text, result);
  REQUIRE(result.tokens.size() >= 3);
  CHECK(result.tokens[0].form == "ki");
  CHECK(result.tokens[1].form == "flemingsberg");
  CHECK(result.tokens[2].form == "cellterapi");
  CHECK(result.tokens[1].position == 1);
  CHECK(result.tokens[2].position == 2);
  CHECK(written(text, result.tokens[1]) == "Flemingsberg");
  CHECK(result.tokens[2].begin == 17);
  for (const Token& t : result.tokens) CHECK(t.form.find('\0') == std::string::npos);
}

TEST_CASE("Words in other scripts are indexed with their byte ranges", "[hostile][scripts]") {
  auto [text, expected] = GENERATE(table<std::string, std::vector<std::string>>({
      {"中文 科学园", {"中文", "科学", "园"}},
      {"العربية لغة", {"العربية", "لغة"}},
      {"Русский текст", {"Русский", "текст"}},
      {"ภาษาไทย", {"ภาษา", "ไทย"}},
      {"Flemingsberg 科学园 Huddinge", {"Flemingsberg", "科学", "园", "Huddinge"}},
  }));
  CAPTURE(text);
  const Analysis result = full_analyzer().analyze(text);
  INFO(dump(text, result));
  check_well_formed(text, result);
  std::vector<std::string> highlighted;
  for (const Token& t : result.tokens) highlighted.emplace_back(written(text, t));
  CHECK(highlighted == expected);
}

TEST_CASE("Emoji are not words", "[hostile][emoji]") {
  SECTION("emoji only") {
    const std::string text =
        GENERATE(as<std::string>{}, "🧬", "🧬🔬💊", "👩‍🔬 👨‍⚕️", "🇸🇪🇬🇧");
    CAPTURE(text);
    const Analysis result = full_analyzer().analyze(text);
    CHECK(result.tokens.empty());
    CHECK(result.invalid_utf8 == 0);
  }
  SECTION("emoji between words") {
    const std::string text = "Cellterapi🧬i 👩‍🔬Flemingsberg💊";
    const Analysis result = full_analyzer().analyze(text, Language::sv);
    INFO(dump(text, result));
    check_well_formed(text, result);
    std::vector<std::string> words;
    for (const Token& t : result.tokens) {
      if (!t.is_part()) words.emplace_back(written(text, t));
    }
    CHECK(words == std::vector<std::string>{"Cellterapi", "i", "Flemingsberg"});
  }
  SECTION("a hundred thousand emoji") {
    std::string text;
    for (int i = 0; i < 100000; ++i) text += "🧬";
    const Analysis result = full_analyzer().analyze(text);
    CHECK(result.tokens.empty());
  }
}

TEST_CASE("Hyphen chains of any length are handled", "[hostile][unit]") {
  SECTION("a chain of twenty words is one unit with twenty-one parts") {
    std::string text = "x";
    for (int i = 0; i < 20; ++i) text += "-ab";
    const Analysis result = full_analyzer().analyze(text, Language::sv);
    check_well_formed(text, result);
    REQUIRE(result.tokens.size() == 22);
    CHECK(result.tokens[0].kind == TokenKind::unit);
    CHECK(result.tokens.back().position == 20);
  }
  SECTION("a chain too long to index whole is dropped and counted") {
    std::string text = "cell";
    for (int i = 0; i < 5000; ++i) text += "-terapi";
    const auto start = std::chrono::steady_clock::now();
    const Analysis result = full_analyzer().analyze(text, Language::sv);
    CHECK(seconds_since(start) < kSecondsPerMegabyte);
    check_well_formed(text, result);
    CHECK(result.dropped >= 1);
  }
  SECTION("dashes without words between them") {
    const std::string text = "a--b---c - - d";
    const Analysis result = full_analyzer().analyze(text, Language::sv);
    INFO(dump(text, result));
    check_well_formed(text, result);
    CHECK_FALSE(result.tokens.empty());
  }
}

TEST_CASE("A hundred thousand a- pairs neither crash nor hang", "[hostile][unit]") {
  std::string text;
  for (int i = 0; i < 100000; ++i) text += "a-";
  const auto start = std::chrono::steady_clock::now();
  const Analysis result = full_analyzer().analyze(text, Language::sv);
  const double seconds = seconds_since(start);
  CAPTURE(seconds);
  check_well_formed(text, result);
  CHECK(result.dropped >= 1);  // the unit as a whole is far too long
  CHECK(seconds < kSecondsPerMegabyte);
}

TEST_CASE("Ten thousand URLs are ten thousand units", "[hostile][unit]") {
  std::string text;
  for (int i = 0; i < 10000; ++i)
    text += "https://www.flemingsberg.se/nyheter/" + std::to_string(i) + " ";
  const auto start = std::chrono::steady_clock::now();
  const Analysis result = full_analyzer().analyze(text, Language::sv);
  const double seconds = seconds_since(start);
  CAPTURE(seconds);
  check_well_formed(text, result);
  std::size_t units = 0;
  std::size_t bad_units = 0;
  std::uint32_t last = 0;
  std::size_t out_of_order = 0;
  for (const Token& t : result.tokens) {
    if (t.kind != TokenKind::unit) continue;
    bad_units += !written(text, t).starts_with("https://www.flemingsberg.se/nyheter/");
    out_of_order += units > 0 && t.position <= last;
    last = t.position;
    ++units;
  }
  CHECK(units == 10000);
  CHECK(bad_units == 0);
  CHECK(out_of_order == 0);
  // Each URL: the unit and its parts https, www, flemingsberg, se, nyheter, N.
  CHECK(result.tokens.size() == 10000 * 7);
  REQUIRE_FALSE(result.tokens.empty());
  CHECK(result.tokens.back().form == "9999");
  CHECK(seconds < kSecondsPerMegabyte);
}

TEST_CASE("Pathological links and abbreviations neither crash nor hang", "[hostile]") {
  auto [piece, count] = GENERATE(table<std::string, int>({
      {"a.", 100000},
      {"a:", 100000},
      {"a@b.", 50000},
      {"@", 100000},
      {"www.", 50000},
      {"http://", 20000},
      {"KI:s ", 50000},
      {"t.ex. ", 50000},
      {"'s", 50000},
  }));
  CAPTURE(piece, count);
  std::string text;
  for (int i = 0; i < count; ++i) text += piece;
  const auto start = std::chrono::steady_clock::now();
  const Analysis result = full_analyzer().analyze(text, Language::sv);
  const double seconds = seconds_since(start);
  CAPTURE(seconds);
  check_well_formed(text, result);
  CHECK(seconds < kSecondsPerMegabyte);
}

TEST_CASE("A very long number is dropped like a very long word", "[hostile]") {
  const std::string text = "Summa " + std::string(500, '9') + " kronor";
  const Analysis result = full_analyzer().analyze(text, Language::sv);
  INFO(dump(text, result));
  CHECK(result.dropped == 1);
  CHECK(forms(result) == std::vector<std::string>{"summa", "kronor"});
}

TEST_CASE("Control characters separate words", "[hostile]") {
  const std::string text =
      "KI\x01"
      "Flemingsberg\x1B[0mNovum\x7F"
      "cell";
  const Analysis result = full_analyzer().analyze(text, Language::sv);
  INFO(dump(text, result));
  check_well_formed(text, result);
  CHECK(result.tokens.size() >= 4);
  CHECK(result.invalid_utf8 == 0);
}

}  // namespace sok::test
