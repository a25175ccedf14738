// Snowball stemming in the analyzer: inflections meet in one term, each
// language has its own stemmer, numbers and units are left alone.

#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "sok/stemming/analyzer.h"
#include "sok/stemming/language.h"
#include "sok/stemming/token.h"
#include "support.h"

namespace sok::test {
namespace {

// The term of the first token of `text`.
std::string first_term(Analyzer& a, const std::string& text, Language language) {
  const Analysis result = a.analyze(text, language);
  INFO(text << '\n' << dump(result));
  REQUIRE_FALSE(result.tokens.empty());
  return result.tokens[0].term;
}

}  // namespace

TEST_CASE("Inflections of one Swedish word share one stem", "[stemming]") {
  auto [words, stem] = GENERATE(table<std::vector<std::string>, std::string>({
      {{"forskningen", "forskningens", "forskning", "forskningar"}, "forskning"},
      {{"forskare", "forskarna", "forskarnas"}, "forsk"},
      {{"cell", "celler", "cellerna"}, "cell"},
      {{"studie", "studien", "studier"}, "studi"},
      {{"böcker", "böckerna"}, "böck"},
      {{"universitet", "universiteten"}, "universitet"},
      {{"patient", "patienter", "patienterna"}, "patient"},
  }));
  CAPTURE(words);
  for (const std::string& word : words) {
    CAPTURE(word);
    CHECK(full_analyzer().stem(word, Language::sv) == stem);
    CHECK(first_term(full_analyzer(), word, Language::sv) == stem);
  }
}

TEST_CASE("Inflections of one English word share one stem", "[stemming]") {
  auto [words, stem] = GENERATE(table<std::vector<std::string>, std::string>({
      {{"collaborations", "collaboration", "collaborating"}, "collabor"},
      {{"researchers", "researcher", "research"}, "research"},
      {{"studies", "study", "studying"}, "studi"},
      {{"cells", "cell"}, "cell"},
      {{"therapies", "therapy"}, "therapi"},
  }));
  CAPTURE(words);
  for (const std::string& word : words) {
    CAPTURE(word);
    CHECK(full_analyzer().stem(word, Language::en) == stem);
    CHECK(first_term(full_analyzer(), word, Language::en) == stem);
  }
}

TEST_CASE("A Swedish text and a Swedish query meet in the stem of an inflected word",
          "[stemming]") {
  const Analysis text =
      full_analyzer().analyze("Forskningens framtid i Flemingsberg", Language::sv);
  const Analysis query = full_analyzer().analyze("forskningen", Language::sv);
  INFO(dump(text) << dump(query));
  REQUIRE_FALSE(text.tokens.empty());
  REQUIRE(query.tokens.size() == 1);
  CHECK(text.tokens[0].term == query.tokens[0].term);
  CHECK(text.tokens[0].form == "forskningens");  // the form is not stemmed
  CHECK(query.tokens[0].form == "forskningen");
}

TEST_CASE("The Swedish and the English stemmer treat the same word differently", "[stemming]") {
  auto [word, swedish, english] = GENERATE(table<std::string, std::string, std::string>({
      {"collaborations", "collaboration", "collabor"},
      {"meetings", "meeting", "meet"},
      {"running", "running", "run"},
      {"forskningen", "forskning", "forskningen"},
      {"företagen", "företag", "företagen"},
      {"studier", "studi", "studier"},
  }));
  CAPTURE(word);
  CHECK(full_analyzer().stem(word, Language::sv) == swedish);
  CHECK(full_analyzer().stem(word, Language::en) == english);
  CHECK(first_term(full_analyzer(), word, Language::sv) == swedish);
  CHECK(first_term(full_analyzer(), word, Language::en) == english);
}

TEST_CASE("Numbers are not stemmed", "[stemming]") {
  auto [text, language] = GENERATE(table<std::string, Language>({
      {"2024 blev ett rekordår", Language::sv},
      {"3,5 procent", Language::sv},
      {"1990s research", Language::en},
      {"14.00 i Novum", Language::sv},
      {"2020 was the year", Language::en},
  }));
  CAPTURE(text);
  const Analysis result = full_analyzer().analyze(text, language);
  INFO(dump(result));
  REQUIRE_FALSE(result.tokens.empty());
  for (const Token& t : result.tokens) {
    if (t.kind == TokenKind::number) CHECK(t.term == t.form);
  }
}

TEST_CASE("A unit's whole term is not stemmed but its word parts are", "[stemming]") {
  const std::string text = "cellterapi-studierna";
  const Analysis result = full_analyzer().analyze(text, Language::sv);
  INFO(dump(result));
  REQUIRE_FALSE(result.tokens.empty());
  CHECK(result.tokens[0].kind == TokenKind::unit);
  CHECK(result.tokens[0].term == "cellterapi-studierna");
  bool found = false;
  for (const Token& t : result.tokens) {
    if (t.form != "studierna") continue;
    found = true;
    CHECK(t.kind == TokenKind::unit_part);
    CHECK(t.term == full_analyzer().stem("studierna", Language::sv));
    CHECK(t.term == "studi");
  }
  CHECK(found);
}

TEST_CASE("Compound parts are indexed as the stems of their lemmas", "[stemming]") {
  const Analysis result = full_analyzer().analyze("Forskarutbildningarna i Huddinge", Language::sv);
  INFO(dump(result));
  for (const Token& t : result.tokens) {
    if (t.kind != TokenKind::compound_part) continue;
    CAPTURE(t.form);
    CHECK(t.term == full_analyzer().stem(t.form, Language::sv));
  }
  const Analysis cell = full_analyzer().analyze("cellterapier", Language::sv);
  INFO(dump(cell));
  bool terapi = false;
  for (const Token& t : cell.tokens)
    terapi = terapi || (t.kind == TokenKind::compound_part && t.form == "terapi");
  CHECK(terapi);
}

TEST_CASE("With stemming off the term is the folded form", "[stemming]") {
  auto [text, language, folded] = GENERATE(table<std::string, Language, std::string>({
      {"Forskningen", Language::sv, "forskningen"},
      {"Collaborations", Language::en, "collaborations"},
      {"BÖCKERNA", Language::sv, "böckerna"},
      {"Café", Language::sv, "cafe"},
  }));
  CAPTURE(text);
  const Analysis result = folding_analyzer().analyze(text, language);
  INFO(dump(result));
  REQUIRE(result.tokens.size() == 1);
  CHECK(result.tokens[0].term == folded);
  CHECK(result.tokens[0].form == folded);
  CHECK(folding_analyzer().stem(folded, language) == folded);
}

TEST_CASE("Words in capitals are stemmed like words in lower case", "[stemming]") {
  auto [upper, lower, language] = GENERATE(table<std::string, std::string, Language>({
      {"BÖCKERNA", "böckerna", Language::sv},
      {"FORSKNINGEN", "forskningen", Language::sv},
      {"Läkemedlen", "läkemedlen", Language::sv},
      {"RESEARCHERS", "researchers", Language::en},
      {"Collaborations", "collaborations", Language::en},
  }));
  CAPTURE(upper);
  CHECK(first_term(full_analyzer(), upper, language) ==
        first_term(full_analyzer(), lower, language));
  CHECK(first_term(full_analyzer(), upper, language) != lower);  // it was stemmed
}

TEST_CASE("Analyzer::stem leaves words of an unknown language as they are", "[stemming]") {
  const std::string word = GENERATE(as<std::string>{}, "forskningen", "collaborations", "böckerna");
  CAPTURE(word);
  CHECK(full_analyzer().stem(word, Language::unknown) == word);
}

TEST_CASE("Stop words are stemmed too but stay flagged", "[stemming]") {
  const Analysis result = full_analyzer().analyze("forskning eller utveckling", Language::sv);
  INFO(dump(result));
  REQUIRE(result.tokens.size() == 3);
  CHECK(result.tokens[1].form == "eller");
  CHECK(result.tokens[1].stop);
  CHECK(result.tokens[1].term == full_analyzer().stem("eller", Language::sv));
}

}  // namespace sok::test
