// The staff's query statistics: what is counted, over which hours, what is
// never kept, and the file that carries them over a restart.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <filesystem>

#include "sok/searchd/query_stats.h"
#include "support.h"

namespace sok::searchd {
namespace {

using Clock = QueryStats::Clock;
using std::chrono::hours;

const Clock::time_point kNoon = Clock::time_point(hours(482000)) + std::chrono::minutes(30);

std::vector<std::string> queries_of(const std::vector<QueryStats::Entry>& entries) {
  std::vector<std::string> out;
  for (const auto& e : entries) out.push_back(e.query + " " + std::to_string(e.count));
  return out;
}

TEST_CASE("Queries are counted trimmed, with collapsed spaces, in lower case", "[searchd][stats]") {
  const std::pair<std::string, std::string> cases[] = {
      {"  Forskning ", "forskning"},
      {"Cell\tTERAPI", "cell terapi"},
      {"ÅÄÖ Malmö", "åäö malmö"},
      {"Müller ÉCOLE", "müller école"},
      {"×", "×"},  // U+00D7 has no lower case
      {"", ""},
      {std::string(150, 'a'), std::string(100, 'a')},
      {std::string(99, 'a') + "ö", std::string(99, 'a')},  // never cut inside a character
  };
  for (const auto& [typed, counted] : cases) {
    INFO(typed);
    CHECK(normalized_query(typed) == counted);
  }
}

TEST_CASE("Queries that may hold contact details are counted but not kept", "[searchd][stats]") {
  CHECK(looks_personal("anna.berg@ki.se"));
  CHECK(looks_personal("070-123 45 67"));
  CHECK(looks_personal("19800101-1234"));
  CHECK_FALSE(looks_personal("forskning 2024"));
  CHECK(looks_personal("0701234567"));
  CHECK_FALSE(looks_personal("covid-19 2020 2021"));
  CHECK_FALSE(looks_personal("2020 2021"));
  CHECK(looks_personal("ring 0701234567"));

  QueryStats stats("");
  stats.record("anna.berg@ki.se", 0, kNoon);
  stats.record("forskning", 3, kNoon);
  const auto day = stats.period(24, 10, kNoon);
  CHECK(day.searches == 2);
  CHECK(day.withheld == 1);
  CHECK(day.zero_hit_searches == 1);
  CHECK(queries_of(day.popular) == std::vector<std::string>{"forskning 1"});
  CHECK(day.zero_hits.empty());
}

TEST_CASE("The day and the week are the last 24 and 168 hours", "[searchd][stats]") {
  QueryStats stats("");
  stats.record("idag", 2, kNoon);
  stats.record("igår", 2, kNoon - hours(23));
  stats.record("förrgår", 0, kNoon - hours(24));
  stats.record("för en vecka sen", 0, kNoon - hours(167));
  stats.record("för länge sen", 0, kNoon - hours(168));
  CHECK(queries_of(stats.period(24, 10, kNoon).popular) ==
        std::vector<std::string>{"idag 1", "igår 1"});
  const auto week = stats.period(168, 10, kNoon);
  CHECK(week.searches == 4);
  CHECK(queries_of(week.zero_hits) == std::vector<std::string>{"för en vecka sen 1", "förrgår 1"});
}

TEST_CASE("Lists are by count, then by query, cut to the top asked for", "[searchd][stats]") {
  QueryStats stats("");
  for (int i = 0; i < 3; ++i) stats.record("cellterapi", 1, kNoon);
  for (int i = 0; i < 2; ++i) stats.record("bioteknik", 0, kNoon);
  stats.record("alfa", 0, kNoon);
  stats.record("beta", 1, kNoon);
  CHECK(queries_of(stats.period(24, 3, kNoon).popular) ==
        std::vector<std::string>{"cellterapi 3", "bioteknik 2", "alfa 1"});
  CHECK(queries_of(stats.period(24, 10, kNoon).zero_hits) ==
        std::vector<std::string>{"bioteknik 2", "alfa 1"});
}

TEST_CASE("An hour keeps a bounded number of distinct queries; the rest count in the totals",
          "[searchd][stats]") {
  QueryStats stats("");
  for (std::size_t i = 0; i < QueryStats::kQueriesPerHour + 5; ++i)
    stats.record("q" + std::to_string(i), 1, kNoon);
  const auto day = stats.period(24, QueryStats::kQueriesPerHour + 10, kNoon);
  CHECK(day.searches == QueryStats::kQueriesPerHour + 5);
  CHECK(day.popular.size() == QueryStats::kQueriesPerHour);
}

TEST_CASE("Stats saved to their file are there after a restart; the week before is dropped",
          "[searchd][stats]") {
  const test::TempDir folder;
  const std::string file = folder / "query-stats.json";
  {
    QueryStats stats(file);
    CHECK(stats.load_problem().empty());
    stats.record("gammal", 1, kNoon - hours(200));
    stats.record("cellterapi", 4, kNoon);
    stats.record("qqxyzzy", 0, kNoon);
    CHECK(stats.save().empty());
  }
  CHECK_FALSE(test::contains(test::read_file(file), "127.0.0.1"));
  QueryStats reloaded(file);
  CHECK(reloaded.load_problem().empty());
  const auto week = reloaded.period(168, 10, kNoon);
  CHECK(queries_of(week.popular) == std::vector<std::string>{"cellterapi 1", "qqxyzzy 1"});
  CHECK(queries_of(week.zero_hits) == std::vector<std::string>{"qqxyzzy 1"});
  CHECK_FALSE(std::filesystem::exists(file + ".new"));
}

TEST_CASE("A stats file that cannot be read is moved aside, never overwritten",
          "[searchd][stats]") {
  const test::TempDir folder;
  const std::string file = folder / "query-stats.json";
  test::write_file(file, "{\"format\": \"sok-query-stats-1\", \"hours\": [{\"hour\": \"x\"}]}");
  QueryStats stats(file);
  CHECK_THAT(stats.load_problem(), Catch::Contains(file + ".bad"));
  CHECK(test::read_file(file + ".bad").size() > 10);
  stats.record("forskning", 1, kNoon);
  CHECK(stats.save().empty());
  CHECK(QueryStats(file).period(24, 10, kNoon).searches == 1);
}

TEST_CASE("Saving into a folder that cannot be written says so", "[searchd][stats]") {
  QueryStats stats("/proc/no-such-folder/query-stats.json");
  stats.record("forskning", 1, kNoon);
  CHECK_THAT(stats.save(), Catch::StartsWith("cannot write the query stats: "));
}

}  // namespace
}  // namespace sok::searchd
