#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "sok/searchd/search_params.h"
#include "support.h"

namespace sok::searchd {
namespace {

const ParamLimits kLimits;

SearchRequest parsed(const RawParams& params) {
  const auto result = parse_search_params(params, kLimits);
  INFO((result.ok() ? "" : result.error().message));
  REQUIRE(result.ok());
  return result.value();
}

TEST_CASE("Search parameters become the Searcher's request", "[searchd][params]") {
  SECTION("without parameters: the newest articles, every facet, the defaults") {
    const SearchRequest r = parsed({});
    CHECK(r.query.empty());
    CHECK(r.sort == SortOrder::relevance);
    CHECK(r.page == 1);
    CHECK(r.size == 10);
    CHECK(r.snippet_bytes == 240);
    CHECK(r.facets == std::vector<std::string>{"type", "lang", "year", "tag", "partner"});
  }
  SECTION("q is decoded, + is a space, tabs and line breaks are spaces") {
    CHECK(parsed({{"q", "life+science"}}).query == "life science");
    CHECK(parsed({{"q", "Malm%C3%B6"}}).query == "Malmö");
    CHECK(parsed({{"q", "a%09b%0Ac"}}).query == "a b c");
  }
  SECTION("filters take comma-separated values, and repeated parameters add to them") {
    const SearchRequest r = parsed({{"type", "news,event"},
                                    {"type", "partner"},
                                    {"tag", "cellterapi,Life+Science"},
                                    {"partner", "Karolinska%20Institutet,A%2C+B"},
                                    {"year", "2024,2025"},
                                    {"lang", "sv"}});
    CHECK(r.types ==
          std::vector<ArticleType>{ArticleType::news, ArticleType::event, ArticleType::partner});
    CHECK(r.tags == std::vector<std::string>{"cellterapi", "Life Science"});
    CHECK(r.partners == std::vector<std::string>{"Karolinska Institutet", "A, B"});
    CHECK(r.years == std::vector<int>{2024, 2025});
    CHECK(r.languages == std::vector<Language>{Language::sv});
  }
  SECTION("an empty filter is no filter; both languages are no language filter") {
    const SearchRequest r = parsed({{"type", ""}, {"tag", ","}, {"lang", "sv,en"}});
    CHECK(r.types.empty());
    CHECK(r.tags.empty());
    CHECK(r.languages.empty());
    CHECK(parsed({{"lang", "both"}}).languages.empty());
  }
  SECTION("facets: a list, empty for none, duplicates once") {
    CHECK(parsed({{"facets", "type,tag,type"}}).facets == std::vector<std::string>{"type", "tag"});
    CHECK(parsed({{"facets", ""}}).facets.empty());
  }
  SECTION("sort, paging, snippet length and dates") {
    CHECK(parsed({{"sort", "date"}}).sort == SortOrder::oldest);
    CHECK(parsed({{"sort", "-date"}}).sort == SortOrder::newest);
    CHECK(parsed({{"sort", "relevance"}}).sort == SortOrder::relevance);
    const SearchRequest r = parsed({{"page", "3"},
                                    {"size", "100"},
                                    {"snippet", "40"},
                                    {"from", "2024-01-01"},
                                    {"to", "2024-01-01"}});
    CHECK(r.page == 3);
    CHECK(r.size == 100);
    CHECK(r.snippet_bytes == 40);
    CHECK(r.from == Date{2024, 1, 1});
    CHECK(r.to == Date{2024, 1, 1});
  }
  SECTION("a stray & (an empty name without a value) is no parameter") {
    CHECK(parsed({{"", ""}, {"q", "x"}}).query == "x");
  }
  SECTION("q of exactly the limit is allowed") {
    CHECK(parsed({{"q", std::string(kLimits.max_query_bytes, 'a')}}).query.size() ==
          kLimits.max_query_bytes);
  }
}

struct BadCase {
  RawParams params;
  std::string parameter;  // named in the error
  std::string message;    // part of the message
};

TEST_CASE("Every bad search parameter is a 400 that names it and says what is allowed",
          "[searchd][params]") {
  const BadCase cases[] = {
      {{{"q", std::string(10000, 'a')}}, "q", "at most 4096 bytes"},
      {{{"q", "%FF%FE"}}, "q", "not valid UTF-8"},
      {{{"q", "%E0%A4%A"}}, "q", "invalid percent-encoding"},
      {{{"q", "100%"}}, "q", "invalid percent-encoding"},
      {{{"q", "%00nul"}}, "q", "control characters"},
      {{{"q", "a"}, {"q", "b"}}, "q", "more than once"},
      {{{"page", "-1"}}, "page", "from 1 to 10000"},
      {{{"page", "0"}}, "page", "from 1 to 10000"},
      {{{"page", "10001"}}, "page", "from 1 to 10000"},
      {{{"page", "1.5"}}, "page", "whole number"},
      {{{"page", "99999999999999999999"}}, "page", "from 1 to 10000"},
      {{{"size", "100000"}}, "size", "from 1 to 100"},
      {{{"size", "0"}}, "size", "from 1 to 100"},
      {{{"size", ""}}, "size", "whole number"},
      {{{"snippet", "5"}}, "snippet", "from 40 to 1000"},
      {{{"foo", "1"}}, "foo", "unknown parameter \"foo\" (allowed: q, lang,"},
      {{{"Q", "x"}}, "Q", "unknown parameter"},
      {{{"", "x"}}, "", "unknown parameter \"\""},
      {{{"fo%ZZ", "x"}}, "fo%ZZ", "parameter name"},
      {{{"facets", "nosuchfacet"}}, "facets", "unknown facet \"nosuchfacet\" (allowed: type,"},
      {{{"from", "2026-01-01"}, {"to", "2020-01-01"}}, "from", "is after to"},
      {{{"from", "2026-13-01"}}, "from", "YYYY-MM-DD"},
      {{{"to", "yesterday"}}, "to", "YYYY-MM-DD"},
      {{{"from", "2024-03-14T09:00:00"}}, "from", "YYYY-MM-DD"},
      {{{"sort", "sideways"}}, "sort", "relevance, date (oldest first) or -date (newest first)"},
      {{{"lang", "de"}}, "lang", "sv, en or both"},
      {{{"type", "blog"}}, "type", "news, event, partner or page"},
      {{{"year", "24"}}, "year", "from 1900 to 2100"},
      {{{"year", "3000"}}, "year", "from 1900 to 2100"},
      {{{"tag", std::string(201, 'x')}}, "tag", "at most 200 bytes"},
      {{{"type",
         "news,news,news,news,news,news,news,news,news,news,news,news,news,news,news,"
         "news,news,news,news,news,news"}},
       "type",
       "at most 20 values"},
      {{{"partner", "%C3"}}, "partner", "not valid UTF-8"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.params);
    const auto result = parse_search_params(c.params, kLimits);
    REQUIRE_FALSE(result.ok());
    CHECK(result.error().status == 400);
    CHECK(result.error().parameter == c.parameter);
    CHECK_THAT(result.error().message, Catch::Contains(c.message));
  }
}

TEST_CASE("Suggest takes q (required), lang and size", "[searchd][params]") {
  const auto good = parse_suggest_params({{"q", "forskn"}, {"lang", "sv"}, {"size", "5"}}, kLimits);
  REQUIRE(good.ok());
  CHECK(good.value().typed == "forskn");
  CHECK(good.value().language == Language::sv);
  CHECK(good.value().size == 5);
  CHECK(parse_suggest_params({{"q", ""}}, kLimits).ok());

  const BadCase cases[] = {
      {{}, "q", "q is required"},
      {{{"q", "x"}, {"size", "21"}}, "size", "from 1 to 20"},
      {{{"q", "x"}, {"type", "news"}}, "type", "unknown parameter"},
      {{{"q", "%FF"}}, "q", "not valid UTF-8"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.params);
    const auto result = parse_suggest_params(c.params, kLimits);
    REQUIRE_FALSE(result.ok());
    CHECK(result.error().parameter == c.parameter);
    CHECK_THAT(result.error().message, Catch::Contains(c.message));
  }
}

TEST_CASE("Path segments are decoded strictly, + staying +", "[searchd][params]") {
  CHECK(decode_path_segment("sv-2024-nyhet", "id").value() == "sv-2024-nyhet");
  CHECK(decode_path_segment("a+b%2Fc", "id").value() == "a+b/c");
  CHECK(decode_path_segment("%2e%2e%2f%2e%2e", "id").value() == "../..");
  CHECK(decode_path_segment("%zz", "id").error().parameter == "id");
  CHECK(decode_path_segment("%FF", "id").error().status == 400);
}

}  // namespace
}  // namespace sok::searchd
