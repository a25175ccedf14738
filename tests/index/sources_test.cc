// Reading sources (read_sources): JSON Lines files line by line with
// issues that name the file and line, folders in name order, HTML pages,
// WordPress exports, paths that are not sources, and the byte counts that
// progress reports are made of.

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>
#include <vector>

#include "sok/index/article.h"
#include "sok/index/sources.h"
#include "support.h"

namespace sok::test {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

// A small page that article_from_html() accepts.
std::string small_page(const std::string& title) {
  return "<!DOCTYPE html><html lang=\"sv\"><head><title>" + title +
         "</title></head><body><main><h1>" + title + "</h1><p>Text om " + title +
         ".</p></main></body></html>\n";
}

// A WordPress REST item as /wp/v2/posts?_embed gives it.
json wordpress_item(long long id, const std::string& type, const std::string& lang) {
  json item = {
      {"id", id},
      {"type", type},
      {"link", "https://flemingsberg-science.se/?p=" + std::to_string(id)},
      {"date", "2026-09-08T08:30:00"},
      {"modified", "2026-09-09T10:12:44"},
      {"title", {{"rendered", "Nytt mentorprogram &#8211; startups"}}},
      {"excerpt", {{"rendered", "<p>Tolv bolag f&aring;r en mentor.</p>\n"}}},
      {"content",
       {{"rendered",
         "<p>Flemingsberg Science startar ett <strong>mentorprogram</strong>.</p>\n"
         "<ul>\n<li>Sex träffar</li>\n<li>En pitchdag</li>\n</ul>\n"}}},
  };
  const auto term = [](int term_id, const char* taxonomy, const char* name) {
    return json{{"id", term_id}, {"taxonomy", taxonomy}, {"name", name}};
  };
  item["_embedded"] = json::object();
  item["_embedded"]["wp:term"] =
      json::array({json::array({term(3, "category", "Nyheter")}),
                   json::array({term(11, "post_tag", "inkubator"),
                                term(14, "post_tag", "aff&auml;rsutveckling")})});
  if (!lang.empty()) item["lang"] = lang;
  return item;
}

}  // namespace

TEST_CASE("A JSON Lines file gives its good lines and one issue per bad line, by line number",
          "[sources][jsonl]") {
  const TempDir dir;
  const std::string file = dir / "news.jsonl";
  json bad_date = sample_record("bad-date");
  bad_date["published"] = "2023-02-30";
  json missing_id = sample_record("x");
  missing_id.erase("id");
  std::string content;
  content += jsonl_line(sample_record("a"));                             // 1
  content += "{\"id\": \"broken\", \"title\": \n";                       // 2 not JSON
  content += "\n";                                                       // 3 blank
  content += jsonl_line(sample_record("b"));                             // 4
  content += jsonl_line(missing_id);                                     // 5
  content += "   \t\r\n";                                                // 6 blank
  content += jsonl_line(bad_date);                                       // 7
  content += "{\"id\": \"utf8\", \"title\": \"bad \xFF\xFE bytes\"}\n";  // 8 invalid UTF-8
  content += jsonl_line(sample_record("c"));                             // 9
  content += "{\"id\": \"big\", \"title\": \"x\", \"body\": \"" + std::string(5000, 'a') +
             "\"}\n";                             // 10 too large
  content += sample_record("d").dump() + "\r\n";  // 11 CRLF
  content += "[1, 2, 3]\n";                       // 12 not an object
  content += jsonl_line(sample_record("e"));      // 13
  write_file(file, content);

  RecordingSink sink;
  read_sources({file}, sink, SourceLimits{.max_record_bytes = 4096});
  INFO(sink.dump_issues());
  CHECK(sink.article_ids() == std::vector<std::string>{"a", "b", "c", "d", "e"});
  REQUIRE(sink.issue_origins() == std::vector<std::string>{file + ":2", file + ":5", file + ":7",
                                                           file + ":8", file + ":10",
                                                           file + ":12"});
  CHECK(contains(sink.issues[0].message, "not valid JSON"));
  CHECK(contains(sink.issues[1].message, "missing id"));
  CHECK(contains(sink.issues[2].message, "published"));
  CHECK(contains(sink.issues[2].message, "2023-02-30"));
  CHECK(contains(sink.issues[3].message, "not valid JSON"));
  CHECK(contains(sink.issues[3].message, "UTF-8"));
  CHECK(contains(sink.issues[4].message, "limit"));
  CHECK(contains(sink.issues[5].message, "JSON object"));
  for (const auto& issue : sink.issues) {
    CAPTURE(issue.message);
    CHECK(issue.message.find('\n') == std::string::npos);
    CHECK_FALSE(contains(issue.message, "[json.exception"));
  }
  // Articles know where they came from.
  REQUIRE(sink.articles.size() == 5);
  CHECK(sink.articles[0].origin == file + ":1");
  CHECK(sink.articles[1].origin == file + ":4");
  CHECK(sink.articles[2].origin == file + ":9");
  CHECK(sink.articles[3].origin == file + ":11");
  CHECK(sink.articles[4].origin == file + ":13");
}

TEST_CASE("A record over the limit is rejected without parsing, and reading goes on",
          "[sources][jsonl]") {
  const TempDir dir;
  const std::string file = dir / "big.jsonl";
  // 3 MB of a record that is not even JSON: it must not be parsed at all.
  std::string huge =
      "{\"id\": \"huge\", \"title\": \"x\", \"body\": \"" + std::string(3 << 20, 'a');
  write_file(
      file, jsonl_line(sample_record("before")) + huge + "\n" + jsonl_line(sample_record("after")));
  RecordingSink sink;
  read_sources({file}, sink, SourceLimits{.max_record_bytes = 1 << 20});
  INFO(sink.dump_issues());
  CHECK(sink.article_ids() == std::vector<std::string>{"before", "after"});
  REQUIRE(sink.issues.size() == 1);
  CHECK(sink.issues[0].origin == file + ":2");
  CHECK(contains(sink.issues[0].message, "3.0 MiB"));
  CHECK(contains(sink.issues[0].message, "1.0 MiB limit"));
}

TEST_CASE("A 50 MB line is rejected as too large under the default limit", "[sources][jsonl]") {
  const TempDir dir;
  const std::string file = dir / "huge.jsonl";
  {
    std::string content = jsonl_line(sample_record("before"));
    json huge = sample_record("huge");
    huge["body"] = std::string(50u << 20, 'x');
    content += jsonl_line(huge);
    content += jsonl_line(sample_record("after"));
    write_file(file, content);
  }
  REQUIRE(fs::file_size(file) > (50u << 20));
  RecordingSink sink;
  read_sources({file}, sink);
  INFO(sink.dump_issues());
  CHECK(sink.article_ids() == std::vector<std::string>{"before", "after"});
  REQUIRE(sink.issues.size() == 1);
  CHECK(sink.issues[0].origin == file + ":2");
  CHECK(contains(sink.issues[0].message, "50.0 MiB"));
  CHECK(contains(sink.issues[0].message, "8.0 MiB limit"));
}

TEST_CASE("A folder is read recursively in name order and other files are passed over",
          "[sources][folder]") {
  const TempDir dir;
  const fs::path root = dir.path() / "site";
  write_file(root / "b.jsonl", jsonl_line(sample_record("b1")) + jsonl_line(sample_record("b2")));
  write_file(root / "a" / "z.jsonl", jsonl_line(sample_record("az")));
  write_file(root / "a" / "page.html", small_page("Sidan"));
  write_file(root / "c" / "deep" / "d.ndjson", jsonl_line(sample_record("cdd")));
  write_file(root / "wp.json", json::array({wordpress_item(17, "post", "sv")}).dump());
  write_file(root / "README.md", "# Not a source\n");
  write_file(root / "notes.txt", "not a source either\n");
  write_file(root / "a" / "logo.png", "\x89PNG\r\n");
  write_file(root / "UPPER.JSONL", jsonl_line(sample_record("upper")));

  RecordingSink sink;
  read_sources({root.string()}, sink);
  INFO(sink.dump_issues());
  CHECK(sink.issues.empty());
  CHECK(sink.article_ids() == std::vector<std::string>{"upper", (root / "a" / "page.html").string(),
                                                       "az", "b1", "b2", "cdd", "wp-post-17"});
}

TEST_CASE("A path that is missing or not a kind of source is one issue, and reading goes on",
          "[sources]") {
  const TempDir dir;
  const std::string good = dir / "good.jsonl";
  const std::string missing = dir / "missing.jsonl";
  const std::string missing_folder = dir / "no-such-folder";
  const std::string text = dir / "notes.txt";
  const std::string markdown = dir / "README.md";
  write_file(good, jsonl_line(sample_record("g")));
  write_file(text, jsonl_line(sample_record("t")));
  write_file(markdown, "# Hej\n");

  RecordingSink sink;
  read_sources({missing, text, good, missing_folder, markdown}, sink);
  INFO(sink.dump_issues());
  CHECK(sink.article_ids() == std::vector<std::string>{"g"});
  REQUIRE(sink.issue_origins() ==
          std::vector<std::string>{missing, text, missing_folder, markdown});
  CHECK(contains(sink.issues[0].message, "no such file"));
  CHECK(contains(sink.issues[1].message, "unknown kind of source"));
  CHECK(contains(sink.issues[2].message, "no such file or folder"));
  CHECK(contains(sink.issues[3].message, "unknown kind of source"));
}

TEST_CASE("An HTML file is one article, or one issue naming the file", "[sources][html]") {
  const TempDir dir;
  const std::string good = dir / "good.html";
  const std::string text = dir / "text.htm";
  const std::string large = dir / "large.html";
  write_file(good, small_page("Bra sida"));
  write_file(text, "Bara text utan taggar.\n");
  write_file(large, small_page(std::string(5000, 'x')));

  RecordingSink sink;
  read_sources({good, text, large}, sink, SourceLimits{.max_record_bytes = 4096});
  INFO(sink.dump_issues());
  CHECK(sink.article_ids() == std::vector<std::string>{good});
  REQUIRE(sink.issue_origins() == std::vector<std::string>{text, large});
  CHECK(contains(sink.issues[0].message, "not an HTML page"));
  CHECK(contains(sink.issues[1].message, "limit"));
}

TEST_CASE("A WordPress export gives one article per post or page", "[sources][wordpress]") {
  const TempDir dir;
  const std::string file = dir / "posts.json";
  json items = json::array();
  items.push_back(wordpress_item(17, "post", "sv"));
  items.push_back(wordpress_item(87, "page", "en"));
  items.push_back(wordpress_item(90, "event", ""));
  json no_id = wordpress_item(0, "post", "sv");
  no_id.erase("id");
  items.push_back(no_id);
  json bad_date = wordpress_item(20, "post", "sv");
  bad_date["date"] = "2023-02-30T10:00:00";
  items.push_back(bad_date);
  items.push_back("not an item");
  write_file(file, items.dump(2));

  RecordingSink sink;
  read_sources({file}, sink);
  INFO(sink.dump_issues());
  REQUIRE(sink.article_ids() ==
          std::vector<std::string>{"wp-post-17", "wp-page-87", "wp-event-90"});
  const Article& post = sink.articles[0];
  CHECK(post.type == ArticleType::news);
  CHECK(sink.articles[1].type == ArticleType::page);
  CHECK(sink.articles[2].type == ArticleType::event);
  CHECK(post.language == Language::sv);
  CHECK(sink.articles[1].language == Language::en);
  CHECK(sink.articles[2].language == Language::unknown);
  CHECK(post.url == "https://flemingsberg-science.se/?p=17");
  CHECK(post.title == "Nytt mentorprogram \u2013 startups");
  CHECK(post.summary == "Tolv bolag får en mentor.");
  CHECK(post.body == "Flemingsberg Science startar ett mentorprogram.\nSex träffar\nEn pitchdag");
  CHECK(post.published == Date{2026, 9, 8});
  CHECK(post.updated == Date{2026, 9, 9});
  CHECK(post.tags == std::vector<std::string>{"Nyheter", "inkubator", "affärsutveckling"});
  CHECK(post.origin == file + ": item 1 (id 17)");

  REQUIRE(sink.issues.size() == 3);
  CHECK(sink.issues[0].origin == file + ": item 4");
  CHECK(contains(sink.issues[0].message, "missing id"));
  CHECK(sink.issues[1].origin == file + ": item 5 (id 20)");
  CHECK(contains(sink.issues[1].message, "published"));
  CHECK(sink.issues[2].origin == file + ": item 6");
  CHECK(contains(sink.issues[2].message, "JSON object"));
}

TEST_CASE("The corpus WordPress export gives its four items", "[sources][wordpress][corpus]") {
  RecordingSink sink;
  read_sources({source_path("corpus/wordpress/posts.json")}, sink);
  INFO(sink.dump_issues());
  CHECK(sink.issues.empty());
  REQUIRE(sink.article_ids() ==
          std::vector<std::string>{"wp-post-4120", "wp-post-4133", "wp-page-87", "wp-post-4150"});
  CHECK(sink.articles[0].tags ==
        std::vector<std::string>{"Nyheter", "inkubator", "affärsutveckling"});
  CHECK(sink.articles[0].type == ArticleType::news);
  CHECK(sink.articles[2].type == ArticleType::page);
  CHECK(sink.articles[1].language == Language::en);
  CHECK(sink.articles[3].language == Language::unknown);
  CHECK(sink.articles[3].title == "Vardagsnära AI i primärvården \u2013 ny testbädd i Huddinge");
  for (const auto& article : sink.articles) {
    CAPTURE(article.id);
    CHECK_FALSE(contains(article.body, "<p>"));
    CHECK_FALSE(contains(article.body, "&#"));
    CHECK_FALSE(article.body.empty());
  }
}

TEST_CASE("A WordPress file that is not an array of items is one issue", "[sources][wordpress]") {
  auto [what, content, words] = GENERATE(table<std::string, std::string, std::string>({
      {"not JSON", "<html>an error page</html>", "not valid JSON"},
      {"cut short", "[{\"id\": 17, \"title\": {\"rendered\": \"x\"}", "not valid JSON"},
      {"an object", "{\"id\": 17, \"type\": \"post\"}", "JSON array"},
      {"a string", "\"posts\"", "JSON array"},
      {"empty", "", "not valid JSON"},
  }));
  CAPTURE(what);
  const TempDir dir;
  const std::string file = dir / "export.json";
  write_file(file, content);
  RecordingSink sink;
  read_sources({file}, sink);
  INFO(sink.dump_issues());
  CHECK(sink.articles.empty());
  REQUIRE(sink.issues.size() == 1);
  CHECK(sink.issues[0].origin == file);
  CHECK(contains(sink.issues[0].message, words));
}

TEST_CASE("An empty WordPress export gives nothing and no issue", "[sources][wordpress]") {
  const TempDir dir;
  const std::string file = dir / "empty.json";
  write_file(file, "[]");
  RecordingSink sink;
  read_sources({file}, sink);
  CHECK(sink.articles.empty());
  CHECK(sink.issues.empty());
}

TEST_CASE("Progress reports count up to the bytes of all the sources", "[sources][progress]") {
  const TempDir dir;
  const std::string lines = dir / "a.jsonl";
  const std::string html = dir / "b.html";
  const std::string wp = dir / "c.json";
  std::string content;
  for (int i = 0; i < 20; ++i) content += jsonl_line(sample_record("r" + std::to_string(i)));
  content += "\n";
  content += "not json\n";
  write_file(lines, content);
  write_file(html, small_page("Sida"));
  write_file(wp, json::array({wordpress_item(1, "post", "sv")}).dump());

  RecordingSink sink;
  const std::vector<std::string> paths = {lines, html, wp};
  read_sources(paths, sink);
  REQUIRE(sink.progress_reports.size() >= 22);
  for (std::size_t i = 1; i < sink.progress_reports.size(); ++i) {
    CAPTURE(i);
    CHECK(sink.progress_reports[i] > sink.progress_reports[i - 1]);
  }
  CHECK(sink.progress_reports.back() == source_bytes(paths));
  CHECK(sink.progress_reports.front() > 0);
}

TEST_CASE("source_bytes sums the sizes of the files read_sources would read",
          "[sources][progress]") {
  const TempDir dir;
  const fs::path root = dir.path() / "site";
  write_file(root / "a.jsonl", std::string(1000, '\n'));
  write_file(root / "sub" / "b.html", std::string(300, ' '));
  write_file(root / "README.md", std::string(5000, '#'));
  const std::string single = dir / "single.jsonl";
  write_file(single, std::string(77, '\n'));

  CHECK(source_bytes({root.string()}) == 1300);
  CHECK(source_bytes({single}) == 77);
  CHECK(source_bytes({root.string(), single}) == 1377);
  CHECK(source_bytes({dir / "missing"}) == 0);
  CHECK(source_bytes({}) == 0);
  const std::string corpus = source_path("corpus");
  std::size_t expected = 0;
  for (const auto& entry : fs::recursive_directory_iterator(corpus)) {
    const std::string ext = entry.path().extension().string();
    if (entry.is_regular_file() && (ext == ".jsonl" || ext == ".html" || ext == ".json"))
      expected += entry.file_size();
  }
  CHECK(source_bytes({corpus}) == expected);
}

TEST_CASE("A JSON Lines file may start with a byte order mark", "[sources][jsonl]") {
  const TempDir dir;
  const std::string file = dir / "bom.jsonl";
  write_file(file, "\xEF\xBB\xBF" + jsonl_line(sample_record("first")) +
                       jsonl_line(sample_record("second")));
  RecordingSink sink;
  read_sources({file}, sink);
  INFO(sink.dump_issues());
  CHECK(sink.issues.empty());
  CHECK(sink.article_ids() == std::vector<std::string>{"first", "second"});
}

TEST_CASE("A WordPress item may have a string id", "[sources][wordpress]") {
  const TempDir dir;
  const std::string file = dir / "posts.json";
  json item = wordpress_item(0, "post", "sv");
  item["id"] = "abc";
  json no_type = wordpress_item(5, "post", "sv");
  no_type.erase("type");
  write_file(file, json::array({item, no_type}).dump());
  RecordingSink sink;
  read_sources({file}, sink);
  INFO(sink.dump_issues());
  CHECK(sink.issues.empty());
  CHECK(sink.article_ids() == std::vector<std::string>{"wp-post-abc", "wp-post-5"});
}

// Regression (was a bug): read_wordpress_export() (wordpress.cc) puts nlohmann's exception text
// into the message as it is ("not valid JSON: [json.exception.parse_error.101]
// parse error at ..."), where the JSON Lines reader strips the tag.
TEST_CASE("A WordPress file that is not JSON gets a message without the parser's tag",
          "[sources][wordpress]") {
  const TempDir dir;
  const std::string file = dir / "export.json";
  write_file(file, "<html>an error page</html>");
  RecordingSink sink;
  read_sources({file}, sink);
  REQUIRE(sink.issues.size() == 1);
  CAPTURE(sink.issues[0].message);
  CHECK_FALSE(contains(sink.issues[0].message, "[json.exception"));
}

// Regression (was a bug): the parser's message ended in "; last read: '…'",
// the record as read up to the error, so a long record with one ill-formed
// byte (found by fuzz/jsonl and fuzz/wordpress) gave a message as long as
// the record, and not UTF-8, for the indexer's report and the admin jobs.
TEST_CASE("A record with ill-formed UTF-8 gets a short message that does not echo it",
          "[sources][fuzz]") {
  const std::string text(2000, 'x');
  const std::string record = "{\"id\": \"a\", \"title\": \"" + text + "\xff\"}";
  auto [kind, content] = GENERATE_COPY(table<std::string, std::string>({
      {"records.jsonl", record + "\n"},
      {"export.json", "[" + record + "]"},
  }));
  CAPTURE(kind);
  const TempDir dir;
  write_file(dir / kind, content);
  RecordingSink sink;
  read_sources({dir / kind}, sink);
  REQUIRE(sink.issues.size() == 1);
  const std::string& message = sink.issues[0].message;
  CAPTURE(message);
  CHECK(contains(message, "not valid JSON"));
  CHECK(contains(message, "UTF-8"));
  CHECK(contains(message, "column"));
  CHECK(message.size() < 200);
  CHECK_FALSE(contains(message, "xxx"));
  CHECK_FALSE(contains(message, "\xff"));
}

// Regression (was a bug): article_from_item() read link, type, date and
// modified with nlohmann's value(), which throws when the field is there but
// not a string: one such item (found by fuzz/wordpress) ended the indexer
// with an uncaught type_error instead of being one issue.
TEST_CASE("A WordPress item whose link, type or date is not a string is an issue naming it",
          "[sources][wordpress][fuzz]") {
  auto [field, value] = GENERATE(table<std::string, std::string>({
      {"link", "[\"https://example.se/a\"]"},
      {"type", "7"},
      {"date", "{\"rendered\": \"2024-03-14\"}"},
      {"modified", "true"},
  }));
  CAPTURE(field);
  const TempDir dir;
  const std::string file = dir / "export.json";
  write_file(file, "[{\"id\": 1, \"title\": {\"rendered\": \"A\"}, \"" + field + "\": " + value +
                       "}, {\"id\": 2, \"title\": {\"rendered\": \"B\"}, \"link\": null}]");
  RecordingSink sink;
  read_sources({file}, sink);
  REQUIRE(sink.issues.size() == 1);
  CHECK(sink.issues[0].origin == file + ": item 1 (id 1)");
  CHECK(contains(sink.issues[0].message, field + " must be a string"));
  CHECK(sink.article_ids() == std::vector<std::string>{"wp-post-2"});
}

}  // namespace sok::test
