// The query language as visitors and developers type it: words, phrases,
// exclusions, OR, fields and prefixes, and how bad syntax is read anyway.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "sok/index/query_syntax.h"

namespace sok::test {
namespace {

// A compact picture of the clauses: word, "phrase", -excluded, field:,
// prefix*, and "|" after a clause that is OR'ed with the next.
std::string describe(const ParsedQuery& parsed) {
  std::string out;
  for (const auto& c : parsed.clauses) {
    if (!out.empty()) out += ' ';
    if (c.excluded) out += '-';
    if (!c.field.empty()) out += c.field + ':';
    out += c.kind == QueryClause::Kind::phrase ? "\"" + c.text + "\"" : c.text;
    if (c.prefix) out += '*';
    if (c.or_next) out += " |";
  }
  return out;
}

}  // namespace

TEST_CASE("The query language is read into clauses", "[query_syntax]") {
  auto [query, clauses] = GENERATE(table<std::string, std::string>({
      {"cellterapi", "cellterapi"},
      {"  cellterapi   Flemingsberg ", "cellterapi Flemingsberg"},
      {"\"Karolinska Institutet\" cellterapi", "\"Karolinska Institutet\" cellterapi"},
      {"cellterapi -covid", "cellterapi -covid"},
      {"-\"life science\" labb", "-\"life science\" labb"},
      {"vaccin OR vaccination", "vaccin | vaccination"},
      {"a OR b OR c", "a | b | c"},
      {"title:cellterapi", "title:cellterapi"},
      {"TITLE:cellterapi", "title:cellterapi"},
      {"title:\"nytt labb\" Huddinge", "title:\"nytt labb\" Huddinge"},
      {"tag:inkubator partner:Vecura type:event", "tag:inkubator partner:Vecura type:event"},
      {"lang:sv year:2024", "lang:sv year:2024"},
      {"forskn*", "forskn*"},
      {"-title:covid", "-title:covid"},
      {"+cellterapi", "cellterapi"},
      {"KI:s forskare", "KI:s forskare"},
      {"https://ki.se/nyheter", "https://ki.se/nyheter"},
      {"10:30 seminarium", "10:30 seminarium"},
      {"or and not", "or and not"},
  }));
  CAPTURE(query);
  CHECK(describe(parse_query_syntax(query)) == clauses);
}

TEST_CASE("Query syntax errors are read sensibly and noted", "[query_syntax]") {
  auto [query, clauses, note] = GENERATE(table<std::string, std::string, std::string>({
      {"\"unclosed phrase", "\"unclosed phrase\"", "unclosed quote"},
      {"title:", "", "title: without a value"},
      {"title: cellterapi", "cellterapi", "title: without a value"},
      {"((((", "", "parentheses"},
      {"(cell OR gen) terapi", "cell | gen terapi", "parentheses"},
      {"OR cellterapi", "cellterapi", "OR at the start"},
      {"cellterapi OR", "cellterapi", "OR at the end"},
      {"- cellterapi", "cellterapi", "a lone '-'"},
      {"\"\"", "", "empty term"},
      {"*", "", "empty term"},
  }));
  CAPTURE(query);
  const ParsedQuery parsed = parse_query_syntax(query);
  CHECK(describe(parsed) == clauses);
  REQUIRE_FALSE(parsed.notes.empty());
  CHECK_THAT(parsed.notes.front(), Catch::Contains(note));
}

TEST_CASE("An empty or blank query has no clauses and no notes", "[query_syntax]") {
  const std::string query = GENERATE(std::string(""), std::string("   "), std::string("\t\n"));
  const ParsedQuery parsed = parse_query_syntax(query);
  CHECK(parsed.clauses.empty());
  CHECK(parsed.notes.empty());
}

TEST_CASE("A query keeps at most kMaxClauses clauses", "[query_syntax]") {
  std::string query;
  for (int i = 0; i < 300; ++i) query += "ord" + std::to_string(i) + " ";
  const ParsedQuery parsed = parse_query_syntax(query);
  CHECK(parsed.clauses.size() == kMaxClauses);
  REQUIRE(parsed.notes.size() == 1);
  CHECK_THAT(parsed.notes[0], Catch::Contains("left out"));
}

TEST_CASE("Field names are the ones the index has", "[query_syntax]") {
  for (const char* field :
       {"title", "summary", "body", "tag", "partner", "author", "type", "lang", "year"}) {
    CAPTURE(field);
    CHECK(is_query_field(field));
  }
  for (const char* other : {"https", "ki", "", "Title", "url"}) {
    CAPTURE(other);
    CHECK_FALSE(is_query_field(other));
  }
}

}  // namespace sok::test

namespace sok::test {

TEST_CASE("Clauses are written back in the query language", "[query_syntax]") {
  const std::string query =
      GENERATE(std::string("cellterapi"), std::string("\"Karolinska Institutet\" -covid"),
               std::string("title:labb OR tag:inkubator forskn*"),
               std::string("-title:\"nytt labb\" year:2024"));
  CAPTURE(query);
  CHECK(query_text(parse_query_syntax(query)) == query);
}

}  // namespace sok::test
