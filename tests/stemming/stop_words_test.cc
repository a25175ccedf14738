// Stop words (stop_words.cc): looked up directly with is_stop_word, and as
// the analyzer flags them — flagged, never dropped, positions kept.

#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "sok/stemming/analyzer.h"
#include "sok/stemming/language.h"
#include "sok/stemming/stop_words.h"
#include "sok/stemming/token.h"
#include "support.h"

namespace sok::test {

TEST_CASE("Swedish function words are Swedish stop words", "[stop_words]") {
  const std::string word = GENERATE(as<std::string>{}, "och", "att", "i", "det", "som", "är", "på",
                                    "för", "med", "av", "till", "en", "ett", "den", "har", "inte",
                                    "också", "ska", "eller", "mellan", "efter");
  CAPTURE(word);
  CHECK(is_stop_word(word, Language::sv));
}

TEST_CASE("English function words are English stop words", "[stop_words]") {
  const std::string word = GENERATE(as<std::string>{}, "the", "and", "of", "a", "an", "in", "to",
                                    "is", "was", "for", "with", "at", "by", "from", "which", "i");
  CAPTURE(word);
  CHECK(is_stop_word(word, Language::en));
}

TEST_CASE("Content words are not stop words in either language", "[stop_words]") {
  auto [word, language] = GENERATE(table<std::string, Language>({
      {"forskning", Language::sv},
      {"forskare", Language::sv},
      {"cell", Language::sv},
      {"cellterapi", Language::sv},
      {"flemingsberg", Language::sv},
      {"karolinska", Language::sv},
      {"läkemedel", Language::sv},
      {"ki", Language::sv},
      {"research", Language::en},
      {"cell", Language::en},
      {"flemingsberg", Language::en},
      {"therapy", Language::en},
      {"flemingsberg", Language::unknown},
      {"covid", Language::unknown},
  }));
  CAPTURE(word, language);
  CHECK_FALSE(is_stop_word(word, language));
}

TEST_CASE("Each language has its own stop list", "[stop_words]") {
  auto [word, swedish, english] = GENERATE(table<std::string, bool, bool>({
      {"och", true, false},
      {"att", true, false},
      {"det", true, false},
      {"är", true, false},
      {"the", false, true},
      {"and", false, true},
      {"of", false, true},
      {"is", false, true},
      {"i", true, true},  // "i" is "in" in Swedish and "I" in English
      {"för", true, false},
      {"for", false, true},
  }));
  CAPTURE(word);
  CHECK(is_stop_word(word, Language::sv) == swedish);
  CHECK(is_stop_word(word, Language::en) == english);
}

TEST_CASE("With the language unknown, a word of either stop list is a stop word", "[stop_words]") {
  auto [word, stop] = GENERATE(table<std::string, bool>({
      {"och", true},
      {"the", true},
      {"att", true},
      {"of", true},
      {"forskning", false},
      {"research", false},
  }));
  CAPTURE(word);
  CHECK(is_stop_word(word, Language::unknown) == stop);
}

TEST_CASE("Abbreviations without their dots are stop words of their language", "[stop_words]") {
  auto [word, language] = GENERATE(table<std::string, Language>({
      {"tex", Language::sv},
      {"bla", Language::sv},
      {"dvs", Language::sv},
      {"osv", Language::sv},
      {"pga", Language::sv},
      {"eg", Language::en},
      {"ie", Language::en},
      {"etc", Language::en},
  }));
  CAPTURE(word, language);
  CHECK(is_stop_word(word, language));
}

TEST_CASE("Stop words are looked up in their folded form", "[stop_words]") {
  CHECK_FALSE(is_stop_word("Och", Language::sv));
  CHECK_FALSE(is_stop_word("THE", Language::en));
  // Through the analyzer, upper case is folded first.
  const Analysis result = full_analyzer().analyze("OCH DET ÄR KI", Language::sv);
  INFO(dump(result));
  REQUIRE(result.tokens.size() == 4);
  CHECK(result.tokens[0].stop);
  CHECK(result.tokens[1].stop);
  CHECK(result.tokens[2].stop);
  CHECK_FALSE(result.tokens[3].stop);
}

TEST_CASE("Stop-flagged tokens are kept and keep their positions", "[stop_words]") {
  const std::string text = "Forskare i Flemingsberg och på KI";
  const Analysis result = full_analyzer().analyze(text, Language::sv);
  INFO(dump(result));
  REQUIRE(result.tokens.size() == 6);
  const std::vector<bool> stops = {false, true, false, true, true, false};
  for (std::size_t i = 0; i < stops.size(); ++i) {
    CAPTURE(i);
    CHECK(result.tokens[i].position == i);
    CHECK(result.tokens[i].stop == stops[i]);
  }
  // So that the phrase "i Flemingsberg" still matches.
  CHECK(result.tokens[1].form == "i");
  CHECK(result.tokens[2].position == result.tokens[1].position + 1);
}

TEST_CASE("English stop words are flagged in English text", "[stop_words]") {
  const std::string text = "The researchers at KI and KTH";
  const Analysis result = full_analyzer().analyze(text, Language::en);
  INFO(dump(result));
  REQUIRE(result.tokens.size() == 6);
  const std::vector<bool> stops = {true, false, true, false, true, false};
  for (std::size_t i = 0; i < stops.size(); ++i) {
    CAPTURE(i);
    CHECK(result.tokens[i].stop == stops[i]);
    CHECK(result.tokens[i].position == i);
  }
}

TEST_CASE("The stop list of the text's language applies, not the other one", "[stop_words]") {
  SECTION("the Swedish och is a content word in English text") {
    const Analysis result = full_analyzer().analyze("Och and the band", Language::en);
    INFO(dump(result));
    REQUIRE(result.tokens.size() == 4);
    CHECK_FALSE(result.tokens[0].stop);
    CHECK(result.tokens[1].stop);
  }
  SECTION("the English the is a content word in Swedish text") {
    const Analysis result = full_analyzer().analyze("Hon dricker the och kaffe", Language::sv);
    INFO(dump(result));
    REQUIRE(result.tokens.size() == 5);
    CHECK_FALSE(result.tokens[2].stop);
    CHECK(result.tokens[3].stop);
  }
}

TEST_CASE("An abbreviation written with dots is flagged as a stop word", "[stop_words]") {
  auto [text, language] = GENERATE(table<std::string, Language>({
      {"t.ex.", Language::sv},
      {"bl.a.", Language::sv},
      {"d.v.s.", Language::sv},
      {"e.g.", Language::en},
      {"i.e.", Language::en},
  }));
  CAPTURE(text);
  const Analysis result = full_analyzer().analyze(text, language);
  INFO(dump(result));
  REQUIRE(result.tokens.size() == 1);
  CHECK(result.tokens[0].stop);
  CHECK(result.tokens[0].position == 0);
}

TEST_CASE("Stop words are not split as compounds and numbers are never stop words",
          "[stop_words]") {
  const Analysis result = full_analyzer().analyze("Mellan 1 och 2, eller efter 2024", Language::sv);
  INFO(dump(result));
  REQUIRE(result.tokens.size() == 7);
  for (const Token& t : result.tokens) {
    CAPTURE(t.form);
    if (t.kind == sok::TokenKind::number) CHECK_FALSE(t.stop);
    if (t.stop) CHECK(t.kind == sok::TokenKind::word);
    CHECK(t.kind != sok::TokenKind::compound_part);
  }
}

TEST_CASE("Interrogatives begin a question in their own language", "[stop_words]") {
  auto [word, swedish, english] = GENERATE(table<std::string, bool, bool>({
      {"vad", true, false},
      {"hur", true, false},
      {"varför", true, false},
      {"vilka", true, false},
      {"what", false, true},
      {"how", false, true},
      {"which", false, true},
      {"forskning", false, false},
      {"och", false, false},
      {"the", false, false},
  }));
  CAPTURE(word);
  CHECK(is_interrogative(word, Language::sv) == swedish);
  CHECK(is_interrogative(word, Language::en) == english);
  CHECK(is_interrogative(word, Language::unknown) == (swedish || english));
}

}  // namespace sok::test
