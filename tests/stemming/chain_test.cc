// End-to-end cases of the whole chain, as the indexer and the query side use it.
#include <catch2/catch.hpp>

#include <string>

#include "compound_eval.h"
#include "sok/stemming/analyzer.h"
#include "sok/stemming/swedish_lexicon.h"
#include "support.h"

namespace sok::test {

TEST_CASE("A text and a query with the same words share their terms", "[chain]") {
  auto [text, query, language, shared] =
      GENERATE(table<std::string, std::string, Language, std::string>({
          {"KI:s forskare presenterade resultaten", "KI", Language::sv, "ki"},
          {"Forskningen vid Karolinska", "forskningens", Language::sv, "forskning"},
          {"Nya forskningsinfrastrukturen invigs", "infrastruktur", Language::sv, "infrastruktur"},
          {"Läkemedelsföretag flyttar in", "företag", Language::sv, "företag"},
          {"Ett nytt samarbetsavtal", "samarbete", Language::sv, "samarbet"},
          {"Satsning på cellterapi", "terapi", Language::sv, "terapi"},
          {"Vaccinet mot COVID-19 testas", "covid", Language::sv, "covid"},
          {"Vaccinet mot COVID-19 testas", "covid-19", Language::sv, "covid-19"},
          {"Träffas på Café Lab", "cafe", Language::sv, "caf"},
          {"Kontoret i Malmö", "MALMÖ", Language::sv, "malmö"},
          {"New collaborations in Flemingsberg", "collaboration", Language::en, "collabor"},
          {"Researchers at KI's new lab", "KI", Language::en, "ki"},
          {"Kontakta info@flemingsberg-science.se", "flemingsberg", Language::sv, "flemingsberg"},
      }));
  CAPTURE(text, query);
  REQUIRE(has_term(full_analyzer().analyze(text, language), shared));
  REQUIRE(has_term(full_analyzer().analyze(query, language), shared));
}

TEST_CASE("Stop words keep their positions but are flagged", "[chain]") {
  const auto analysis = full_analyzer().analyze("Labbet i Flemingsberg", sok::Language::sv);
  REQUIRE(analysis.tokens.size() == 3);
  CHECK(analysis.tokens[1].form == "i");
  CHECK(analysis.tokens[1].stop);
  CHECK(analysis.tokens[1].position == 1);
  CHECK(analysis.tokens[2].position == 2);
  CHECK_FALSE(analysis.tokens[2].stop);
}

TEST_CASE("Every token's byte range lies inside the text and covers what it names", "[chain]") {
  const std::string text =
      "KI:s nya forskningsinfrastruktur på Hälsovägen öppnar 2024-03-14 🙂 för cellterapi.";
  const auto analysis = full_analyzer().analyze(text, sok::Language::sv);
  REQUIRE_FALSE(analysis.tokens.empty());
  for (const auto& token : analysis.tokens) {
    CAPTURE(token.term);
    REQUIRE(token.begin < token.end);
    REQUIRE(token.end <= text.size());
  }
  CHECK(written(text, analysis.tokens[0]) == "KI:s");
}

TEST_CASE("The compound gold list is split with high precision", "[chain][compounds]") {
  sok::Decompounder decompounder(sok::SwedishLexicon::load("/usr/share/hunspell"));
  const auto cases = sok::eval::read_compound_cases(SOK_SOURCE_DIR "/tests/data/sv_compounds.tsv");
  const auto score = sok::eval::score_compounds(decompounder, cases);
  WARN("compound splitting: stem precision "
       << score.stem_precision() << ", stem recall " << score.stem_recall() << ", false splits "
       << score.false_splits << " of " << score.non_compounds);
  REQUIRE(score.compounds >= 150);
  REQUIRE(score.non_compounds >= 150);
  CHECK(score.stem_precision() >= 0.90);
  CHECK(score.stem_recall() >= 0.80);
  CHECK(score.false_splits * 50 <= score.non_compounds);  // at most 2 %
}

}  // namespace sok::test
