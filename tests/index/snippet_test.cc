// Highlighting and snippets: what a visitor sees under each hit.
#include <catch2/catch.hpp>

#include <string>

#include "sok/index/snippet.h"
#include "support.h"

namespace sok::test {
namespace {

Analyzer& analyzer() {
  static Analyzer instance;
  return instance;
}

TermSet terms_of(const std::string& query, Language language) {
  TermSet terms;
  for (const Token& token : analyzer().analyze(query, language).tokens) {
    if (!token.stop) terms.insert(token.term);
  }
  return terms;
}

}  // namespace

TEST_CASE("Highlighting marks inflections, compound parts and case variants", "[snippet]") {
  auto [query, text, html] = GENERATE(table<std::string, std::string, std::string>({
      {"forskning", "Forskningen i Flemingsberg", "<mark>Forskningen</mark> i Flemingsberg"},
      {"forskning", "den nya forskningsinfrastrukturen",
       "den nya <mark>forsknings</mark>infrastrukturen"},
      {"infrastruktur", "den nya forskningsinfrastrukturen",
       "den nya forsknings<mark>infrastrukturen</mark>"},
      {"cellterapi", "Cellterapi och cellterapier",
       "<mark>Cellterapi</mark> och <mark>cellterapier</mark>"},
      {"KI", "KI:s forskare", "<mark>KI:s</mark> forskare"},
      {"covid", "COVID-19-pandemin", "<mark>COVID</mark>-19-pandemin"},
  }));
  CAPTURE(query, text);
  CHECK(highlight(analyzer(), text, Language::sv, terms_of(query, Language::sv)) == html);
}

TEST_CASE("Everything outside the marks is escaped", "[snippet]") {
  const std::string html = highlight(analyzer(), "<b>Labb</b> & \"kontor\" för 'alla'",
                                     Language::sv, terms_of("labb", Language::sv));
  CHECK(html == "&lt;b&gt;<mark>Labb</mark>&lt;/b&gt; &amp; &quot;kontor&quot; för &#39;alla&#39;");
}

TEST_CASE("A snippet is cut at whole words around the marked words", "[snippet]") {
  std::string text;
  for (int i = 0; i < 40; ++i) text += "Inledande text om ingenting särskilt. ";
  text += "Här berättar vi om det nya cellterapilabbet i Flemingsberg och dess cellterapi. ";
  for (int i = 0; i < 40; ++i) text += "Avslutande ord utan betydelse. ";
  const std::string result =
      snippet(analyzer(), text, Language::sv, terms_of("cellterapi", Language::sv), 120);
  INFO(result);
  CHECK(contains(result, "<mark>cellterapi</mark>"));
  CHECK(result.rfind("…", 0) == 0);  // cut at the start
  CHECK(result.size() >= 3);
  CHECK(result.substr(result.size() - 3) == "…");    // and at the end
  CHECK(result.size() < 120 + 2 * 13 + 2 * 3 + 20);  // the passage, marks and ellipses
}

TEST_CASE("A snippet shows the passage with the most of the query's words", "[snippet]") {
  const std::string filler = "Mellan dem står en lång rad ord som inte hör till frågan alls. ";
  std::string text = "Flemingsberg växer. Flemingsberg bygger. Flemingsberg forskar. ";
  for (int i = 0; i < 4; ++i) text += filler;
  text += "Projektet pågår i fyra år i Flemingsberg. ";
  for (int i = 0; i < 4; ++i) text += filler;
  // A text over three snippets long is first narrowed to a likely passage.
  for (const std::size_t max_bytes : {80, 250}) {
    const std::string result = snippet(analyzer(), text, Language::sv,
                                       terms_of("pågår flemingsberg", Language::sv), max_bytes);
    INFO(max_bytes << ": " << result);
    CHECK(contains(result, "<mark>pågår</mark>"));
    CHECK(contains(result, "<mark>Flemingsberg</mark>"));
  }
}

TEST_CASE("A snippet keeps the last marked word of its passage", "[snippet]") {
  const std::string filler = "Mellan dem står en lång rad ord som inte hör till frågan alls. ";
  const std::string passage =
      "forskningens resultat, och här finns en hel del annat att säga om campus och dess "
      "historia, gemensam forskningsinfrastruktur";
  const std::string text = filler + filler + passage + ". " + filler + filler;
  const std::string result =
      snippet(analyzer(), text, Language::sv, terms_of("forskningsinfrastruktur", Language::sv),
              passage.size() + 10);
  INFO(result);
  CHECK(contains(result, "<mark>forskningens</mark>"));
  CHECK(contains(result, "<mark>forskningsinfrastruktur</mark>"));
}

TEST_CASE("Without a marked word a snippet is the start of the text", "[snippet]") {
  const std::string result = snippet(analyzer(), "Kort text om labbet.", Language::sv,
                                     terms_of("spårväg", Language::sv), 200);
  CHECK(result == "Kort text om labbet.");
}

TEST_CASE("A snippet never cuts a letter in half", "[snippet]") {
  const std::string text(600, 'x');
  const std::string swedish = "åäö" + std::string(500, 'a');
  for (const std::string& t : {text, swedish}) {
    const std::string result = snippet(analyzer(), t, Language::sv, {}, 41);
    CHECK_FALSE(result.empty());
  }
}

TEST_CASE("A long text's snippet finds inflections, compound parts and capitals far into it",
          "[snippet]") {
  auto [query, word, language] = GENERATE(table<std::string, std::string, Language>({
      {"cellterapi", "cellterapierna", Language::sv},
      {"forskning", "stamcellsforskningen", Language::sv},
      {"forskning", "FORSKNINGEN", Language::sv},
      {"Östersjön", "ÖSTERSJÖNS", Language::sv},
      {"universities", "University", Language::en},
      {"studies", "Studying", Language::en},
  }));
  std::string text;
  for (int i = 0; i < 60; ++i) text += "Inledande text om ingenting särskilt. ";
  const std::size_t word_at = text.size();
  text += word + " ";
  for (int i = 0; i < 60; ++i) text += "Avslutande ord utan betydelse. ";
  CAPTURE(query, word);
  const std::string result = snippet(analyzer(), text, language, terms_of(query, language), 200);
  INFO(result);
  const std::string marked = highlight(analyzer(), word, language, terms_of(query, language));
  CHECK(contains(marked, "<mark>"));
  CHECK(contains(result, marked));
  CHECK(text.size() > word_at);
}

TEST_CASE("The parts of a query's compound are marked only near each other", "[snippet]") {
  // "cellterapi" as a keyword query: its parts match only together.
  const TermSet terms = {"cellterapi"};
  const PartGroups together = {{"cell", "terapi"}};
  auto [text, html] = GENERATE(table<std::string, std::string>({
      {"NK-celler och cellterapi", "NK-celler och <mark>cellterapi</mark>"},
      {"Celler odlas. Sedan följer en lång rad andra steg innan det blir någon terapi av det",
       "Celler odlas. Sedan följer en lång rad andra steg innan det blir någon terapi av det"},
      {"celler för terapi", "<mark>celler</mark> för <mark>terapi</mark>"},
  }));
  CAPTURE(text);
  CHECK(highlight(analyzer(), text, Language::sv, terms, together) == html);
  CHECK(contains(snippet(analyzer(), text, Language::sv, terms, 200, together), html));
}

}  // namespace sok::test
