// The route table and handlers called directly, without a socket.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <map>
#include <string>

#include "openapi_validator.h"
#include "sok/searchd/api.h"
#include "support.h"

namespace sok::searchd {
namespace {

using nlohmann::json;

ApiRequest request(std::string method, std::string path, RawParams query = {},
                   std::string origin = "") {
  ApiRequest r;
  r.method = std::move(method);
  r.path = std::move(path);
  r.query = std::move(query);
  r.client = "127.0.0.1";
  r.origin = std::move(origin);
  return r;
}

// One Api over the corpus index for the whole test program.
struct Fixture {
  Fixture() : searchers(test::corpus_index()), api(options(), searchers, metrics) {}

  static ApiOptions options() {
    ApiOptions o;
    o.cors_origins = {"https://flemingsberg-science.se"};
    return o;
  }

  ApiResponse get(const std::string& path, RawParams query = {}, std::string origin = "") {
    return api.handle(request("GET", path, std::move(query), std::move(origin)));
  }

  SearcherPool searchers;
  Metrics metrics;
  Api api;
};

Fixture& fixture() {
  static Fixture instance;
  return instance;
}

json body_of(const ApiResponse& response) {
  return json::parse(response.body);
}

// facet name → value → count.
std::map<std::string, std::map<std::string, int>> facet_counts(const json& body) {
  std::map<std::string, std::map<std::string, int>> out;
  for (const auto& [facet, values] : body["facets"].items()) {
    for (const auto& v : values) out[facet][v["value"].get<std::string>()] = v["count"].get<int>();
  }
  return out;
}

TEST_CASE("Unknown routes are 404, other methods 405, OPTIONS a preflight", "[searchd][api]") {
  auto& f = fixture();
  const ApiResponse missing = f.get("/api/nothing");
  CHECK(missing.status == 404);
  CHECK(missing.route == "unmatched");
  CHECK(body_of(missing)["error"]["code"] == "not_found");

  const ApiResponse post = f.api.handle(request("POST", "/api/search"));
  CHECK(post.status == 405);
  CHECK(body_of(post)["error"]["code"] == "method_not_allowed");
  CHECK(post.headers == Headers{{"Allow", "GET, OPTIONS"}});

  const ApiResponse preflight =
      f.api.handle(request("OPTIONS", "/api/search", {}, "https://flemingsberg-science.se"));
  CHECK(preflight.status == 204);
  CHECK(preflight.body.empty());
  CHECK(std::count(preflight.headers.begin(), preflight.headers.end(),
                   std::pair<std::string, std::string>{"Access-Control-Allow-Origin",
                                                       "https://flemingsberg-science.se"}) == 1);
}

TEST_CASE("CORS headers go only to the configured origins", "[searchd][api]") {
  auto& f = fixture();
  const auto allowed = f.get("/healthz", {}, "https://flemingsberg-science.se").headers;
  CHECK(allowed == Headers{{"Access-Control-Allow-Origin", "https://flemingsberg-science.se"},
                           {"Vary", "Origin"}});
  CHECK(f.get("/healthz", {}, "https://elsewhere.example").headers.empty());
  CHECK(f.get("/healthz").headers.empty());
}

TEST_CASE("A search answers with hits, highlights, facets and the query as understood",
          "[searchd][api]") {
  auto& f = fixture();
  const ApiResponse response = f.get("/api/search", {{"q", "forskning"}, {"size", "3"}});
  REQUIRE(response.status == 200);
  CHECK(response.route == "/api/search");
  const json body = body_of(response);
  CHECK(body["query"] == "forskning");
  CHECK(body["total"].get<int>() > 3);
  CHECK(body["hits"].size() == 3);
  CHECK_THAT(body["hits"][0]["snippet"].get<std::string>(), Catch::Contains("<mark>"));
  CHECK_THAT(body["understood"].get<std::string>(), Catch::Contains("forskning"));
  CHECK(body["facets"].size() == 5);
  const json openapi = json::parse(openapi_document());
  CHECK(test::schema_violations(openapi, "SearchResponse", body).empty());
}

TEST_CASE("Facet counts are disjunctive within a facet and conjunctive across facets",
          "[searchd][api]") {
  auto& f = fixture();
  const auto all = facet_counts(body_of(f.get("/api/search", {{"q", "forskning"}})));
  const auto news =
      facet_counts(body_of(f.get("/api/search", {{"q", "forskning"}, {"type", "news"}})));
  REQUIRE(all.at("type").size() > 1);
  CHECK(news.at("type") == all.at("type"));  // the type filter does not narrow its own facet
  CHECK(news.at("lang") != all.at("lang"));  // but it narrows the others
  int news_in_languages = 0;
  for (const auto& [language, count] : news.at("lang")) news_in_languages += count;
  CHECK(news_in_languages == all.at("type").at("news"));
}

TEST_CASE("An empty search lists the newest articles first", "[searchd][api]") {
  const json body = body_of(fixture().get("/api/search", {{"q", ""}, {"size", "5"}}));
  REQUIRE(body["hits"].size() == 5);
  for (std::size_t i = 1; i < body["hits"].size(); ++i) {
    CHECK(body["hits"][i - 1]["date"].get<std::string>() >=
          body["hits"][i]["date"].get<std::string>());
  }
}

TEST_CASE("Bad parameters are 400 JSON errors naming them", "[searchd][api]") {
  const ApiResponse response = fixture().get("/api/search", {{"size", "100000"}});
  CHECK(response.status == 400);
  CHECK(body_of(response) == json::parse(R"({"error": {"code": "invalid_parameter",
                        "message": "size must be a whole number from 1 to 100",
                        "parameter": "size"}})"));
}

TEST_CASE("Documents are found by their decoded id, and unknown ids are 404", "[searchd][api]") {
  auto& f = fixture();
  const std::string id = body_of(f.get("/api/search", {{"size", "1"}}))["hits"][0]["id"];
  const ApiResponse found = f.get("/api/documents/" + id);
  REQUIRE(found.status == 200);
  CHECK(body_of(found)["id"] == id);
  CHECK(found.route == "/api/documents/{id}");
  CHECK(f.get("/api/documents/no-such-article").status == 404);
  CHECK(f.get("/api/documents/" + std::string(300, 'x')).status == 404);
  CHECK(f.get("/api/documents/%zz").status == 400);
  CHECK(f.get("/api/documents/").status == 404);
  CHECK(f.get("/api/documents/a/b").status == 404);
  CHECK(f.get("/api/documents/" + id, {{"x", "1"}}).status == 400);
}

TEST_CASE("Metrics count requests by route and status, zero-hit searches and the index",
          "[searchd][api]") {
  auto& f = fixture();
  f.get("/api/search", {{"q", "xyzzyqwerty"}});
  f.get("/api/search", {{"page", "0"}});
  const ApiResponse metrics = f.get("/metrics");
  CHECK(metrics.status == 200);
  CHECK_THAT(metrics.content_type, Catch::StartsWith("text/plain; version=0.0.4"));
  for (const char* line :
       {"sok_http_requests_total{route=\"/api/search\",status=\"400\"}",
        "sok_http_requests_total{route=\"/api/search\",status=\"200\"}",
        "sok_http_request_duration_seconds_bucket{route=\"/api/search\",le=\"0.001\"}",
        "sok_search_zero_hit_queries_total", "sok_index_revision ", "sok_index_size_bytes "}) {
    CHECK_THAT(metrics.body, Catch::Contains(line));
  }
  CHECK_THAT(metrics.body, Catch::Contains("sok_index_documents " +
                                           std::to_string(test::doc_count(test::corpus_index()))));
}

}  // namespace
}  // namespace sok::searchd
