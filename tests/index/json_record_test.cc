// One record of the corpus JSON format as an article: every field read as
// the format says, and every way a record can be wrong reported in one
// message that names the field.

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "sok/index/article.h"
#include "sok/index/sources.h"
#include "support.h"

namespace sok::test {
namespace {

using json = nlohmann::json;

// `sample_record` with `field` set to `value` (or removed when `value` is
// the string "<absent>").
json with(const std::string& field, const json& value) {
  json record = sample_record("rec-1");
  if (value.is_string() && value.get<std::string>() == "<absent>") {
    record.erase(field);
  } else {
    record[field] = value;
  }
  return record;
}

}  // namespace

TEST_CASE("A full valid record gives an article with every field", "[json]") {
  json record = sample_record("sv-nyhet-2024-1");
  record["author"] = "Anna Berg";
  const ParsedArticle parsed = article_from_json(record, "news.jsonl:7");
  INFO(parsed.error);
  REQUIRE(parsed.article.has_value());
  CHECK(parsed.error.empty());
  const Article& a = *parsed.article;
  CHECK(a.id == "sv-nyhet-2024-1");
  CHECK(a.url == "https://flemingsberg-science.se/nyheter/2024/sv-nyhet-2024-1/");
  CHECK(a.language == Language::sv);
  CHECK(a.type == ArticleType::news);
  CHECK(a.title == "Ny forskningsinfrastruktur invigs i Flemingsberg");
  CHECK(a.summary == "Karolinska Institutet öppnar ett nytt labb för cellterapi.");
  CHECK(a.body == record["body"].get<std::string>());
  CHECK(a.published == Date{2024, 3, 14});
  CHECK(a.updated == Date{2024, 3, 15});
  CHECK(a.tags == std::vector<std::string>{"cellterapi", "Life Science"});
  CHECK(a.partners == std::vector<std::string>{"Karolinska Institutet"});
  CHECK(a.author == "Anna Berg");
  CHECK(a.origin == "news.jsonl:7");
}

TEST_CASE("Every bad record gives one clear message that names what is wrong", "[json]") {
  // what is wrong, the record, words the message must contain
  auto [what, record, words] = GENERATE(table<std::string, json, std::vector<std::string>>({
      {"not an object: array", json::array({1, 2}), {"JSON object", "array"}},
      {"not an object: string", json("just text"), {"JSON object", "string"}},
      {"not an object: null", json(nullptr), {"JSON object", "null"}},
      {"not an object: number", json(17), {"JSON object", "number"}},
      {"missing id", with("id", "<absent>"), {"missing id"}},
      {"null id", with("id", nullptr), {"missing id"}},
      {"empty id", with("id", ""), {"id", "empty"}},
      {"id too long", with("id", std::string(201, 'a')), {"id", "201 bytes", "200"}},
      {"id with a tab", with("id", "sv\tnyhet"), {"id", "control character"}},
      {"id with a line break", with("id", "sv\nnyhet"), {"id", "control character"}},
      {"id with DEL", with("id", "sv\x7Fnyhet"), {"id", "control character"}},
      {"id a boolean", with("id", true), {"id", "string", "boolean"}},
      {"id a fraction", with("id", 1.5), {"id", "string", "number"}},
      {"id an array", with("id", json::array({"a"})), {"id", "string", "array"}},
      {"missing title", with("title", "<absent>"), {"missing title"}},
      {"null title", with("title", nullptr), {"missing title"}},
      {"empty title", with("title", ""), {"missing title"}},
      {"title a number", with("title", 42), {"title", "string", "number"}},
      {"title an object", with("title", json{{"rendered", "x"}}), {"title", "string", "object"}},
      {"tags a string", with("tags", "cellterapi"), {"tags", "array", "string"}},
      {"tags with a number",
       with("tags", json::array({"cellterapi", 7})),
       {"tags", "strings only", "number"}},
      {"tags with null",
       with("tags", json::array({"cellterapi", nullptr})),
       {"tags", "strings only", "null"}},
      {"tags with an item too long",
       with("tags", json::array({std::string(201, 'x')})),
       {"tags", "201 bytes"}},
      {"partners an object",
       with("partners", json{{"name", "KI"}}),
       {"partners", "array", "object"}},
      {"partners with a list",
       with("partners", json::array({json::array({"KI"})})),
       {"partners", "strings only", "array"}},
      {"unknown type", with("type", "blog"), {"type", "\"blog\"", "news, event, partner, page"}},
      {"type capitalised", with("type", "News"), {"type", "\"News\""}},
      {"type a number", with("type", 1), {"type", "string", "number"}},
      {"unknown lang", with("lang", "de"), {"lang", "\"de\"", "sv, en"}},
      {"lang a list", with("lang", json::array({"sv"})), {"lang", "string", "array"}},
      {"published not a date",
       with("published", "2023-02-30"),
       {"published", "\"2023-02-30\"", "not a date"}},
      {"published in words",
       with("published", "yesterday-ish"),
       {"published", "\"yesterday-ish\"", "not a date"}},
      {"published year out of range",
       with("published", "1850-01-01"),
       {"published", "\"1850-01-01\""}},
      {"published a number", with("published", 20240314), {"published", "string", "number"}},
      {"updated month 13", with("updated", "2024-13-01"), {"updated", "\"2024-13-01\""}},
      {"updated day 0", with("updated", "2024-01-00"), {"updated", "\"2024-01-00\""}},
      {"url a number", with("url", 3), {"url", "string", "number"}},
      {"summary an object", with("summary", json::object()), {"summary", "string", "object"}},
      {"body a list", with("body", json::array({"text"})), {"body", "string", "array"}},
      {"author a boolean", with("author", false), {"author", "string", "boolean"}},
  }));
  CAPTURE(what, record.dump());
  const ParsedArticle parsed = article_from_json(record, "bad.jsonl:3");
  CHECK_FALSE(parsed.article.has_value());
  CAPTURE(parsed.error);
  REQUIRE_FALSE(parsed.error.empty());
  CHECK(parsed.error.find('\n') == std::string::npos);
  for (const auto& word : words) {
    CAPTURE(word);
    CHECK(contains(parsed.error, word));
  }
}

TEST_CASE("A numeric id is accepted and becomes its decimal digits", "[json]") {
  auto [id, expected] = GENERATE(table<json, std::string>({
      {json(17), "17"},
      {json(0), "0"},
      {json(-5), "-5"},
      {json(4120), "4120"},
      {json(9223372036854775807LL), "9223372036854775807"},
  }));
  CAPTURE(expected);
  const ParsedArticle parsed = article_from_json(with("id", id), "ids.jsonl:1");
  INFO(parsed.error);
  REQUIRE(parsed.article.has_value());
  CHECK(parsed.article->id == expected);
}

// Regression (was a bug): an integer id above 2^63 - 1 (nlohmann's number_unsigned) is read
// with get<long long>() in json_record.cc and wraps around: 18446744073709551615
// becomes the id "-1", so two different records can share an id.
TEST_CASE("A numeric id above the signed 64-bit range keeps its digits", "[json]") {
  const ParsedArticle parsed =
      article_from_json(with("id", json(18446744073709551615ULL)), "ids.jsonl:2");
  REQUIRE(parsed.article.has_value());
  CHECK(parsed.article->id == "18446744073709551615");
}

TEST_CASE("Optional fields may be absent or null", "[json]") {
  const bool use_null = GENERATE(false, true);
  CAPTURE(use_null);
  json record = {{"id", "minimal"}, {"title", "Bara en rubrik"}};
  if (use_null) {
    for (const char* field : {"url", "lang", "type", "summary", "body", "published", "updated",
                              "tags", "partners", "author"}) {
      record[field] = nullptr;
    }
  }
  const ParsedArticle parsed = article_from_json(record, "min.jsonl:1");
  INFO(parsed.error);
  REQUIRE(parsed.article.has_value());
  const Article& a = *parsed.article;
  CHECK(a.id == "minimal");
  CHECK(a.title == "Bara en rubrik");
  CHECK(a.url.empty());
  CHECK(a.language == Language::unknown);
  CHECK(a.type == ArticleType::page);
  CHECK(a.summary.empty());
  CHECK(a.body.empty());
  CHECK_FALSE(a.published.has_value());
  CHECK_FALSE(a.updated.has_value());
  CHECK(a.tags.empty());
  CHECK(a.partners.empty());
  CHECK(a.author.empty());
}

TEST_CASE("Languages are read in their documented spellings", "[json]") {
  auto [lang, expected] = GENERATE(table<std::string, Language>({
      {"sv", Language::sv},
      {"en", Language::en},
      {"sv-SE", Language::sv},
      {"en-GB", Language::en},
      {"en-US", Language::en},
      {"SV", Language::sv},
      {"swedish", Language::sv},
      {"English", Language::en},
  }));
  CAPTURE(lang);
  const ParsedArticle parsed = article_from_json(with("lang", lang), "lang.jsonl:1");
  INFO(parsed.error);
  REQUIRE(parsed.article.has_value());
  CHECK(parsed.article->language == expected);
}

TEST_CASE("A body or summary in HTML is reduced to its text; plain text is kept as it is",
          "[json]") {
  auto [field, value, expected] = GENERATE(table<std::string, std::string, std::string>({
      {"body", "<p>Första stycket.</p><p>Andra &amp; tredje.</p>",
       "Första stycket.\nAndra & tredje."},
      {"body", "<h2>Rubrik</h2>\n<ul><li>Ett</li><li>Två</li></ul>", "Rubrik\nEtt\nTvå"},
      {"body", "Text med <strong>fet</strong> stil och <a href=\"/x\">en länk</a>.",
       "Text med fet stil och en länk."},
      {"body", "Forskare&nbsp;och f&ouml;retag", "Forskare\u00A0och företag"},
      {"body", "Ett &#8211; tecken", "Ett \u2013 tecken"},
      {"body", "<script>var x = 1;</script><p>Synlig text</p>", "Synlig text"},
      {"summary", "<p>Kort <em>ingress</em>.</p>", "Kort ingress."},
      {"body", "Halten var < 5 mg och p<0,05 i studien.",
       "Halten var < 5 mg och p<0,05 i studien."},
      {"body", "Två rader\n\nmed tom rad emellan.", "Två rader\n\nmed tom rad emellan."},
      {"summary", "AT&T och H&M samarbetar.", "AT&T och H&M samarbetar."},
      {"body", "Shares of <GM> and <B> rose; <IBM> fell.",
       "Shares of <GM> and <B> rose; <IBM> fell."},
      {"body", "<P>Gamla versaler</P>", "Gamla versaler"},
      {"body", "Före<!-- kommentar -->efter", "Föreefter"},
  }));
  CAPTURE(field, value);
  const ParsedArticle parsed = article_from_json(with(field, value), "html.jsonl:1");
  INFO(parsed.error);
  REQUIRE(parsed.article.has_value());
  CHECK((field == "body" ? parsed.article->body : parsed.article->summary) == expected);
}

// Regression (was a bug): looks_like_html() (html_page.cc) only looks at the first '<' of the
// text: a body whose first '<' is a "less than" sign is taken for plain text
// even when tags follow, so its markup ends up in the index as words.
TEST_CASE("A body with markup after a less-than sign is still reduced to text", "[json]") {
  const ParsedArticle parsed = article_from_json(
      with("body", "Priset är < 100 kr.<p>Anmäl dig <strong>senast</strong> i dag.</p>"),
      "html.jsonl:2");
  REQUIRE(parsed.article.has_value());
  CHECK_FALSE(contains(parsed.article->body, "<strong>"));
  CHECK_FALSE(contains(parsed.article->body, "<p>"));
  CHECK(contains(parsed.article->body, "senast"));
}

TEST_CASE("Empty list items are left out", "[json]") {
  const ParsedArticle parsed =
      article_from_json(with("tags", json::array({"", "cellterapi", ""})), "tags.jsonl:1");
  INFO(parsed.error);
  REQUIRE(parsed.article.has_value());
  CHECK(parsed.article->tags == std::vector<std::string>{"cellterapi"});
}

TEST_CASE("Unknown extra fields are ignored", "[json]") {
  json record = sample_record("sv-oversattning-1");
  record["translation_of"] = "en-news-2024-1";
  record["extra"] = {{"nested", {1, 2, 3}}, {"flag", true}};
  record["priority"] = 3;
  const ParsedArticle with_extra = article_from_json(record, "x.jsonl:1");
  const ParsedArticle without = article_from_json(sample_record("sv-oversattning-1"), "x.jsonl:1");
  INFO(with_extra.error);
  REQUIRE(with_extra.article.has_value());
  REQUIRE(without.article.has_value());
  CHECK(content_hash(*with_extra.article) == content_hash(*without.article));
  CHECK(with_extra.article->title == without.article->title);
}

}  // namespace sok::test
