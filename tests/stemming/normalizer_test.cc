// Folding (normalizer.cc) seen through the analyzer with stemming and
// compound splitting off, so a token's term is exactly its folded form.

#include <catch2/catch.hpp>

#include <string>

#include "sok/stemming/analyzer.h"
#include "sok/stemming/language.h"
#include "sok/stemming/token.h"
#include "support.h"

namespace sok::test {
namespace {

// The one term of a one-word text.
std::string fold(const std::string& word, Language language = Language::sv) {
  const Analysis result = folding_analyzer().analyze(word, language);
  INFO(dump(word, result));
  REQUIRE(result.tokens.size() == 1);
  CHECK(result.tokens[0].term == result.tokens[0].form);  // nothing but folding
  return result.tokens[0].term;
}

}  // namespace

TEST_CASE("Words are folded with NFKC case folding and accent folding", "[normalizer]") {
  auto [word, folded] = GENERATE(table<std::string, std::string>({
      {"ﬁnans", "finans"},    // ligature fi
      {"Straße", "strasse"},  // sharp s case-folds to ss
      {"ＫＩ", "ki"},         // full-width letters
      {"Ｆｌｅｍｉｎｇｓｂｅｒｇ", "flemingsberg"},
      {"café", "cafe"},
      {"Malmö", "malmö"},
      {"ÅÄÖ", "åäö"},
      {"Müller", "muller"},
      {"Søren", "sören"},  // Danish/Norwegian ø is Swedish ö
      {"Ærø", "ärö"},      // æ is ä
      {"naïve", "naive"},
      {"résumé", "resume"},
      {"façade", "facade"},
      {"Œuvre", "oeuvre"},
      {"Dvořák", "dvorak"},
      {"Łódź", "lodz"},
      {"Þór", "thor"},
      {"Đakovo", "dakovo"},
      {"İstanbul", "istanbul"},
      {"Piñata", "pinata"},
      {"FLEMINGSBERG", "flemingsberg"},
      {"Ångström", "ångström"},
      {"\xE2\x84\xABngstr\xC3\xB6m", "ångström"},  // U+212B ANGSTROM SIGN is Å
      {"\xE2\x84\xAA"
       "elvin",
       "kelvin"},  // U+212A KELVIN SIGN is K
  }));
  CAPTURE(word);
  CHECK(fold(word) == folded);
}

TEST_CASE("Decomposed letters fold like the composed ones", "[normalizer]") {
  auto [decomposed, composed] = GENERATE(table<std::string, std::string>({
      {"a\xCC\x88r", "är"},  // a + U+0308
      {"Malmo\xCC\x88", "Malmö"},
      {"A\xCC\x8Asa", "Åsa"},  // A + U+030A
      {"la\xCC\x88kemedel", "läkemedel"},
      {"So\xCC\x88"
       "derto\xCC\x88"
       "rn",
       "Södertörn"},
      {"cafe\xCC\x81", "café"},  // e + U+0301
      {"Mu\xCC\x88ller", "Müller"},
  }));
  CAPTURE(decomposed, composed);
  CHECK(fold(decomposed) == fold(composed));
}

TEST_CASE("Å, Ä and Ö stay letters of their own and do not fold to A and O", "[normalizer]") {
  auto [swedish, other] = GENERATE(table<std::string, std::string>({
      {"Malmö", "Malmo"},
      {"för", "for"},
      {"år", "ar"},
      {"väg", "vag"},
      {"Södertörn", "Sodertorn"},
  }));
  CAPTURE(swedish, other);
  CHECK(fold(swedish) != fold(other));
}

TEST_CASE("Accents other than the Swedish ones make no difference to the term", "[normalizer]") {
  auto [accented, plain_spelling] = GENERATE(table<std::string, std::string>({
      {"café", "cafe"},
      {"Müller", "Muller"},
      {"naïve", "naive"},
      {"Crème brûlée", "Creme brulee"},
      {"São Paulo", "Sao Paulo"},
  }));
  CAPTURE(accented, plain_spelling);
  const Analysis a = folding_analyzer().analyze(accented, Language::sv);
  const Analysis b = folding_analyzer().analyze(plain_spelling, Language::sv);
  REQUIRE(a.tokens.size() == b.tokens.size());
  for (std::size_t i = 0; i < a.tokens.size(); ++i) CHECK(a.tokens[i].term == b.tokens[i].term);
}

TEST_CASE("Folding changes the term but the byte range still covers the word as written",
          "[normalizer]") {
  auto [text, as_written, folded] = GENERATE(table<std::string, std::string, std::string>({
      {"Ett café i Flemingsberg", "café", "cafe"},
      {"Professor Müller talar", "Müller", "muller"},
      {"Möt ＫＩ på mässan", "ＫＩ", "ki"},
      {"Gatan heter Straße", "Straße", "strasse"},
      {"Ny ﬁnansiering", "ﬁnansiering", "finansiering"},
  }));
  CAPTURE(text);
  const Analysis result = folding_analyzer().analyze(text, Language::sv);
  INFO(dump(text, result));
  bool found = false;
  for (const Token& t : result.tokens) {
    if (t.term != folded) continue;
    found = true;
    CHECK(written(text, t) == as_written);
  }
  CHECK(found);
}

TEST_CASE("Folding is the same whatever the language of the text", "[normalizer]") {
  const std::string word = GENERATE(as<std::string>{}, "Søren", "café", "Malmö", "Straße", "ＫＩ");
  CAPTURE(word);
  CHECK(fold(word, Language::sv) == fold(word, Language::en));
}

TEST_CASE("Upper and lower case give one term, also for Å, Ä and Ö", "[normalizer]") {
  auto [upper, lower] = GENERATE(table<std::string, std::string>({
      {"LÄKEMEDEL", "läkemedel"},
      {"ÖSTERSJÖN", "östersjön"},
      {"ÅRSRAPPORT", "årsrapport"},
      {"KaRoLiNsKa", "karolinska"},
  }));
  CAPTURE(upper);
  CHECK(fold(upper) == lower);
}

TEST_CASE("Other scripts are case folded and kept", "[normalizer]") {
  auto [word, folded] = GENERATE(table<std::string, std::string>({
      {"ΣΟΦΙΑ", "σοφια"},
      {"ТЕКСТ", "текст"},
      {"العربية", "العربية"},
  }));
  CAPTURE(word);
  CHECK(fold(word) == folded);
}

TEST_CASE("An abbreviation with dots and accented letters loses its dots and accents",
          "[normalizer]") {
  const std::string text = "É.U. och KI";
  const Analysis result = folding_analyzer().analyze(text, Language::sv);
  INFO(dump(text, result));
  REQUIRE_FALSE(result.tokens.empty());
  CHECK(result.tokens[0].term == "eu");
  CHECK(written(text, result.tokens[0]) == "É.U");
}

// Regression (was a bug): the full-width colon U+FF1A joins letters in ICU's Swedish word rules
// and folds to ':', but the genitive rule in segmenter.cc only looks for the
// ASCII colon, so "ＫＩ：ｓ" becomes the term "ki:s" instead of "ki".
TEST_CASE("A full-width genitive folds like KI:s", "[normalizer]") {
  CHECK(fold("ＫＩ：ｓ") == fold("KI:s"));
}

}  // namespace sok::test
