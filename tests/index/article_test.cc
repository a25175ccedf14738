// The article model: dates as the sources write them, their two printed
// forms, the type names, and the content fingerprint that lets an update
// skip unchanged articles.

#include <catch2/catch.hpp>

#include <functional>
#include <optional>
#include <string>

#include "sok/index/article.h"
#include "support.h"

namespace sok::test {
namespace {

Article sample_article() {
  Article a;
  a.id = "sv-nyhet-1";
  a.url = "https://flemingsberg-science.se/nyheter/2024/nyhet-1/";
  a.language = Language::sv;
  a.type = ArticleType::news;
  a.title = "Nytt labb för cellterapi";
  a.summary = "Karolinska Institutet öppnar ett labb.";
  a.body = "Labbet i Huddinge är öppet för forskare och företag.";
  a.published = Date{2024, 3, 14};
  a.updated = Date{2024, 3, 15};
  a.tags = {"cellterapi", "labb"};
  a.partners = {"Karolinska Institutet"};
  a.author = "Anna Berg";
  a.origin = "corpus/articles-sv.jsonl:1";
  return a;
}

}  // namespace

TEST_CASE("parse_date accepts real dates and ISO date-times and rejects everything else",
          "[article][date]") {
  // text, the date it stands for (nullopt: not a date)
  auto [text, expected] = GENERATE(table<std::string, std::optional<Date>>({
      {"2024-03-14", Date{2024, 3, 14}},
      {"1900-01-01", Date{1900, 1, 1}},
      {"2100-12-31", Date{2100, 12, 31}},
      {"2024-03-14T09:00:00+01:00", Date{2024, 3, 14}},
      {"2024-03-14T09:00:00Z", Date{2024, 3, 14}},
      {"2022-10-04T08:30:00", Date{2022, 10, 4}},
      {"2024-03-14 09:00:00", Date{2024, 3, 14}},
      {"2024-12-31 23:59", Date{2024, 12, 31}},
      {"2024-02-29", Date{2024, 2, 29}},
      {"2000-02-29", Date{2000, 2, 29}},
      {"2023-02-29", std::nullopt},
      {"1900-02-29", std::nullopt},
      {"2100-02-29", std::nullopt},
      {"2023-02-30", std::nullopt},
      {"2024-04-31", std::nullopt},
      {"2024-13-01", std::nullopt},
      {"2024-00-10", std::nullopt},
      {"2024-03-00", std::nullopt},
      {"2024-03-32", std::nullopt},
      {"1899-12-31", std::nullopt},
      {"2101-01-01", std::nullopt},
      {"0000-01-01", std::nullopt},
      {"9999-01-01", std::nullopt},
      {"yesterday-ish", std::nullopt},
      {"yesterday", std::nullopt},
      {"", std::nullopt},
      {"2024", std::nullopt},
      {"2024-03", std::nullopt},
      {"2024-3-14", std::nullopt},
      {"14/03/2024", std::nullopt},
      {"2024/03/14", std::nullopt},
      {"20240314", std::nullopt},
      {"2024-03-14x", std::nullopt},
      {"2024-03-1a", std::nullopt},
      {"2024--3-14", std::nullopt},
      {"2024-03--1", std::nullopt},
      {" 2024-03-14", std::nullopt},
      {"+024-03-14", std::nullopt},
  }));
  CAPTURE(text);
  CHECK(parse_date(text) == expected);
}

TEST_CASE("A date prints as YYYY-MM-DD and as a YYYYMMDD key that sorts as the dates do",
          "[article][date]") {
  auto [date, iso, sortable] = GENERATE(table<Date, std::string, std::string>({
      {Date{2024, 3, 14}, "2024-03-14", "20240314"},
      {Date{1900, 1, 1}, "1900-01-01", "19000101"},
      {Date{2100, 12, 31}, "2100-12-31", "21001231"},
      {Date{2009, 10, 5}, "2009-10-05", "20091005"},
  }));
  CAPTURE(iso);
  CHECK(date.iso() == iso);
  CHECK(date.sortable() == sortable);
  CHECK(parse_date(date.iso()) == date);

  // Keys compare as the dates do, across day, month and year boundaries.
  const Date earlier{2023, 12, 31};
  const Date later{2024, 1, 1};
  CHECK(earlier.sortable() < later.sortable());
  CHECK(Date{2024, 2, 9}.sortable() < Date{2024, 2, 10}.sortable());
  CHECK(Date{2024, 9, 30}.sortable() < Date{2024, 10, 1}.sortable());
}

TEST_CASE("Article type names round-trip", "[article]") {
  auto [type, name] = GENERATE(table<ArticleType, std::string>({
      {ArticleType::news, "news"},
      {ArticleType::event, "event"},
      {ArticleType::partner, "partner"},
      {ArticleType::page, "page"},
  }));
  CAPTURE(name);
  CHECK(article_type_name(type) == name);
  CHECK(parse_article_type(name) == type);
}

TEST_CASE("Names other than the four type names do not parse as a type", "[article]") {
  const std::string other = GENERATE(as<std::string>{}, "", "blog", "News", "NEWS", "post",
                                     "events", " news", "news ", "nyhet");
  CAPTURE(other);
  CHECK_FALSE(parse_article_type(other).has_value());
}

TEST_CASE("The content hash is 16 hex digits, stable, and the same for equal articles",
          "[article][hash]") {
  const Article a = sample_article();
  const std::string hash = content_hash(a);
  REQUIRE(hash.size() == 16);
  CHECK(hash.find_first_not_of("0123456789abcdef") == std::string::npos);
  CHECK(content_hash(a) == hash);
  const Article copy = a;
  CHECK(content_hash(copy) == hash);
  // FNV-1a has no seed: an empty article hashes the same in every run.
  CHECK(content_hash(Article{}) == content_hash(Article{}));
  CHECK(content_hash(Article{}) != hash);
}

TEST_CASE("The content hash changes with every field an article shows", "[article][hash]") {
  using Change = std::function<void(Article&)>;
  auto [field, change] = GENERATE(table<std::string, Change>({
      {"id", [](Article& a) { a.id += "x"; }},
      {"url", [](Article& a) { a.url += "?x"; }},
      {"language", [](Article& a) { a.language = Language::en; }},
      {"language unknown", [](Article& a) { a.language = Language::unknown; }},
      {"type", [](Article& a) { a.type = ArticleType::event; }},
      {"title", [](Article& a) { a.title += "!"; }},
      {"summary", [](Article& a) { a.summary = ""; }},
      {"body", [](Article& a) { a.body += " Mer text."; }},
      {"body, one letter", [](Article& a) { a.body[0] = 'l'; }},
      {"published", [](Article& a) { a.published = Date{2024, 3, 15}; }},
      {"published removed", [](Article& a) { a.published.reset(); }},
      {"updated", [](Article& a) { a.updated = Date{2025, 1, 1}; }},
      {"updated removed", [](Article& a) { a.updated.reset(); }},
      {"tags", [](Article& a) { a.tags.push_back("genterapi"); }},
      {"tags order", [](Article& a) { std::swap(a.tags[0], a.tags[1]); }},
      {"partners", [](Article& a) { a.partners.clear(); }},
      {"author", [](Article& a) { a.author = "Bo Ek"; }},
      {"a tag moved to the partners",
       [](Article& a) {
         a.partners.insert(a.partners.begin(), a.tags.back());
         a.tags.pop_back();
       }},
      {"text moved between title and summary",
       [](Article& a) {
         a.summary = a.title.substr(a.title.size() - 5) + a.summary;
         a.title.resize(a.title.size() - 5);
       }},
  }));
  CAPTURE(field);
  const Article original = sample_article();
  Article changed = original;
  change(changed);
  CHECK(content_hash(changed) != content_hash(original));
}

TEST_CASE("The content hash does not depend on where the article was read", "[article][hash]") {
  const Article a = sample_article();
  Article moved = a;
  moved.origin = "site/nyheter/nyhet-1.html";
  CHECK(content_hash(moved) == content_hash(a));
  moved.origin.clear();
  CHECK(content_hash(moved) == content_hash(a));
}

}  // namespace sok::test
