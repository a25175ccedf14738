// Word segmentation as the index sees it: which tokens a text becomes, with
// which kinds, positions and byte ranges (sok::Analyzer over segmenter.cc).

#include <catch2/catch.hpp>

#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "sok/stemming/analyzer.h"
#include "sok/stemming/language.h"
#include "sok/stemming/token.h"
#include "support.h"

namespace sok::test {
namespace {

std::vector<std::string> forms_of_kind(const Analysis& analysis, TokenKind kind) {
  std::vector<std::string> out;
  for (const Token& t : analysis.tokens) {
    if (t.kind == kind) out.push_back(t.form);
  }
  return out;
}

const Token* find_form(const Analysis& analysis, std::string_view form) {
  for (const Token& t : analysis.tokens) {
    if (t.form == form) return &t;
  }
  return nullptr;
}

std::size_t count_kind(const Analysis& analysis, TokenKind kind) {
  std::size_t n = 0;
  for (const Token& t : analysis.tokens) n += t.kind == kind;
  return n;
}

}  // namespace

TEST_CASE("Punctuation and spaces are dropped and the words keep their order", "[segmenter]") {
  auto [text, expected] = GENERATE(table<std::string, std::vector<std::string>>({
      {"Flemingsberg, Huddinge!", {"flemingsberg", "huddinge"}},
      {"Vad händer i Novum?", {"vad", "händer", "i", "novum"}},
      {"\"Cellterapi\" (ny metod) – snart här…", {"cellterapi", "ny", "metod", "snart", "här"}},
      {"Huddinge/Flemingsberg", {"huddinge", "flemingsberg"}},
      {"Stockholm–Huddinge", {"stockholm", "huddinge"}},
      {"Forskare: ”Vi är nära”.", {"forskare", "vi", "är", "nära"}},
      {"Spårväg syd; Flemingsberg–Älvsjö.", {"spårväg", "syd", "flemingsberg", "älvsjö"}},
      {"...!!! ??? --- ;; «» § *", {}},
  }));
  CAPTURE(text);
  const Analysis result = folding_analyzer().analyze(text, Language::sv);
  INFO(dump(text, result));
  CHECK(forms(result) == expected);
  for (std::size_t i = 0; i < result.tokens.size(); ++i) {
    CHECK(result.tokens[i].kind == TokenKind::word);
    CHECK(result.tokens[i].position == i);  // punctuation takes no position
  }
}

TEST_CASE("Numbers are kept as number tokens with their separators", "[segmenter]") {
  auto [text, numbers] = GENERATE(table<std::string, std::vector<std::string>>({
      {"Anslaget ökar med 3,5 procent", {"3,5"}},
      {"Spårväg syd öppnar år 2030", {"2030"}},
      {"1 200 anställda i Flemingsberg", {"1", "200"}},
      {"Seminariet börjar kl. 14.00 i Novum", {"14.00"}},
      {"20 % fler studenter", {"20"}},
      {"A grant of €3.5 million", {"3.5"}},
      {"Budgeten är 1 200 000 kr", {"1", "200", "000"}},
      {"mellan 2019 och 2024", {"2019", "2024"}},
  }));
  CAPTURE(text);
  const Analysis result = full_analyzer().analyze(text, Language::sv);
  INFO(dump(text, result));
  CHECK(forms_of_kind(result, TokenKind::number) == numbers);
  for (const Token& t : result.tokens) {
    if (t.kind == TokenKind::number) {
      CHECK(t.term == t.form);
      CHECK(written(text, t) == t.form);
      CHECK_FALSE(t.stop);
    }
  }
}

TEST_CASE("A number written with a space between thousands is two numbers at consecutive positions",
          "[segmenter]") {
  const std::string text = "Studien omfattar 1 200 patienter";
  const Analysis result = full_analyzer().analyze(text, Language::sv);
  INFO(dump(text, result));
  REQUIRE(result.tokens.size() == 5);
  CHECK(result.tokens[2].form == "1");
  CHECK(result.tokens[3].form == "200");
  CHECK(result.tokens[2].kind == TokenKind::number);
  CHECK(result.tokens[3].kind == TokenKind::number);
  CHECK(result.tokens[3].position == result.tokens[2].position + 1);
  CHECK(result.tokens[4].position == result.tokens[3].position + 1);
}

TEST_CASE("A Swedish genitive with a colon indexes the bare abbreviation",
          "[segmenter][genitive]") {
  auto [text, as_written, form] = GENERATE(table<std::string, std::string, std::string>({
      {"KI:s forskare i Flemingsberg", "KI:s", "ki"},
      {"EU:s nya regler för läkemedel", "EU:s", "eu"},
      {"KTH:s campus i Flemingsberg", "KTH:s", "kth"},
      {"SciLifeLab:s nya labb", "SciLifeLab:s", "scilifelab"},
      {"AstraZeneca:s forskning i Södertälje", "AstraZeneca:s", "astrazeneca"},
      {"SVT:s reportage från Novum", "SVT:s", "svt"},
      {"FN:s klimatpanel varnar", "FN:s", "fn"},
  }));
  CAPTURE(text);
  const Analysis result = full_analyzer().analyze(text, Language::sv);
  INFO(dump(text, result));
  REQUIRE(result.tokens.size() >= 2);
  const Token& genitive = result.tokens[0];
  CHECK(genitive.kind == TokenKind::word);
  CHECK(genitive.form == form);
  CHECK(written(text, genitive) == as_written);  // the highlight covers "KI:s"
  CHECK(genitive.position == 0);
  CHECK(result.tokens[1].position == 1);  // no stray "s" in between
  CHECK(find_form(result, "s") == nullptr);
}

TEST_CASE("The genitive KI:s is the term ki, not ki:s", "[segmenter][genitive]") {
  const std::string text = "KI:s";
  const Analysis result = full_analyzer().analyze(text, Language::sv);
  INFO(dump(text, result));
  REQUIRE(result.tokens.size() == 1);
  CHECK(result.tokens[0].term == "ki");
  CHECK(result.tokens[0].begin == 0);
  CHECK(result.tokens[0].end == 4);
}

TEST_CASE("An English genitive with an apostrophe indexes the bare name", "[segmenter][genitive]") {
  auto [text, as_written, form] = GENERATE(table<std::string, std::string, std::string>({
      {"KI's researchers in Flemingsberg", "KI's", "ki"},
      {"KTH’s campus is growing", "KTH’s", "kth"},
      {"Karolinska's new cell therapy lab", "Karolinska's", "karolinska"},
      {"Sweden's life science strategy", "Sweden's", "sweden"},
  }));
  CAPTURE(text);
  const Analysis result = full_analyzer().analyze(text, Language::en);
  INFO(dump(text, result));
  REQUIRE(result.tokens.size() >= 2);
  CHECK(result.tokens[0].form == form);
  CHECK(written(text, result.tokens[0]) == as_written);
  CHECK(result.tokens[1].position == 1);
  CHECK(find_form(result, "s") == nullptr);
}

TEST_CASE("A plural possessive apostrophe is not part of the word", "[segmenter][genitive]") {
  const std::string text = "the partners' agreement";
  const Analysis result = folding_analyzer().analyze(text, Language::en);
  INFO(dump(text, result));
  CHECK(forms(result) == std::vector<std::string>{"the", "partners", "agreement"});
}

TEST_CASE("An abbreviation written with dots becomes one word without its dots",
          "[segmenter][abbreviation]") {
  auto [text, language, as_written, form, stop] =
      GENERATE(table<std::string, Language, std::string, std::string, bool>({
          {"t.ex. cellterapi", Language::sv, "t.ex", "tex", true},
          {"bl.a. forskare från KI", Language::sv, "bl.a", "bla", true},
          {"o.s.v. och så vidare", Language::sv, "o.s.v", "osv", true},
          {"d.v.s. att studien", Language::sv, "d.v.s", "dvs", true},
          {"e.g. cell therapy", Language::en, "e.g", "eg", true},
          {"i.e. stem cells", Language::en, "i.e", "ie", true},
          {"U.S.A. and Sweden", Language::en, "U.S.A", "usa", false},
      }));
  CAPTURE(text, language);
  const Analysis result = full_analyzer().analyze(text, language);
  INFO(dump(text, result));
  REQUIRE(result.tokens.size() >= 2);
  const Token& abbreviation = result.tokens[0];
  CHECK(abbreviation.kind == TokenKind::word);
  CHECK(abbreviation.form == form);
  CHECK(abbreviation.stop == stop);
  CHECK(written(text, abbreviation) == as_written);
  CHECK(result.tokens[1].position == 1);  // one token, one position
}

TEST_CASE("A date is a unit with its year, month and day as parts at consecutive positions",
          "[segmenter][unit]") {
  const std::string text = "Publicerad 2024-03-14 i Flemingsberg";
  const Analysis result = full_analyzer().analyze(text, Language::sv);
  INFO(dump(text, result));
  REQUIRE(result.tokens.size() == 7);
  const Token& date = result.tokens[1];
  CHECK(date.kind == TokenKind::unit);
  CHECK(date.term == "2024-03-14");
  CHECK(written(text, date) == "2024-03-14");
  CHECK(date.position == 1);
  const std::vector<std::string> parts = {"2024", "03", "14"};
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const Token& part = result.tokens[2 + i];
    CAPTURE(i);
    CHECK(part.kind == TokenKind::unit_part);
    CHECK(part.term == parts[i]);
    CHECK(written(text, part) == parts[i]);
    CHECK(part.position == 1 + i);
  }
  CHECK(result.tokens[5].form == "i");
  CHECK(result.tokens[5].position == 4);  // after the last part
  CHECK(result.tokens[6].position == 5);
}

TEST_CASE("COVID-19 is findable as covid-19 and as covid", "[segmenter][unit]") {
  SECTION("in a text") {
    const std::string text = "Studien följer patienter med COVID-19 i Huddinge.";
    const Analysis result = full_analyzer().analyze(text, Language::sv);
    INFO(dump(text, result));
    const Token* unit = find_form(result, "covid-19");
    REQUIRE(unit != nullptr);
    CHECK(unit->kind == TokenKind::unit);
    CHECK(unit->term == "covid-19");
    CHECK(written(text, *unit) == "COVID-19");
    const Token* covid = find_form(result, "covid");
    REQUIRE(covid != nullptr);
    CHECK(covid->kind == TokenKind::unit_part);
    CHECK(covid->position == unit->position);
    CHECK(written(text, *covid) == "COVID");
    const Token* nineteen = find_form(result, "19");
    REQUIRE(nineteen != nullptr);
    CHECK(nineteen->position == unit->position + 1);
  }
  SECTION("as a query, in upper or lower case") {
    const std::string query = GENERATE(as<std::string>{}, "COVID-19", "covid-19", "Covid-19");
    CAPTURE(query);
    const Analysis result = full_analyzer().analyze(query);
    INFO(dump(query, result));
    REQUIRE(result.tokens.size() == 3);
    CHECK(result.tokens[0].term == "covid-19");
    CHECK(result.tokens[1].term == "covid");
    CHECK(result.tokens[2].term == "19");
    CHECK(result.tokens[1].position + 1 == result.tokens[2].position);
  }
  SECTION("written with a space, the parts come at the same consecutive positions") {
    const std::string text = "COVID 19";
    const Analysis result = full_analyzer().analyze(text, Language::sv);
    INFO(dump(text, result));
    REQUIRE(result.tokens.size() == 2);
    CHECK(result.tokens[0].term == "covid");
    CHECK(result.tokens[1].term == "19");
    CHECK(result.tokens[1].position == result.tokens[0].position + 1);
  }
}

TEST_CASE("Words joined by hyphens are a unit plus one part per word", "[segmenter][unit]") {
  auto [text, unit_text, parts] =
      GENERATE(table<std::string, std::string, std::vector<std::string>>({
          {"Skicka e-post till oss", "e-post", {"e", "post"}},
          {"Nytt mRNA-vaccin testas", "mRNA-vaccin", {"mrna", "vaccin"}},
          {"Pendeln Stockholm-Huddinge-Flemingsberg",
           "Stockholm-Huddinge-Flemingsberg",
           {"stockholm", "huddinge", "flemingsberg"}},
          {"Life science-företag växer", "science-företag", {"science", "företag"}},
          {"Fas 1-studien startar", "1-studien", {"1", "studien"}},
          {"Covid‑19 (med hårt bindestreck)", "Covid‑19", {"covid", "19"}},
          {"Ett icke‐binärt val", "icke‐binärt", {"icke", "binärt"}},
      }));
  CAPTURE(text);
  const Analysis result = folding_analyzer().analyze(text, Language::sv);
  INFO(dump(text, result));
  REQUIRE(count_kind(result, TokenKind::unit) == 1);
  std::size_t u = 0;
  while (result.tokens[u].kind != TokenKind::unit) ++u;
  const Token& unit = result.tokens[u];
  CHECK(written(text, unit) == unit_text);
  REQUIRE(result.tokens.size() >= u + 1 + parts.size());
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const Token& part = result.tokens[u + 1 + i];
    CAPTURE(i);
    CHECK(part.kind == TokenKind::unit_part);
    CHECK(part.form == parts[i]);
    CHECK(part.position == unit.position + i);
    CHECK(part.begin >= unit.begin);
    CHECK(part.end <= unit.end);
  }
  if (result.tokens.size() > u + 1 + parts.size()) {
    CHECK(result.tokens[u + 1 + parts.size()].position == unit.position + parts.size());
  }
}

TEST_CASE("An e-mail address is a unit of its local part and host labels", "[segmenter][unit]") {
  const std::string text = "Kontakta anna.svensson@ki.se för mer information";
  const Analysis result = full_analyzer().analyze(text, Language::sv);
  INFO(dump(text, result));
  REQUIRE(result.tokens.size() >= 6);
  const Token& unit = result.tokens[1];
  CHECK(unit.kind == TokenKind::unit);
  CHECK(unit.term == "anna.svensson@ki.se");
  CHECK(written(text, unit) == "anna.svensson@ki.se");
  const std::vector<std::string> parts = {"anna", "svensson", "ki", "se"};
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const Token& part = result.tokens[2 + i];
    CAPTURE(i);
    CHECK(part.kind == TokenKind::unit_part);
    CHECK(part.form == parts[i]);
    CHECK(written(text, part) == parts[i]);
    CHECK(part.position == 1 + i);
  }
  REQUIRE(result.tokens.size() > 6);
  CHECK(result.tokens[6].form == "för");
  CHECK(result.tokens[6].position == 5);
}

TEST_CASE("An e-mail address at the end of a sentence leaves out the full stop",
          "[segmenter][unit]") {
  const std::string text = "Frågor? Mejla press@ki.se.";
  const Analysis result = full_analyzer().analyze(text, Language::sv);
  INFO(dump(text, result));
  const Token* unit = find_form(result, "press@ki.se");
  REQUIRE(unit != nullptr);
  CHECK(unit->kind == TokenKind::unit);
  CHECK(written(text, *unit) == "press@ki.se");
}

TEST_CASE("A URL is a unit with one part per word and without trailing punctuation",
          "[segmenter][unit]") {
  const std::string text = "Läs mer på https://www.ki.se/om-ki/. Välkommen!";
  const Analysis result = full_analyzer().analyze(text, Language::sv);
  INFO(dump(text, result));
  const Token* unit = find_form(result, "https://www.ki.se/om-ki/");
  REQUIRE(unit != nullptr);
  CHECK(unit->kind == TokenKind::unit);
  CHECK(written(text, *unit) == "https://www.ki.se/om-ki/");
  const std::size_t u = static_cast<std::size_t>(unit - result.tokens.data());
  const std::vector<std::string> parts = {"https", "www", "ki", "se", "om", "ki"};
  REQUIRE(result.tokens.size() > u + parts.size() + 1);
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const Token& part = result.tokens[u + 1 + i];
    CAPTURE(i);
    CHECK(part.kind == TokenKind::unit_part);
    CHECK(part.form == parts[i]);
    CHECK(part.position == unit->position + i);
  }
  const Token& after = result.tokens[u + 1 + parts.size()];
  CHECK(after.form == "välkommen");
  CHECK(after.position == unit->position + parts.size());
}

TEST_CASE("A host name is a unit of its labels", "[segmenter][unit]") {
  auto [text, host, parts] = GENERATE(table<std::string, std::string, std::vector<std::string>>({
      {"Se karolinska.se för mer", "karolinska.se", {"karolinska", "se"}},
      {"Besök www.flemingsberg.se i dag", "www.flemingsberg.se", {"www", "flemingsberg", "se"}},
      {"Läs mer på kth.se.", "kth.se", {"kth", "se"}},
      {"Anmälan via www.nordiclifesciencedays.se",
       "www.nordiclifesciencedays.se",
       {"www", "nordiclifesciencedays", "se"}},
  }));
  CAPTURE(text);
  const Analysis result = full_analyzer().analyze(text, Language::sv);
  INFO(dump(text, result));
  const Token* unit = find_form(result, host);
  REQUIRE(unit != nullptr);
  CHECK(unit->kind == TokenKind::unit);
  CHECK(written(text, *unit) == host);
  const std::size_t u = static_cast<std::size_t>(unit - result.tokens.data());
  REQUIRE(result.tokens.size() >= u + 1 + parts.size());
  for (std::size_t i = 0; i < parts.size(); ++i) {
    CAPTURE(i);
    CHECK(result.tokens[u + 1 + i].kind == TokenKind::unit_part);
    CHECK(result.tokens[u + 1 + i].form == parts[i]);
    CHECK(result.tokens[u + 1 + i].position == unit->position + i);
  }
}

// Regression (was a bug): a host name whose labels are all one or two letters ("ki.se", "sh.se")
// passes all_short_letter_pieces() in segmenter.cc and is taken for a dotted
// abbreviation: it becomes the single word "kise" ("shse"), also inside a URL
// ("https://ki.se/…" has the part "kise"), so searching "ki" misses it.
TEST_CASE("A host name with two-letter labels is a unit, not an abbreviation",
          "[segmenter][unit]") {
  auto [text, host] = GENERATE(table<std::string, std::string>({
      {"Läs mer på ki.se i dag", "ki.se"},
      {"Södertörns högskola, sh.se, växer", "sh.se"},
      {"Se https://ki.se/forskning nu", "https://ki.se/forskning"},
  }));
  CAPTURE(text);
  const Analysis result = full_analyzer().analyze(text, Language::sv);
  INFO(dump(text, result));
  const Token* unit = find_form(result, host);
  REQUIRE(unit != nullptr);
  CHECK(unit->kind == TokenKind::unit);
  CHECK(find_form(result, "se") != nullptr);
  CHECK(find_form(result, "kise") == nullptr);
  CHECK(find_form(result, "shse") == nullptr);
}

// Regression (was a bug): ICU's Swedish rules join letters around a colon but not a digit and a
// letter, so the genitive of a hyphenated unit ending in digits ("COVID-19:s",
// common in Swedish news) leaves a stray word "s" after the unit, which breaks
// the phrase "covid-19 spridning".
TEST_CASE("The genitive of COVID-19 leaves no stray s", "[segmenter][genitive]") {
  const std::string text = "COVID-19:s spridning i Huddinge";
  const Analysis result = full_analyzer().analyze(text, Language::sv);
  INFO(dump(text, result));
  const Token* unit = find_form(result, "covid-19");
  REQUIRE(unit != nullptr);
  CHECK(find_form(result, "s") == nullptr);
  const Token* next = find_form(result, "spridning");
  REQUIRE(next != nullptr);
  CHECK(next->position == unit->position + 2);  // right after the parts covid, 19
}

// Regression (was a bug): the segmenter treats U+2010 and U+2011 as hyphens, but the unit term
// keeps them (NFKC folds U+2011 to U+2010), so "Covid‑19" typed with a
// non-breaking hyphen (word processors insert them) is the term "covid‐19",
// which the query "covid-19" never matches.
TEST_CASE("A unit written with a non-breaking hyphen has the same term as with a hyphen-minus",
          "[segmenter][unit]") {
  const std::string hyphen = GENERATE(as<std::string>{}, "‐", "‑");
  const std::string text = "Covid" + hyphen + "19 i Huddinge";
  CAPTURE(text);
  const Analysis result = full_analyzer().analyze(text, Language::sv);
  INFO(dump(text, result));
  REQUIRE_FALSE(result.tokens.empty());
  CHECK(result.tokens[0].kind == TokenKind::unit);
  CHECK(result.tokens[0].term == "covid-19");
}

// Regression (was a bug): ICU gives words that end in a digit ("CO2", "covid19") the number rule
// status, so they become TokenKind::number although token.h defines a number
// as digits only and "H2O" is a word: they are then neither stemmed nor
// stop-checked like other words.
TEST_CASE("A word with letters and digits is a word, not a number", "[segmenter]") {
  const std::string word = GENERATE(as<std::string>{}, "H2O", "CO2", "covid19", "B12");
  CAPTURE(word);
  const Analysis result = full_analyzer().analyze(word + " mäts", Language::sv);
  REQUIRE_FALSE(result.tokens.empty());
  CHECK(result.tokens[0].kind == TokenKind::word);
}

TEST_CASE("Byte ranges point at the words as written, also after multibyte letters and emoji",
          "[segmenter][offsets]") {
  auto [text, words] = GENERATE(table<std::string, std::vector<std::string>>({
      {"Åsa Öberg på Södertörns högskola", {"Åsa", "Öberg", "på", "Södertörns", "högskola"}},
      {"🧬Cellterapi i Flemingsberg", {"Cellterapi", "i", "Flemingsberg"}},
      {"Läkemedelsföretag 😀 växer", {"Läkemedelsföretag", "växer"}},
      {"cell🧬terapi", {"cell", "terapi"}},
      {"Ærø og Søren", {"Ærø", "og", "Søren"}},
      {"Ｆｌｅｍｉｎｇｓｂｅｒｇ Novum", {"Ｆｌｅｍｉｎｇｓｂｅｒｇ", "Novum"}},
      {"naïve café in Malmö", {"naïve", "café", "in", "Malmö"}},
      {"«Världens bästa» sa KI:s rektor", {"Världens", "bästa", "sa", "KI:s", "rektor"}},
  }));
  CAPTURE(text);
  const Analysis result = folding_analyzer().analyze(text, Language::sv);
  INFO(dump(text, result));
  std::vector<std::string> highlighted;
  for (const Token& t : result.tokens) {
    CHECK(t.begin < t.end);
    CHECK(t.end <= text.size());
    highlighted.emplace_back(written(text, t));
  }
  CHECK(highlighted == words);
}

TEST_CASE("An emoji before a word does not shift the word's byte range", "[segmenter][offsets]") {
  const std::string text = "🧬Cellterapi";
  const Analysis result = full_analyzer().analyze(text, Language::sv);
  INFO(dump(text, result));
  REQUIRE_FALSE(result.tokens.empty());
  CHECK(result.tokens[0].begin == 4);  // U+1F9EC is four bytes
  CHECK(result.tokens[0].end == text.size());
  CHECK(result.tokens[0].form == "cellterapi");
}

TEST_CASE("English text is segmented with the same rules for units and numbers", "[segmenter]") {
  const std::string text = "On 2024-03-14 KTH and KI opened a 1,200 m² lab; see www.kth.se.";
  const Analysis result = folding_analyzer().analyze(text, Language::en);
  INFO(dump(text, result));
  CHECK(forms_of_kind(result, TokenKind::unit) ==
        std::vector<std::string>{"2024-03-14", "www.kth.se"});
  CHECK(forms_of_kind(result, TokenKind::number) == std::vector<std::string>{"1,200"});
  const Token* kth = find_form(result, "kth");
  REQUIRE(kth != nullptr);
  CHECK(written(text, *kth) == "KTH");
}

}  // namespace sok::test
