#include "sok/searchd/page.h"

#include <catch2/catch.hpp>

#include "sok/index/snippet.h"
#include "sok/searchd/web_files.h"
#include "support.h"

namespace sok::test {
namespace {

using searchd::PageState;
using searchd::RawParams;
using searchd::Texts;
using searchd::WebFiles;

const std::string kWebRoot = std::string(SOK_SOURCE_DIR) + "/searchd/web";

const WebFiles& web() {
  static const WebFiles files = WebFiles::load(kWebRoot);
  return files;
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// The query string of a page URL as raw parameters, as the server receives them.
RawParams params_of(const std::string& url) {
  RawParams out;
  const std::size_t question = url.find('?');
  if (question == std::string::npos) return out;
  std::string rest = url.substr(question + 1);
  while (!rest.empty()) {
    const std::size_t amp = rest.find('&');
    const std::string item = rest.substr(0, amp);
    const std::size_t eq = item.find('=');
    out.emplace_back(item.substr(0, eq), eq == std::string::npos ? "" : item.substr(eq + 1));
    rest = amp == std::string::npos ? "" : rest.substr(amp + 1);
  }
  return out;
}

Hit editor_hit(std::string url) {
  Hit hit;
  hit.id = "x";
  hit.url = std::move(url);
  hit.title = "Zyx <img src=x onerror=alert(1)>";
  hit.title_html = "<mark>Zyx</mark> &lt;img src=x onerror=alert(1)&gt;";
  hit.snippet_html = "<mark>Zyx</mark> &lt;script&gt;alert(2)&lt;/script&gt;";
  hit.type = "news";
  hit.language = "sv";
  hit.published = "2024-03-01";
  return hit;
}

PageState state_with_hits(std::vector<Hit> hits) {
  PageState state;
  state.request.query = "zyx";
  state.request.size = 10;
  SearchResponse response;
  response.total = hits.size();
  response.hits = std::move(hits);
  response.facets = {{"type", {{"news", 3}, {"event", 1}}}, {"year", {{"2024", 4}}}};
  state.response = std::move(response);
  return state;
}

}  // namespace

TEST_CASE("The interface language follows the visitor's choice, then Accept-Language, then Swedish",
          "[page]") {
  auto [ui, accept, expected] = GENERATE(table<std::string, std::string, Language>({
      {"", "", Language::sv},
      {"", "sv-SE,sv;q=0.9,en;q=0.8", Language::sv},
      {"", "en-GB,en;q=0.9", Language::en},
      {"", "de-DE,de;q=0.9,en;q=0.5", Language::en},
      {"", "fr-FR", Language::sv},
      {"", "en;q=0.4, sv;q=0.7", Language::sv},
      {"en", "sv-SE", Language::en},
      {"sv", "en-US", Language::sv},
  }));
  CAPTURE(ui, accept);
  CHECK(searchd::interface_language(ui, accept) == expected);
}

TEST_CASE("A page URL read back gives the same search", "[page]") {
  SearchRequest request;
  request.query = "cellterapi & Karolinska \"KI:s\"";
  request.types = {ArticleType::news, ArticleType::event};
  request.languages = {Language::sv};
  request.years = {2024};
  request.tags = {"life science, Stockholm"};
  request.partners = {"Karolinska Institutet"};
  request.sort = SortOrder::newest;
  request.page = 3;
  const std::string url = searchd::page_url(request, Language::en, true);
  std::string ui;
  const auto back = searchd::parse_page_params(params_of(url), {}, ui);
  REQUIRE(back.ok());
  CHECK(ui == "en");
  CHECK(back.value().query == request.query);
  CHECK(back.value().types == request.types);
  CHECK(back.value().languages == request.languages);
  CHECK(back.value().years == request.years);
  CHECK(back.value().tags == request.tags);
  CHECK(back.value().partners == request.partners);
  CHECK(back.value().sort == request.sort);
  CHECK(back.value().page == 3);
  CHECK(back.value().size == 10);
}

TEST_CASE("The page ignores parameters that links carry along but refuses bad values", "[page]") {
  std::string ui;
  CHECK(searchd::parse_page_params({{"q", "labb"}, {"utm_source", "nyhetsbrev"}}, {}, ui).ok());
  const auto bad_page = searchd::parse_page_params({{"q", "labb"}, {"page", "-1"}}, {}, ui);
  REQUIRE_FALSE(bad_page.ok());
  CHECK(bad_page.error().parameter == "page");
  const auto bad_ui = searchd::parse_page_params({{"ui", "de"}}, {}, ui);
  REQUIRE_FALSE(bad_ui.ok());
  CHECK(bad_ui.error().parameter == "ui");
}

TEST_CASE("Editors' markup reaches the page as text and only <mark> as markup", "[page]") {
  const std::string page = searchd::render_page(
      state_with_hits({editor_hit("https://example.se/a")}), web().texts(Language::sv));
  CHECK_FALSE(contains(page, "<img src=x"));
  CHECK_FALSE(contains(page, "<script>alert"));
  CHECK(contains(page, "&lt;img src=x onerror=alert(1)&gt;"));
  CHECK(contains(page, "<mark>Zyx</mark>"));
  CHECK(contains(page, "href=\"https://example.se/a\""));
}

TEST_CASE("A hit's link is left out when its URL could run script", "[page]") {
  auto url = GENERATE(as<std::string>{}, "javascript:alert(1)", " JavaScript:alert(1)",
                      "data:text/html,x", "//evil.example/", "vbscript:x");
  CAPTURE(url);
  const std::string page =
      searchd::render_page(state_with_hits({editor_hit(url)}), web().texts(Language::sv));
  CHECK_FALSE(contains(page, "href=\"" + escape_html(url)));
  CHECK(contains(page, "<h3><mark>Zyx</mark> &lt;img"));
}

TEST_CASE(
    "Facets are checkboxes with counts; a chosen value stays listed and has a chip to remove it",
    "[page]") {
  PageState state = state_with_hits({editor_hit("/a")});
  state.request.types = {ArticleType::partner};
  const std::string html = searchd::render_results(state, web().texts(Language::sv));
  CHECK(contains(html, "name=\"type:news\" value=\"1\"> Nyhet <span class=\"count\">3</span>"));
  CHECK(contains(
      html, "name=\"type:partner\" value=\"1\" checked> Partner <span class=\"count\">0</span>"));
  CHECK(contains(html, "aria-label=\"Ta bort filtret Partner\""));
}

TEST_CASE("The interface texts come in English too", "[page]") {
  PageState state = state_with_hits({editor_hit("/a")});
  state.ui = Language::en;
  const std::string page = searchd::render_page(state, web().texts(Language::en));
  CHECK(contains(page, "<html lang=\"en\">"));
  CHECK(contains(page, "1 March 2024"));
  CHECK(contains(page, "Best match"));
  CHECK(contains(page, "hreflang=\"sv\""));
}

TEST_CASE("Ticked boxes of the form read as the facet's list", "[page]") {
  std::string ui;
  const auto request = searchd::parse_page_params(
      {{"q", "labb"}, {"type%3Anews", "1"}, {"type:event", "1"}, {"tag:life%20science", "1"}}, {},
      ui);
  REQUIRE(request.ok());
  CHECK(request.value().types == std::vector<ArticleType>{ArticleType::news, ArticleType::event});
  CHECK(request.value().tags == std::vector<std::string>{"life science"});
}

TEST_CASE("Only the web folder's own files are served", "[page]") {
  CHECK(web().find("/static/app.js") != nullptr);
  CHECK(web().find("/static/style.css") != nullptr);
  CHECK(web().find("/widget.js") != nullptr);
  auto path = GENERATE(as<std::string>{}, "/static/../../etc/passwd", "/../../etc/passwd",
                       "/static/%2e%2e/%2e%2e/etc/passwd", "/static/", "/i18n/sv.json",
                       "/static/app.js/..");
  CAPTURE(path);
  CHECK(web().find(path) == nullptr);
}

TEST_CASE("Static files carry a validator and a smaller gzip form", "[page]") {
  const auto* app = web().find("/static/app.js");
  REQUIRE(app != nullptr);
  CHECK(app->content_type == "text/javascript; charset=utf-8");
  CHECK(app->etag.size() == 18);
  CHECK_FALSE(app->gzipped.empty());
  CHECK(app->gzipped.size() < app->body.size());
  CHECK(app->gzipped.substr(0, 2) == "\x1f\x8b");
}

TEST_CASE("Interface texts that cannot be used stop the start with the file named", "[page]") {
  TempDir dir;
  const std::string file = dir / "sv.json";
  auto [content, message] = GENERATE(table<std::string, std::string>({
      {"not json", "not JSON"},
      {"[1, 2]", "must be a JSON object"},
      {"{\"heading\": 3}", "\"heading\" must be a string"},
  }));
  write_file(file, content);
  CHECK_THROWS_WITH(Texts::load(file), Catch::Contains(file) && Catch::Contains(message));
}

}  // namespace sok::test
