// The Searcher on the sample corpus: what visitors type and what they get.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <tuple>
#include <vector>

#include "sok/index/index_error.h"
#include "sok/index/indexing.h"
#include "sok/index/searcher.h"
#include "support.h"

namespace sok::test {
namespace {

// One index of corpus/ for all tests of this file.
const std::string& corpus_index() {
  static TempDir dir;
  static const std::string index = [] {
    const std::string path = dir / "index";
    build_index(path, {source_path("corpus")});
    return path;
  }();
  return index;
}

Searcher& searcher() {
  static Searcher instance(corpus_index());
  return instance;
}

SearchResponse search(const std::string& query) {
  SearchRequest request;
  request.query = query;
  return searcher().search(request);
}

// Every hit of `query` (up to the largest page).
SearchResponse search_all(const std::string& query) {
  SearchRequest request;
  request.query = query;
  request.size = kMaxPageSize;
  return searcher().search(request);
}

bool has_title(const SearchResponse& response, std::string_view part) {
  return std::any_of(response.hits.begin(), response.hits.end(),
                     [&](const Hit& hit) { return contains(hit.title, part); });
}

std::string titles(const SearchResponse& response) {
  std::string out = "understood: " + response.understood + "\n";
  for (const auto& hit : response.hits)
    out += hit.published + " " + hit.language + " " + hit.title + "\n";
  return out;
}

std::vector<std::string> ids_of(const SearchResponse& response) {
  std::vector<std::string> ids;
  for (const auto& hit : response.hits) ids.push_back(hit.id);
  return ids;
}

// A JSON Lines record whose words are all in its title and body: no
// summary, tags or partners.
std::string body_only_article(const std::string& id, const std::string& lang,
                              const std::string& title, const std::string& body) {
  nlohmann::json record = sample_record(id);
  record["lang"] = lang;
  record["title"] = title;
  record["summary"] = "";
  record["tags"] = nlohmann::json::array();
  record["partners"] = nlohmann::json::array();
  record["body"] = body;
  return jsonl_line(record);
}

// An index in `dir` of English "Lab notes" articles with these bodies (id,
// body), and three more of `filler`, which has none of the words searched
// for, so that those words are rare enough to count. Returns its path.
std::string lab_index(const TempDir& dir,
                      const std::vector<std::pair<std::string, std::string>>& bodies,
                      const std::string& filler) {
  std::string records;
  for (const auto& [id, body] : bodies) records += body_only_article(id, "en", "Lab notes", body);
  for (const std::string id : {"filler-1", "filler-2", "filler-3"})
    records += body_only_article(id, "en", "Lab notes", filler);
  write_file(dir / "lab.jsonl", records);
  build_index(dir / "index", {dir / "lab.jsonl"});
  return dir / "index";
}

// Two articles that `request` matches alike with a boost `off` (the same
// weight); with the default ranking, the boost puts `first` first.
void check_boost_puts_first(const std::string& index, const SearchRequest& request,
                            const RankingOptions& off, const std::string& first) {
  const SearchResponse unboosted = Searcher(index, off).search(request);
  REQUIRE(unboosted.hits.size() == 2);
  CHECK(unboosted.hits[0].score == Approx(unboosted.hits[1].score));
  const SearchResponse boosted = Searcher(index).search(request);
  REQUIRE(boosted.hits.size() == 2);
  CHECK(boosted.total == 2);
  CHECK(boosted.hits[0].id == first);
  CHECK(boosted.hits[0].score > boosted.hits[1].score);
}

}  // namespace

TEST_CASE("Swedish words find their inflections, compounds and compound parts", "[searcher]") {
  auto [query, title_part] = GENERATE(table<std::string, std::string>({
      {"cellterapi", "cellterapi"},
      {"Cellterapi", "cellterapi"},
      {"CELLTERAPI", "cellterapi"},
      {"nyhetsbrev", "Nyhetsbrev"},
      {"spårväg", "Spårväg syd"},
      {"spårvägen", "Spårväg syd"},
  }));
  CAPTURE(query);
  const SearchResponse response = search(query);
  INFO(titles(response));
  CHECK(response.total > 0);
  CHECK(has_title(response, title_part));
  CHECK(response.query_language == Language::sv);
}

TEST_CASE("A Swedish word and its inflected forms find the same Swedish articles", "[searcher]") {
  auto [word, form] = GENERATE(table<std::string, std::string>({
      {"projekt", "projektet"},
      {"institut", "institutet"},
      {"beslut", "beslutet"},
      {"företag", "företaget"},
      {"ny", "nya"},
      {"ny", "nytt"},
      {"pågå", "pågår"},
      {"nå", "nådde"},
      {"öppen", "öppnar"},
  }));
  CAPTURE(word, form);
  auto swedish = [](const std::string& query) {
    SearchRequest request;
    request.query = query;
    request.languages = {Language::sv};
    return searcher().search(request);
  };
  const SearchResponse plain = swedish(word);
  const SearchResponse inflected = swedish(form);
  INFO(titles(plain) << titles(inflected));
  CHECK(plain.total > 0);
  CHECK(plain.total == inflected.total);
}

TEST_CASE("An English query finds English articles first", "[searcher]") {
  const SearchResponse response = search("gene therapy lab");
  INFO(titles(response));
  REQUIRE_FALSE(response.hits.empty());
  CHECK(response.hits.front().language == "en");
  CHECK(response.query_language == Language::en);
}

TEST_CASE("A query of one or two words is read in the language whose articles use them",
          "[searcher]") {
  // Too short for language identification: the words themselves tell.
  auto [query, language] = GENERATE(table<std::string, Language>({
      {"hospital", Language::en},
      {"open house", Language::en},
      {"tram", Language::en},
      {"newsletter", Language::en},
      {"forskning", Language::sv},
      {"konferens", Language::sv},
      {"nyhetsbrev", Language::sv},
      {"Hospital", Language::en},
  }));
  const SearchResponse response = search(query);
  INFO(titles(response));
  CHECK(response.query_language == language);
  REQUIRE_FALSE(response.hits.empty());
  CHECK(response.hits.front().language == language_code(language));
}

TEST_CASE("A query's language asked for is kept however its words are used", "[searcher]") {
  SearchRequest request;
  request.query = "hospital";
  request.languages = {Language::sv};
  CHECK(searcher().search(request).query_language == Language::sv);
}

TEST_CASE("Filters narrow the hits to their values", "[searcher]") {
  SearchRequest request;
  request.query = "Flemingsberg";
  request.types = {ArticleType::event};
  request.languages = {Language::sv};
  request.years = {2024, 2025};
  const SearchResponse response = searcher().search(request);
  INFO(titles(response));
  REQUIRE_FALSE(response.hits.empty());
  for (const auto& hit : response.hits) {
    CHECK(hit.type == "event");
    CHECK(hit.language == "sv");
    CHECK((hit.published.rfind("2024", 0) == 0 || hit.published.rfind("2025", 0) == 0));
  }
}

TEST_CASE("A date range keeps articles published inside it", "[searcher]") {
  SearchRequest request;
  request.from = parse_date("2021-01-01");
  request.to = parse_date("2021-06-30");
  request.size = 100;
  const SearchResponse response = searcher().search(request);
  REQUIRE_FALSE(response.hits.empty());
  for (const auto& hit : response.hits) {
    CAPTURE(hit.published);
    CHECK(hit.published >= "2021-01-01");
    CHECK(hit.published <= "2021-06-30");
  }
}

TEST_CASE("An empty query lists the newest articles first", "[searcher]") {
  const SearchResponse response = search("");
  REQUIRE(response.hits.size() == 10);
  CHECK(response.total == searcher().documents() - kCorpusPagesGivenTwice);
  for (std::size_t i = 1; i < response.hits.size(); ++i) {
    CHECK(response.hits[i - 1].published >= response.hits[i].published);
  }
}

TEST_CASE("Sorting by date orders the hits by publication", "[searcher]") {
  SearchRequest request;
  request.query = "Flemingsberg";
  request.size = 20;
  request.sort = SortOrder::oldest;
  const SearchResponse response = searcher().search(request);
  REQUIRE(response.hits.size() > 1);
  for (std::size_t i = 1; i < response.hits.size(); ++i) {
    CHECK(response.hits[i - 1].published <= response.hits[i].published);
  }
}

TEST_CASE("Pages do not overlap", "[searcher]") {
  SearchRequest request;
  request.query = "Flemingsberg";
  request.size = 5;
  const SearchResponse first = searcher().search(request);
  request.page = 2;
  const SearchResponse second = searcher().search(request);
  REQUIRE(first.hits.size() == 5);
  REQUIRE_FALSE(second.hits.empty());
  for (const auto& hit : second.hits) {
    CHECK(std::none_of(first.hits.begin(), first.hits.end(),
                       [&](const Hit& h) { return h.id == hit.id; }));
  }
}

TEST_CASE("A field clause finds the values that have its words in a row", "[searcher]") {
  using Partners = std::set<std::string>;
  // query → the partners of the hits: every hit has one of them
  const std::vector<std::pair<std::string, Partners>> cases = {
      {"partner:Novum", {"Novum Inkubator"}},
      {"partner:\"novum inkubator\"", {"Novum Inkubator"}},
      {"partner:karolinska",
       {"Karolinska Institutet", "Karolinska Universitetssjukhuset",
        "Karolinska University Hospital"}},
      {"partner:\"Karolinska Institutet\"", {"Karolinska Institutet"}},
  };
  for (const auto& [query, partners] : cases) {
    SearchRequest request;
    request.query = query;
    request.size = 100;
    const SearchResponse response = searcher().search(request);
    INFO(query << "\n" << titles(response));
    REQUIRE_FALSE(response.hits.empty());
    Partners seen;
    for (const auto& hit : response.hits) {
      const auto has = std::find_first_of(hit.partners.begin(), hit.partners.end(),
                                          partners.begin(), partners.end());
      CHECK(has != hit.partners.end());
      if (has != hit.partners.end()) seen.insert(*has);
    }
    CHECK(seen == partners);
  }
}

TEST_CASE("A field clause matches whole words of a value, not parts of them", "[searcher]") {
  for (const std::string query : {"partner:inkub", "partner:\"inkubator novum\"", "tag:scien"}) {
    INFO(query);
    CHECK(search(query).hits.empty());
  }
}

TEST_CASE("A compound's parts are marked alone in a question only, as they match", "[searcher]") {
  // A keyword query matches "cell" and "terapi" of "cellterapi" near each
  // other; a question matches each on its own.
  auto [query, parts_alone] = GENERATE(table<std::string, bool>({
      {"cellterapi", false},
      {"Vad är cellterapi?", true},
  }));
  const SearchResponse response = search_all(query);
  REQUIRE_FALSE(response.hits.empty());
  bool celler_marked = false;
  for (const auto& hit : response.hits)
    celler_marked = celler_marked || contains(hit.title_html + hit.snippet_html, "<mark>celler");
  CHECK(celler_marked == parts_alone);
}

TEST_CASE("An article whose text lacks the query's words has its summary as snippet",
          "[searcher]") {
  // The seminar's summary says "stamcellsforskning"; its text does not.
  const SearchResponse response = search_all("stamcellsforskning");
  const auto seminar = std::find_if(response.hits.begin(), response.hits.end(), [](const Hit& h) {
    return h.id == "sv-2022-cellterapiseminarium-2022";
  });
  REQUIRE(seminar != response.hits.end());
  CHECK(contains(seminar->snippet_html, "<mark>stamcellsforskning</mark>"));
}

TEST_CASE("A prefix query marks the words it matches, not the parts of its own word",
          "[searcher]") {
  const SearchResponse response = search_all("stamcell*");
  REQUIRE_FALSE(response.hits.empty());
  bool marked = false;
  for (const auto& hit : response.hits) {
    INFO(hit.snippet_html);
    CHECK_FALSE(contains(hit.snippet_html, "<mark>cell"));
    CHECK_FALSE(contains(hit.snippet_html, "<mark>Cell"));
    marked = marked || contains(hit.snippet_html, "<mark>stamcell");
  }
  CHECK(marked);
}

TEST_CASE("Excluded words and phrases remove their articles", "[searcher]") {
  const SearchResponse all = search("Nordic Life Science Days");
  const SearchResponse fewer = search("Nordic Life Science Days -Malmö");
  INFO(titles(fewer));
  CHECK(fewer.total < all.total);
}

TEST_CASE("When no article has every word, the ones with most of them are shown and it is said",
          "[searcher]") {
  const SearchResponse response = search("cellterapi qwxzzy");
  INFO(titles(response));
  CHECK(response.relaxed);
  CHECK(response.total > 0);
  REQUIRE_FALSE(response.notes.empty());
  CHECK(has_title(response, "cellterapi"));
}

TEST_CASE("Queries of stop words or syntax only are read without an error", "[searcher]") {
  const std::string query =
      GENERATE(std::string("och i på"), std::string("(((("), std::string("\"unclosed"),
               std::string("title:"), std::string("-"), std::string("OR"));
  CAPTURE(query);
  CHECK_NOTHROW(search(query));
}

TEST_CASE("Out-of-range requests are refused naming the parameter", "[searcher]") {
  SearchRequest request;
  request.size = 1000;
  CHECK_THROWS_WITH(searcher().search(request), Catch::Contains("size"));
  request.size = 10;
  request.page = 0;
  CHECK_THROWS_WITH(searcher().search(request), Catch::Contains("page"));
  request.page = 1;
  request.from = parse_date("2025-01-01");
  request.to = parse_date("2024-01-01");
  CHECK_THROWS_AS(searcher().search(request), std::invalid_argument);
}

TEST_CASE("A folder without an index cannot be searched", "[searcher]") {
  TempDir dir;
  CHECK_THROWS_AS(Searcher(dir / "none"), IndexError);
}

TEST_CASE("An index of another schema version is refused with the way out", "[searcher]") {
  TempDir tmp;
  const std::string dir = tmp / "idx";
  write_file(tmp / "a.jsonl", jsonl_line(sample_record("a")));
  build_index(dir, {tmp / "a.jsonl"});
  set_schema_version(dir, "2");
  CHECK_THROWS_WITH(Searcher(dir), Catch::Contains("schema version \"2\"") &&
                                       Catch::Contains("rebuild it with this indexer"));
}

}  // namespace sok::test

namespace sok::test {
namespace {

const std::vector<FacetCount>& facet(const SearchResponse& response, const std::string& name) {
  for (const auto& [facet_name, counts] : response.facets) {
    if (facet_name == name) return counts;
  }
  throw std::logic_error("no facet " + name);
}

std::string lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

std::size_t count_of(const std::vector<FacetCount>& counts, const std::string& value) {
  for (const auto& c : counts) {
    if (c.value == value) return c.count;
  }
  return 0;
}

}  // namespace

TEST_CASE("Facet counts add up to the matching articles", "[searcher][facets]") {
  // "open house": two articles with both words, then those with one.
  const std::string query = GENERATE(as<std::string>{}, "Flemingsberg", "open house");
  CAPTURE(query);
  SearchRequest request;
  request.query = query;
  request.facets = {"type", "lang", "year"};
  const SearchResponse response = searcher().search(request);
  REQUIRE(response.total_exact);
  for (const std::string name : {"type", "lang", "year"}) {
    CAPTURE(name);
    std::size_t sum = 0;
    for (const auto& c : facet(response, name)) sum += c.count;
    CHECK(sum == response.total);
  }
}

TEST_CASE("A facet's counts ignore its own filter and honour the others", "[searcher][facets]") {
  SearchRequest request;
  request.facets = {"type", "lang"};
  const SearchResponse all = searcher().search(request);
  request.types = {ArticleType::news};
  const SearchResponse news = searcher().search(request);
  // Choosing news still shows how many events there are...
  CHECK(count_of(facet(news, "type"), "event") == count_of(facet(all, "type"), "event"));
  CHECK(count_of(facet(news, "type"), "event") > 0);
  // ...while the language counts are those of news only.
  std::size_t news_by_language = 0;
  for (const auto& c : facet(news, "lang")) news_by_language += c.count;
  CHECK(news_by_language == count_of(facet(all, "type"), "news"));
  CHECK(news.total == count_of(facet(all, "type"), "news"));
}

TEST_CASE("Facets asked for together count as each asked for alone, in the order asked",
          "[searcher][facets]") {
  // Those without a filter of their own share one pass over the matches;
  // the filtered one is counted apart.
  const std::vector<std::string> all = {"partner", "type", "lang", "year", "tag"};
  SearchRequest request;
  request.query = GENERATE(as<std::string>{}, "", "Flemingsberg", "forskning");
  request.types = {ArticleType::news, ArticleType::event};
  request.facets = all;
  const SearchResponse together = searcher().search(request);
  REQUIRE(together.facets.size() == all.size());
  for (std::size_t i = 0; i < all.size(); ++i) {
    CAPTURE(request.query, all[i]);
    CHECK(together.facets[i].first == all[i]);
    SearchRequest alone = request;
    alone.facets = {all[i]};
    const SearchResponse counted = searcher().search(alone);
    REQUIRE(!facet(counted, all[i]).empty());
    const auto& expected = facet(counted, all[i]);
    const auto& got = facet(together, all[i]);
    REQUIRE(got.size() == expected.size());
    for (std::size_t j = 0; j < got.size(); ++j) {
      CHECK(got[j].value == expected[j].value);
      CHECK(got[j].count == expected[j].count);
    }
  }
}

TEST_CASE("A search counts the same total with facets as without", "[searcher][facets]") {
  // With a facet to count, the total comes from the facets' pass over every
  // match; without, from the ranking's.
  SearchRequest request;
  request.query = GENERATE(as<std::string>{}, "", "forskning", "open house", "Flemingsberg",
                           "cellterapi OR forskning", "finnsinte");
  request.size = 3;
  request.types = GENERATE(std::vector<ArticleType>{}, std::vector<ArticleType>{ArticleType::news});
  CAPTURE(request.query, request.types.size());
  request.facets = {};
  const SearchResponse without = searcher().search(request);
  request.facets = {"type", "year"};
  const SearchResponse with = searcher().search(request);
  CHECK(with.total == without.total);
  CHECK(with.total_exact);
  CHECK(ids_of(with) == ids_of(without));
}

TEST_CASE("A filter changes which articles match, not their scores", "[searcher][facets]") {
  // Xapian 1.4 checks a NEAR (a compound's parts) inside an OR only at an
  // AND above it: under a filter it counted for articles with the parts
  // anywhere, "cellterapi" among them, where the parts share one position.
  SearchRequest request;
  request.query = GENERATE(as<std::string>{}, "cellterapi OR forskning",
                           "cellterapi forskning klinisk", "\"öppet hus\"");
  request.size = 100;
  request.facets = {};
  std::map<std::string, double> unfiltered;
  for (const Hit& hit : searcher().search(request).hits) unfiltered[hit.id] = hit.score;
  request.types = {ArticleType::news};
  const SearchResponse filtered = searcher().search(request);
  REQUIRE(!filtered.hits.empty());
  for (const Hit& hit : filtered.hits) {
    CAPTURE(request.query, hit.id);
    REQUIRE(unfiltered.count(hit.id) == 1);
    CHECK(hit.score == Approx(unfiltered[hit.id]));
  }
}

TEST_CASE("Sorted by date, articles with fewer of the words are said and counted as shown",
          "[searcher][facets]") {
  // No article has both: those with either show, newest first.
  SearchRequest request;
  request.query = "partner:Vecura y";
  request.sort = SortOrder::newest;
  request.facets = {"type"};
  const SearchResponse response = searcher().search(request);
  REQUIRE(!response.hits.empty());
  CHECK(response.relaxed);
  CHECK(response.total >= response.hits.size());
  std::size_t by_type = 0;
  for (const auto& c : facet(response, "type")) by_type += c.count;
  CHECK(by_type == response.total);
}

TEST_CASE("Tags and partners count each of an article's values", "[searcher][facets]") {
  SearchRequest request;
  request.facets = {"tag", "partner"};
  const SearchResponse response = searcher().search(request);
  CHECK(count_of(facet(response, "tag"), "cellterapi") > 1);
  CHECK(count_of(facet(response, "partner"), "Karolinska Institutet") > 1);
  request.tags = {"cellterapi"};
  request.facets = {"tag"};
  const SearchResponse filtered = searcher().search(request);
  CHECK(filtered.total == count_of(facet(response, "tag"), "cellterapi"));
}

TEST_CASE("Every tag and partner count is what choosing that value gives", "[searcher][facets]") {
  // The corpus tags articles both "ai" and (one, from WordPress) "AI": a
  // filter does not tell them apart, so neither may the counts.
  SearchRequest request;
  request.facets = {"tag", "partner"};
  const SearchResponse response = searcher().search(request);
  for (const std::string name : {"tag", "partner"}) {
    std::set<std::string> lower_case;
    for (const auto& [value, count] : facet(response, name)) {
      CAPTURE(name, value);
      CHECK(lower_case.insert(lower(value)).second);
      SearchRequest chosen;
      (name == "tag" ? chosen.tags : chosen.partners) = {value};
      chosen.facets = {};
      CHECK(searcher().search(chosen).total == count);
    }
  }
  CHECK(count_of(facet(response, "tag"), "ai") > 1);
  CHECK(count_of(facet(response, "tag"), "AI") == 0);
}

TEST_CASE("An unknown facet is refused naming it", "[searcher][facets]") {
  SearchRequest request;
  request.facets = {"colour"};
  CHECK_THROWS_WITH(searcher().search(request), Catch::Contains("colour"));
  CHECK(is_facet("partner"));
  CHECK_FALSE(is_facet("colour"));
}

}  // namespace sok::test

namespace sok::test {

TEST_CASE("A query with a typo and no hits shows the corrected query's hits and says so",
          "[searcher][spelling]") {
  auto [query, suggestion] = GENERATE(table<std::string, std::string>({
      {"celterapi", "cellterapi"},
      {"cellterpai", "cellterapi"},
      {"innovatoin", "innovation"},
      {"forsknigsinfrastruktur", "forskningsinfrastruktur"},
      {"theraphy", "therapy"},
      // two words run together
      {"lifescience", "life science"},
      {"genetherapy", "gene therapy"},
      {"Openhouse", "open house"},
  }));
  CAPTURE(query);
  const SearchResponse response = search(query);
  INFO(titles(response));
  CHECK(response.corrected);
  CHECK(response.suggestion == suggestion);
  CHECK(response.total > 0);
  REQUIRE_FALSE(response.notes.empty());
  CHECK(contains(response.notes.back(), suggestion));
}

TEST_CASE("A word run together from two words shows the articles with both",
          "[searcher][spelling]") {
  const SearchResponse together = search("genetherapy");
  const SearchResponse apart = search("gene therapy");
  INFO(titles(together));
  CHECK(together.total == apart.total);
  REQUIRE_FALSE(together.hits.empty());
  CHECK(together.hits.front().id == apart.hits.front().id);
}

TEST_CASE("Known words, stop words, short words and words far from any are never corrected",
          "[searcher][spelling]") {
  auto [query, why] = GENERATE(table<std::string, std::string>({
      {"cellterapi", "in the index"},
      {"Flemingsberg", "in the index"},
      {"vaccin", "in the index"},
      {"tram line", "in the index"},
      {"could", "an English stop word"},
      {"against", "an English stop word"},
      {"would have", "English stop words"},
      {"eftersom", "a Swedish stop word"},
      {"labq", "too short"},
      {"xyzxyzxyz", "too far from any word"},
  }));
  CAPTURE(query, why);
  const SearchResponse response = search(query);
  CHECK_FALSE(response.corrected);
  CHECK(response.suggestion.empty());
}

TEST_CASE("A query with hits and an unknown word gets a suggestion but keeps its hits",
          "[searcher][spelling]") {
  const SearchResponse response = search("Flemingsberg celterapi");
  INFO(titles(response));
  CHECK_FALSE(response.corrected);
  CHECK(response.total > 0);
  CHECK(response.suggestion == "Flemingsberg cellterapi");
}

TEST_CASE("A question with a misspelt word is answered as corrected and says so",
          "[searcher][spelling]") {
  const std::string question = "vilka företag arbetar med celterapi i Flemingsberg";
  const SearchResponse response = search(question);
  INFO(titles(response));
  CHECK(response.corrected);
  CHECK(response.suggestion == "vilka företag arbetar med cellterapi i Flemingsberg");
  REQUIRE_FALSE(response.notes.empty());
  CHECK(contains(response.notes.back(), "some words of"));
  // The corrected word counts: the same as asking it spelt right.
  const SearchResponse spelt_right = search(response.suggestion);
  CHECK(response.total == spelt_right.total);
  REQUIRE(response.hits.size() == spelt_right.hits.size());
  for (std::size_t i = 0; i < response.hits.size(); ++i)
    CHECK(response.hits[i].id == spelt_right.hits[i].id);
}

}  // namespace sok::test

namespace sok::test {
namespace {

bool suggests(const std::vector<Suggestion>& suggestions, const std::string& text) {
  return std::any_of(suggestions.begin(), suggestions.end(),
                     [&](const Suggestion& s) { return s.text == text; });
}

std::string texts(const std::vector<Suggestion>& suggestions) {
  std::string out;
  for (const auto& s : suggestions) out += s.text + " (" + std::to_string(s.weight) + ")\n";
  return out;
}

}  // namespace

TEST_CASE("Search-as-you-type completes words, partner names and tags", "[searcher][suggest]") {
  auto [typed, language, completion] = GENERATE(table<std::string, Language, std::string>({
      {"forskn", Language::sv, "forskning"},
      {"Forskn", Language::sv, "forskning"},
      {"cellter", Language::unknown, "cellterapi"},
      {"nya labb i flemings", Language::sv, "flemingsberg"},
      {"karolinska inst", Language::unknown, "Karolinska Institutet"},
      {"resea", Language::en, "research"},
  }));
  CAPTURE(typed);
  const auto suggestions = searcher().suggest(typed, language, 8);
  INFO(texts(suggestions));
  CHECK(suggests(suggestions, completion));
  CHECK(suggestions.size() <= 8);
}

TEST_CASE("Search-as-you-type offers a tag once however its articles write it",
          "[searcher][suggest]") {
  const auto suggestions = searcher().suggest("ai", Language::unknown, 8);
  INFO(texts(suggestions));
  CHECK(suggests(suggestions, "ai"));
  CHECK_FALSE(suggests(suggestions, "AI"));
}

TEST_CASE("Search-as-you-type offers one form of a word, its most frequent",
          "[searcher][suggest]") {
  auto [typed, language, form, other_forms] =
      GENERATE(table<std::string, Language, std::string, std::vector<std::string>>({
          {"forskn", Language::sv, "forskning", {"forskningen", "forskningens"}},
          {"cellt", Language::sv, "cellterapi", {"cellterapier"}},
          {"resea", Language::en, "research", {"researchers", "researcher"}},
      }));
  CAPTURE(typed);
  const auto suggestions = searcher().suggest(typed, language, 8);
  INFO(texts(suggestions));
  CHECK(suggests(suggestions, form));
  for (const std::string& other : other_forms) CHECK_FALSE(suggests(suggestions, other));
}

TEST_CASE("Completions of one language leave out the other's words", "[searcher][suggest]") {
  for (const auto& s : searcher().suggest("re", Language::en, 50)) {
    if (s.kind == Suggestion::Kind::word) CHECK(s.language == Language::en);
  }
  CHECK(searcher().suggest("", Language::sv, 8).empty());
  CHECK(searcher().suggest("qqqqqq", Language::sv, 8).empty());
}

TEST_CASE("A document is found by its id", "[searcher]") {
  const auto found = searcher().document("sv-sida-om-oss");
  REQUIRE(found.has_value());
  CHECK(found->title == "Om Flemingsberg Science");
  CHECK_FALSE(searcher().document("no-such-id").has_value());
}

TEST_CASE("A searcher moves to an update and to a new build on refresh", "[searcher][refresh]") {
  TempDir dir;
  const std::string index = dir / "index";
  build_index(index, {source_path("corpus/html")});
  Searcher fresh(index);
  const IndexInfo before = fresh.info();
  CHECK_FALSE(fresh.refresh());

  const std::string extra = dir / "extra.jsonl";
  write_file(extra, jsonl_line(sample_record("refresh-test-1")));
  update_index(index, {extra});
  CHECK(fresh.refresh());
  CHECK(fresh.documents() == before.documents + 1);
  CHECK(fresh.info().revision != before.revision);
  CHECK(fresh.document("refresh-test-1").has_value());

  build_index(index, {source_path("corpus/wordpress")});
  CHECK(fresh.refresh());
  CHECK(fresh.documents() == 4);
  CHECK_FALSE(fresh.document("refresh-test-1").has_value());
}

TEST_CASE("A question ranks the article with its words together above one with them apart",
          "[searcher][ranking]") {
  TempDir dir;
  const std::string source = dir / "two.jsonl";
  auto article = [](const std::string& id, const std::string& body) {
    return body_only_article(id, "en", "Lab notes", body);
  };
  // The same words, so the same weight without the boost.
  write_file(source, article("apart",
                             "Enzyme measured in the cell culture lab today with pipettes and "
                             "benches, kinetics.") +
                         article("together",
                                 "Enzyme kinetics measured in the cell culture lab today "
                                 "with pipettes and benches."));
  build_index(dir / "index", {source});
  SearchRequest request;
  request.query = "enzyme kinetics cell culture";  // four words: a question

  RankingOptions off;
  off.proximity_weight = 0;
  check_boost_puts_first(dir / "index", request, off, "together");
}

TEST_CASE(
    "A question ranks the article with its words as it has them above one with them "
    "reordered",
    "[searcher][ranking]") {
  TempDir dir;
  // The same words as near each other: the same weight without the phrase boost.
  const std::string index =
      lab_index(dir,
                {{"reordered", "The culture cell grew in the lab with pipettes."},
                 {"as asked", "The cell culture grew in the lab with pipettes."}},
                "Benches and pipettes in the lab.");
  SearchRequest request;
  request.query = "How did the cell culture grow?";

  RankingOptions off;
  off.proximity_phrase_weight = 0;
  check_boost_puts_first(index, request, off, "as asked");
}

TEST_CASE(
    "A question ranks the article with all its words in one passage above one with them "
    "spread",
    "[searcher][ranking]") {
  TempDir dir;
  const std::string a = "alpha bravo charlie delta echo foxtrot golf hotel";
  const std::string b = "india juliet kilo lima mike november oscar papa";
  const std::string c = "quebec romeo sierra tango uniform victor whiskey xray yankee zulu amber";
  // The same words, no two of the question's within the proximity window
  // (8 positions): the same weight without the passage boost. "together"
  // has all three within 19 positions; "spread" has its third 20 after
  // the second.
  const std::string index =
      lab_index(dir,
                {{"together", "enzyme " + a + " kinetics " + b + " vary " + c},
                 {"spread", "enzyme " + a + " kinetics " + b + " " + c + " vary"}},
                a + " " + b + " " + c);
  SearchRequest request;
  request.query = "How does enzyme kinetics vary?";

  RankingOptions off;
  off.passage_weight = 0;
  check_boost_puts_first(index, request, off, "together");
  // A passage of one position or none, as the library allows, holds one word.
  for (const std::size_t window : {0, 1}) {
    RankingOptions narrow;
    narrow.passage_window = window;
    CHECK(Searcher(index, narrow).search(request).hits.size() == 2);
  }
}

TEST_CASE("A long question ranks the articles like its best ones higher, after the first two",
          "[searcher][ranking]") {
  TempDir dir;
  const std::string source = dir / "lab.jsonl";
  auto article = [](const std::string& id, const std::string& body) {
    return body_only_article(id, "en", "Lab notes", body);
  };
  // Three articles answer the question and share the words of their
  // method; two mention only "enzyme", the same number of words each, one in
  // those words of method.
  std::string lines;
  for (const std::string id : {"best-1", "best-2", "best-3"}) {
    lines += article(id,
                     "Enzyme assays measure kinetics in cell cultures: the spectrophotometer "
                     "reads absorbance as the substrate turns over.");
  }
  lines += article("plain", "Enzyme notes about garden bicycles.");
  lines += article("like-the-best", "Enzyme notes about spectrophotometer absorbance.");
  write_file(source, lines);
  build_index(dir / "index", {source});
  SearchRequest request;
  request.query = "how do enzyme assays measure kinetics in cell cultures";  // six words

  auto ranked = [&](const RankingOptions& ranking) {
    const SearchResponse response = Searcher(dir / "index", ranking).search(request);
    INFO(titles(response));
    REQUIRE(response.hits.size() == 5);
    CHECK(response.total == 5);
    std::map<std::string, std::pair<std::size_t, double>> by_id;  // rank, score
    for (std::size_t i = 0; i < response.hits.size(); ++i) {
      if (i > 0) CHECK(response.hits[i].score <= response.hits[i - 1].score);
      by_id[response.hits[i].id] = {i, response.hits[i].score};
    }
    return std::make_pair(response.hits, by_id);
  };
  RankingOptions ranking;
  ranking.feedback_articles = 3;
  RankingOptions off = ranking;
  off.feedback_articles = 0;
  RankingOptions short_question = ranking;
  short_question.feedback_min_words = 7;

  const auto [unexpanded, without] = ranked(off);
  CHECK(without.at("plain").second == Approx(without.at("like-the-best").second));
  const auto [expanded, with] = ranked(ranking);
  CHECK(with.at("like-the-best").first < with.at("plain").first);
  CHECK(with.at("like-the-best").second > with.at("plain").second);
  for (std::size_t i = 0; i < ranking.feedback_kept; ++i) {
    CAPTURE(i);
    CHECK(expanded[i].id == unexpanded[i].id);
    CHECK(expanded[i].score == unexpanded[i].score);
  }
  const auto [too_short, _] = ranked(short_question);
  for (std::size_t i = 0; i < too_short.size(); ++i) CHECK(too_short[i].id == unexpanded[i].id);
}

TEST_CASE("The articles of one page show as one hit, the most recently updated",
          "[searcher][pages]") {
  TempDir dir;
  const std::string source = dir / "pages.jsonl";
  auto article = [](const std::string& id, const std::string& url, const std::string& updated) {
    nlohmann::json record = sample_record(id);
    record["url"] = url;
    record["updated"] = updated;
    return jsonl_line(record);
  };
  // One page from two sources, written two ways; and another page.
  write_file(
      source,
      article("feed", "https://flemingsberg-science.se/nyheter/2024/labb/", "2024-03-15") +
          article("page", "http://www.Flemingsberg-Science.se/nyheter/2024/labb#top",
                  "2024-04-01") +
          article("other", "https://flemingsberg-science.se/nyheter/2024/annat", "2024-03-15"));
  build_index(dir / "index", {source});
  Searcher searcher(dir / "index");
  SearchRequest request;
  request.query = "forskningsinfrastruktur";
  request.facets = {"type"};
  auto ids = [&] {
    std::set<std::string> out;
    for (const Hit& hit : searcher.search(request).hits) out.insert(hit.id);
    return out;
  };
  const SearchResponse response = searcher.search(request);
  CHECK(ids() == std::set<std::string>{"page", "other"});
  CHECK(response.total == 2);
  CHECK(facet(response, "type").at(0).count == 2);
  // Without the article that stood for it, the page shows its other one.
  delete_from_index(dir / "index", {"page"});
  REQUIRE(searcher.refresh());
  CHECK(ids() == std::set<std::string>{"feed", "other"});
}

TEST_CASE("A word typed in an inflected form ranks the articles with that form first",
          "[searcher][ranking]") {
  TempDir dir;
  const std::string source = dir / "two.jsonl";
  auto article = [](const std::string& id, const std::string& body) {
    return body_only_article(id, "sv", "Labbnytt", body);
  };
  write_file(source, article("base", "Forskning om celler i Flemingsberg växer snabbt.") +
                         article("definite", "Forskningen om celler i Flemingsberg växer snabbt."));
  build_index(dir / "index", {source});
  // The score of each article by id.
  auto scores = [&](const std::string& query, const RankingOptions& ranking) {
    SearchRequest request;
    request.query = query;
    const SearchResponse response = Searcher(dir / "index", ranking).search(request);
    INFO(titles(response));
    REQUIRE(response.hits.size() == 2);
    std::map<std::string, double> by_id;
    for (const Hit& hit : response.hits) by_id[hit.id] = hit.score;
    return std::make_pair(response.hits[0].id, by_id);
  };
  RankingOptions off;
  off.exact_form_weight = 0;
  const auto [first, boosted] = scores("forskningen", {});
  const auto unboosted = scores("forskningen", off).second;
  CHECK(first == "definite");
  CHECK(boosted.at("definite") > unboosted.at("definite"));
  CHECK(boosted.at("base") == Approx(unboosted.at("base")));
  // "forskning" is its own stem: no form of it is preferred.
  CHECK(scores("forskning", {}).second == scores("forskning", off).second);
}

TEST_CASE("An article with the word ranks above a shorter one with it only inside a compound",
          "[searcher][ranking]") {
  TempDir dir;
  const std::string source = dir / "two.jsonl";
  write_file(source,
             body_only_article("part", "sv", "Labbnytt", "Stamcellsforskning i Flemingsberg.") +
                 body_only_article("word", "sv", "Labbnytt",
                                   "Forskning om celler sedan flera år i det nya labbet vid "
                                   "Karolinska Institutet i Flemingsberg."));
  build_index(dir / "index", {source});
  SearchRequest request;
  request.query = "forskning";  // its own stem: no exact form to prefer
  const SearchResponse response = Searcher(dir / "index").search(request);
  INFO(titles(response));
  // Both match, but a part counts less than the word: when it counted as
  // much, the shorter article came first.
  CHECK(ids_of(response) == std::vector<std::string>{"word", "part"});
}

TEST_CASE("In a question each part of a hyphenated word counts on its own", "[searcher][ranking]") {
  TempDir dir;
  const std::string source = dir / "three.jsonl";
  write_file(
      source,
      body_only_article("sound", "en", "Noise", "Loud sound from the engines.") +
          body_only_article("joined", "en", "Acoustics", "The shock-sound interaction of a wave.") +
          body_only_article("other", "en", "Structures", "Panels of thin aluminium."));
  build_index(dir / "index", {source});
  Searcher searcher(dir / "index");
  auto ids = [&](const std::string& query) {
    SearchRequest request;
    request.query = query;
    return ids_of(searcher.search(request));
  };
  // Five words: a question, which asks about "sound" too.
  CHECK(ids("papers on shock-sound wave interaction") ==
        std::vector<std::string>{"joined", "sound"});
  // A keyword wants the hyphenated word whole: its parts in that order.
  CHECK(ids("shock-sound") == std::vector<std::string>{"joined"});
}

TEST_CASE("A compound's parts stand for it only near each other", "[searcher][ranking]") {
  TempDir dir;
  const std::string source = dir / "three.jsonl";
  write_file(
      source,
      body_only_article("compound", "sv", "Resor", "Platschefen leder arbetet på resmålet.") +
          body_only_article("near", "sv", "Resor", "Hon är chef på plats i Flemingsberg.") +
          body_only_article("apart", "sv", "Resor",
                            "Det finns plats för fler. Labbet har fått nya maskiner, "
                            "centrifuger, frysar och robotar under året. Vår chef "
                            "berättar mer."));
  build_index(dir / "index", {source});
  SearchRequest request;
  request.query = "platschef";
  const SearchResponse response = Searcher(dir / "index").search(request);
  INFO(titles(response));
  CHECK(ids_of(response) == std::vector<std::string>{"compound", "near"});
}

TEST_CASE("A stop word of the query's language is left out of its other reading",
          "[searcher][ranking]") {
  const SearchResponse english = search("how do cells divide in the lab");
  CHECK(english.query_language == Language::en);
  CHECK_FALSE(contains(english.understood, "how"));
  const SearchResponse swedish = search("hur och var delar sig celler i labbet");
  CHECK(swedish.query_language == Language::sv);
  CHECK_FALSE(contains(swedish.understood, "och"));
  // A query of stop words only is still read in the other language.
  CHECK(contains(search("how").understood, "how"));
}

TEST_CASE("The pages of a question follow on from each other", "[searcher][ranking]") {
  SearchRequest request;
  request.query = "forskning om cellterapi och vaccin i Flemingsberg";
  request.size = 10;
  const SearchResponse whole = searcher().search(request);
  REQUIRE(whole.hits.size() >= 6);
  request.size = 3;
  std::vector<std::string> paged;
  for (int page = 1; page <= 2; ++page) {
    request.page = page;
    for (const Hit& hit : searcher().search(request).hits) paged.push_back(hit.id);
  }
  for (std::size_t i = 0; i < paged.size(); ++i) {
    CAPTURE(i);
    CHECK(paged[i] == whole.hits[i].id);
  }
}

TEST_CASE("Facet counts of the whole index follow an update on refresh",
          "[searcher][facets][refresh]") {
  // No words, or stop words only, and no filter: the counts of every article.
  const std::string query = GENERATE(std::string(""), std::string("och"), std::string("could"));
  CAPTURE(query);
  TempDir dir;
  const std::string index = dir / "index";
  build_index(index, {source_path("corpus/html")});
  Searcher fresh(index);
  SearchRequest request;
  request.query = query;
  request.facets = {"type"};
  const std::size_t news = count_of(facet(fresh.search(request), "type"), "news");
  CHECK(count_of(facet(fresh.search(request), "type"), "news") == news);

  const std::string extra = dir / "extra.jsonl";
  write_file(extra, jsonl_line(sample_record("facet-refresh-1")));  // a news article
  update_index(index, {extra});
  REQUIRE(fresh.refresh());
  CHECK(count_of(facet(fresh.search(request), "type"), "news") == news + 1);
}

}  // namespace sok::test

namespace sok::test {

TEST_CASE("Words typed without å, ä and ö find them as a lower-ranked fallback",
          "[searcher][letters]") {
  auto [plain, swedish] = GENERATE(table<std::string, std::string>({
      {"malmo", "Malmö"},
      {"Sodertorn", "Södertörn"},
      {"halsovagen", "Hälsovägen"},
  }));
  CAPTURE(plain);
  const SearchResponse typed_plain = search(plain);
  const SearchResponse typed_swedish = search(swedish);
  INFO(titles(typed_plain));
  REQUIRE(typed_plain.total > 0);
  REQUIRE_FALSE(typed_swedish.hits.empty());
  // The same articles come first, with lower scores than for the exact spelling.
  const auto top = std::min<std::size_t>(3, typed_plain.hits.size());
  CHECK(std::any_of(typed_plain.hits.begin(), typed_plain.hits.begin() + static_cast<long>(top),
                    [&](const Hit& hit) { return hit.id == typed_swedish.hits.front().id; }));
  CHECK(typed_plain.hits.front().score < typed_swedish.hits.front().score);
  CHECK(contains(typed_plain.hits.front().title_html + typed_plain.hits.front().snippet_html,
                 "<mark>"));
}

}  // namespace sok::test

namespace sok::test {

TEST_CASE("Of two equally good news articles the newer ranks first", "[searcher][recency]") {
  TempDir dir;
  const std::string jsonl = dir / "news.jsonl";
  std::string lines;
  for (const auto& [id, type, date] :
       std::vector<std::tuple<std::string, std::string, std::string>>{
           {"old-news", "news", "2019-03-01"}, {"new-news", "news", "2026-03-01"}}) {
    nlohmann::json record = sample_record(id);
    record["type"] = type;
    record["published"] = date;
    record["title"] = "Biobanken utökas i Flemingsberg";
    record["summary"] = "";
    record["body"] = "Biobanken får nya frysar.";
    lines += jsonl_line(record);
  }
  write_file(jsonl, lines);
  build_index(dir / "index", {jsonl});
  Searcher searcher(dir / "index");
  SearchRequest request;
  request.query = "biobanken";
  const SearchResponse response = searcher.search(request);
  REQUIRE(response.hits.size() == 2);
  CHECK(response.hits[0].id == "new-news");
  CHECK(response.hits[0].score > response.hits[1].score);
  CHECK(response.hits[0].score - response.hits[1].score < 1.0);  // a mild boost
}

}  // namespace sok::test

namespace sok::test {
namespace {

// An index of Swedish pages given as (id, title, body), beside `dir`.
Searcher pages_index(const TempDir& dir,
                     const std::vector<std::tuple<std::string, std::string, std::string>>& pages) {
  std::string lines;
  for (const auto& [id, title, body] : pages) {
    nlohmann::json record = sample_record(id);
    record["type"] = "page";
    record["title"] = title;
    record["summary"] = "";
    record["body"] = body;
    record["tags"] = nlohmann::json::array();
    record["partners"] = nlohmann::json::array();
    record["author"] = "";
    lines += jsonl_line(record);
  }
  write_file(dir / "pages.jsonl", lines);
  build_index(dir / "index", {dir / "pages.jsonl"});
  return Searcher(dir / "index");
}

}  // namespace

TEST_CASE("A keyword query shows the articles with every word first, then those with fewer",
          "[searcher][ranking]") {
  TempDir dir;
  Searcher searcher =
      pages_index(dir, {{"one-word", "Biobanken", "Biobanken biobanken biobanken i Huddinge."},
                        {"both-words", "Frysar", "Biobanken får nya frysar."},
                        {"neither", "Spårväg syd", "Spårvägen byggs."}});
  SearchRequest request;
  request.query = "biobanken frysar";
  const SearchResponse response = searcher.search(request);
  CHECK(ids_of(response) == std::vector<std::string>{"both-words", "one-word"});
  CHECK(response.total == 2);
  CHECK_FALSE(response.relaxed);
  CHECK(response.notes.empty());
}

TEST_CASE(
    "A long question needs no article with all its words: the one that answers it ranks first",
    "[searcher][ranking]") {
  TempDir dir;
  Searcher searcher = pages_index(
      dir, {{"answer", "Hämta ditt beslut",
             "När du hämtar ditt beslut ska du ta med ditt pass. Beslutet lämnas ut på "
             "kontoret."},
            {"some-words", "Beslut om uppehållstillstånd",
             "Du får ett beslut om uppehållstillstånd med posten."},
            {"unrelated", "Spårväg syd", "Spårvägen byggs mellan Flemingsberg och Älvsjö."}});
  SearchRequest request;
  // Six words that are not stop words; no page has "handlingar" or "behöver".
  request.query = "Vilka handlingar behöver du ta med när du hämtar ditt beslut på kontoret?";
  const SearchResponse response = searcher.search(request);
  INFO(titles(response));
  CHECK(ids_of(response) == std::vector<std::string>{"answer", "some-words"});
  // Not a fallback: a question is read this way from the start.
  CHECK_FALSE(response.relaxed);
  CHECK(response.notes.empty());
}

// A page with every word of the question once in a long text, and one
// with two of its words in the title and all over a short text.
std::vector<std::tuple<std::string, std::string, std::string>> every_word_or_strong_words() {
  std::string long_text = "Kontoret ska ta emot den som hämtar ett paket eller väntar på beslut. ";
  for (int i = 0; i < 30; ++i) long_text += "Entrén ligger vid parken och har öppet varje vardag. ";
  return {{"every-word", "Kontoret", long_text},
          {"strong", "Hämta beslut", "Hämta beslut. Du hämtar beslutet. Beslut hämtas här."},
          {"filler-1", "Spårväg syd", "Spårvägen byggs mellan Flemingsberg och Älvsjö."},
          {"filler-2", "Biobanken", "Biobanken får nya frysar."},
          {"filler-3", "Cellterapi", "Ett nytt labb för cellterapi öppnar."},
          {"filler-4", "Nyhetsbrev", "Prenumerera på vårt nyhetsbrev."}};
}

TEST_CASE("all_words_up_to decides whether a question is read as keywords or ranked by BM25",
          "[searcher][ranking]") {
  TempDir dir;
  pages_index(dir, every_word_or_strong_words());
  // Three words that are not stop words: ta, hämtar, beslut; not asked as
  // a question (no question mark, no interrogative first).
  const std::string question = "ska du ta med när du hämtar ditt beslut";
  auto [up_to, first] = GENERATE(table<std::size_t, std::string>({
      {2, "strong"},      // a question: the best BM25 match first
      {3, "every-word"},  // keywords: the article with every word first
  }));
  CAPTURE(up_to);
  RankingOptions ranking;
  ranking.all_words_up_to = up_to;
  Searcher searcher(dir / "index", ranking);
  SearchRequest request;
  request.query = question;
  const SearchResponse response = searcher.search(request);
  INFO(titles(response));
  REQUIRE(response.hits.size() == 2);
  CHECK(response.hits.front().id == first);
  CHECK(response.total == 2);
}

TEST_CASE("A query asked in words is a question however short", "[searcher][ranking]") {
  TempDir dir;
  pages_index(dir, every_word_or_strong_words());
  Searcher searcher(dir / "index");  // all_words_up_to = 3
  auto [query, first] = GENERATE(table<std::string, std::string>({
      {"Vad ska du ta med när du hämtar ditt beslut?", "strong"},
      {"ska du ta med när du hämtar ditt beslut?", "strong"},
      {"Hur hämtar du ditt beslut", "strong"},
      {"how hämtar beslut", "strong"},
      {"ska du ta med när du hämtar ditt beslut", "every-word"},
  }));
  CAPTURE(query);
  SearchRequest request;
  request.query = query;
  const SearchResponse response = searcher.search(request);
  INFO(titles(response));
  REQUIRE_FALSE(response.hits.empty());
  CHECK(response.hits.front().id == first);
}

}  // namespace sok::test
