// End-to-end: the real searchd binary on a free loopback port, spoken to
// over plain sockets.
#include <signal.h>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <chrono>
#include <string>
#include <thread>

#include "daemon.h"
#include "openapi_validator.h"
#include "sok/searchd/percent_encoding.h"
#include "support.h"

namespace sok::test {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;
using searchd::percent_encode;

// Timeouts short enough to measure: a malformed request is answered 408
// after 500 ms, an idle keep-alive connection closed after 2 s.
constexpr auto kHeaderTimeout = 500ms;
constexpr auto kKeepAliveTimeout = 2000ms;

// One searchd over the corpus index for the whole test program, started
// with a config file.
Daemon& daemon() {
  static const TempDir folder;
  static Daemon instance = [] {
    write_file(folder / "searchd.toml",
               "[server]\nthreads = 2\ncors_origins = [\"https://flemingsberg-science.se\"]\n"
               "[index]\npaths = [\"" +
                   corpus_index() +
                   "\"]\n[limits]\nheader_timeout_ms = " + std::to_string(kHeaderTimeout.count()) +
                   "\nkeepalive_timeout_ms = " + std::to_string(kKeepAliveTimeout.count()) + "\n");
    return Daemon({"--config", folder / "searchd.toml"});
  }();
  return instance;
}

std::string search(const std::string& query, const std::string& more = "") {
  return "/api/search?q=" + percent_encode(query) + more;
}

std::vector<std::string> hit_ids(const json& body) {
  std::vector<std::string> ids;
  for (const auto& hit : body["hits"]) ids.push_back(hit["id"]);
  return ids;
}

// Whether `response` is a JSON error with `status` naming `parameter` ("" for none).
void check_error(const HttpResponse& response, int status, const std::string& parameter) {
  CHECK(response.status == status);
  CHECK_THAT(response.header("content-type"), Catch::StartsWith("application/json"));
  const json body = response.json();
  REQUIRE(body.contains("error"));
  CHECK(body["error"]["message"].is_string());
  CHECK(body["error"]["code"].is_string());
  CHECK(body["error"]["parameter"] == (parameter.empty() ? json() : json(parameter)));
}

TEST_CASE("searchd prints its address first and answers /healthz", "[searchd][e2e]") {
  CHECK_THAT(daemon().address(), Catch::StartsWith("127.0.0.1:"));
  const HttpResponse health = daemon().get("/healthz");
  CHECK(health.status == 200);
  CHECK(health.json() == json({{"status", "ok"}}));
}

TEST_CASE("Searching over HTTP finds stems and compound parts with marked snippets and facets",
          "[searchd][e2e]") {
  const HttpResponse response = daemon().get(search("forskning", "&size=5"));
  REQUIRE(response.status == 200);
  CHECK_THAT(response.header("content-type"), Catch::StartsWith("application/json"));
  const json body = response.json();
  CHECK(body["hits"].size() == 5);
  CHECK(body["total_exact"] == true);
  CHECK(body["took_ms"].is_number());
  CHECK_THAT(body["hits"][0]["snippet"].get<std::string>(), Catch::Contains("<mark>"));
  CHECK(body["facets"]["type"].size() > 1);
  CHECK(hit_ids(daemon().get(search("FORSKNING", "&size=5")).json()) == hit_ids(body));
}

TEST_CASE("The query string is percent-decoded: escapes, + and raw UTF-8 read alike",
          "[searchd][e2e]") {
  const auto ids = hit_ids(daemon().get("/api/search?q=life%20science").json());
  REQUIRE_FALSE(ids.empty());
  CHECK(hit_ids(daemon().get("/api/search?q=life+science").json()) == ids);
  CHECK(hit_ids(daemon().get("/api/search?q=%6Cife%20%73cience").json()) == ids);
  const auto malmo = daemon().get("/api/search?q=Malm%C3%B6").json();
  CHECK(malmo["query"] == "Malmö");
  CHECK(hit_ids(daemon().get("/api/search?q=Malmö").json()) == hit_ids(malmo));
}

TEST_CASE("Facet filters over HTTP are disjunctive within a facet", "[searchd][e2e]") {
  const json all = daemon().get(search("forskning", "&facets=type")).json();
  // size=100 holds every match, so the totals are exact counts, not estimates.
  const json news = daemon().get(search("forskning", "&facets=type&type=news&size=100")).json();
  const json news_and_events =
      daemon().get(search("forskning", "&facets=type&type=news,event&size=100")).json();
  CHECK(news["total_exact"] == true);
  CHECK(news["facets"]["type"] == all["facets"]["type"]);
  int news_count = 0, event_count = 0;
  for (const auto& v : all["facets"]["type"]) {
    if (v["value"] == "news") news_count = v["count"];
    if (v["value"] == "event") event_count = v["count"];
  }
  CHECK(news["total"] == news_count);
  CHECK(news_and_events["total"] == news_count + event_count);
  for (const auto& hit : news["hits"]) CHECK(hit["type"] == "news");
}

TEST_CASE("Suggest, documents, readyz, metrics and the OpenAPI description answer",
          "[searchd][e2e]") {
  const json suggestions = daemon().get("/api/suggest?q=forskn").json();
  REQUIRE_FALSE(suggestions["suggestions"].empty());
  CHECK_THAT(suggestions["suggestions"][0]["text"].get<std::string>(), Catch::StartsWith("forskn"));

  const std::string id = daemon().get(search("forskning")).json()["hits"][0]["id"];
  const HttpResponse document = daemon().get("/api/documents/" + percent_encode(id));
  CHECK(document.status == 200);
  CHECK(document.json()["id"] == id);

  const json ready = daemon().get("/readyz").json();
  CHECK(ready["status"] == "ready");
  CHECK(ready["documents"] == doc_count(corpus_index()));
  CHECK(ready["age_seconds"].is_number());

  const HttpResponse metrics = daemon().get("/metrics");
  CHECK(metrics.status == 200);
  CHECK_THAT(metrics.header("content-type"), Catch::StartsWith("text/plain"));
  CHECK_THAT(metrics.body, Catch::Contains("# TYPE sok_http_requests_total counter"));
  CHECK_THAT(metrics.body, Catch::Contains("# TYPE sok_http_request_duration_seconds histogram"));

  const json openapi = daemon().get("/api/openapi.json").json();
  CHECK(openapi["openapi"] == "3.0.3");
  CHECK(openapi["paths"].contains("/api/search"));
}

TEST_CASE("Real responses fit the OpenAPI description", "[searchd][e2e]") {
  const json openapi = daemon().get("/api/openapi.json").json();
  const std::string id = daemon().get(search("forskning")).json()["hits"][0]["id"];
  const std::pair<std::string, std::string> cases[] = {
      {search("forskning"), "SearchResponse"},
      {search("forskingen"), "SearchResponse"},  // corrected, with a suggestion
      {search("", "&facets=&sort=-date"), "SearchResponse"},
      {"/api/suggest?q=karolinska+inst", "SuggestResponse"},
      {"/api/documents/" + percent_encode(id), "Document"},
      {"/healthz", "Health"},
      {"/readyz", "Ready"},
      {"/api/search?size=0", "Error"},
      {"/api/documents/none", "Error"},
      {"/nowhere", "Error"},
  };
  for (const auto& [target, schema] : cases) {
    CAPTURE(target, schema);
    const json body = daemon().get(target).json();
    REQUIRE_FALSE(body.is_null());
    CHECK(schema_violations(openapi, schema, body) == std::vector<std::string>{});
  }
}

struct BadRequest {
  std::string target;
  int status;
  std::string parameter;
};

TEST_CASE("Every bad input gets a 4xx JSON error naming the parameter", "[searchd][e2e]") {
  const BadRequest cases[] = {
      {"/api/search?q=" + std::string(10000, 'a'), 400, "q"},
      {"/api/search?q=%FF%FE", 400, "q"},
      {"/api/search?q=%E0%A4%A", 400, "q"},
      {"/api/search?q=100%", 400, "q"},
      {"/api/search?q=%00nul", 400, "q"},
      {"/api/search?q=x&page=-1", 400, "page"},
      {"/api/search?q=x&size=100000", 400, "size"},
      {"/api/search?q=x&snippet=1", 400, "snippet"},
      {"/api/search?q=x&foo=bar", 400, "foo"},
      {"/api/search?q=x&facets=nosuchfacet", 400, "facets"},
      {"/api/search?q=x&from=2026-01-01&to=2020-01-01", 400, "from"},
      {"/api/search?q=x&sort=sideways", 400, "sort"},
      {"/api/search?q=x&lang=de", 400, "lang"},
      {"/api/search?q=x&year=MMXXIV", 400, "year"},
      {"/api/suggest", 400, "q"},
      {"/api/suggest?q=x&size=1000", 400, "size"},
      {"/api/documents/%2e%2e%2f%2e%2e", 404, "id"},
      {"/api/documents/%zz", 400, "id"},
      {"/api/nothing", 404, ""},
      {"/static/../../etc/passwd", 404, ""},
      {"/%2e%2e/%2e%2e/etc/passwd", 404, ""},
  };
  for (const auto& c : cases) {
    CAPTURE(c.target.substr(0, 80));
    check_error(daemon().get(c.target), c.status, c.parameter);
  }
  CHECK(daemon().get("/healthz").status == 200);
}

TEST_CASE("Query syntax the engine cannot read as typed is read sensibly, never an error",
          "[searchd][e2e]") {
  for (const std::string query :
       {"\"unclosed", "title:", "((((", "*", "-", "OR OR OR", "🙂🙂🙂", "研究 forskning",
        "forskn*", "tag:", "\"\"", "partner:\"Karolinska", "-forskning"}) {
    CAPTURE(query);
    const HttpResponse response = daemon().get(search(query));
    CHECK(response.status == 200);
    CHECK(response.json()["hits"].is_array());
  }
  const json unclosed = daemon().get(search("\"unclosed")).json();
  CHECK_FALSE(unclosed["notes"].empty());
}

TEST_CASE("A missing or empty q lists the newest articles", "[searchd][e2e]") {
  const json missing = daemon().get("/api/search?size=3&facets=").json();
  const json empty = daemon().get("/api/search?q=&size=3&facets=").json();
  REQUIRE(missing["hits"].size() == 3);
  CHECK(hit_ids(missing) == hit_ids(empty));
  CHECK(missing["total"] == doc_count(corpus_index()) - kCorpusPagesGivenTwice);
  CHECK(missing["hits"][0]["date"] >= missing["hits"][1]["date"]);
}

TEST_CASE("Wrong methods get 405 with Allow, OPTIONS a CORS preflight", "[searchd][e2e]") {
  const HttpResponse post = http_request(daemon().port(), "POST", "/api/search");
  check_error(post, 405, "");
  CHECK(post.header("allow") == "GET, OPTIONS");
  const HttpResponse preflight = http_request(daemon().port(), "OPTIONS", "/api/search",
                                              {{"Origin", "https://flemingsberg-science.se"}});
  CHECK(preflight.status == 204);
  CHECK(preflight.header("access-control-allow-origin") == "https://flemingsberg-science.se");
  CHECK(daemon()
            .get("/healthz", {{"Origin", "https://evil.example"}})
            .header("access-control-allow-origin")
            .empty());
}

TEST_CASE("A bad Content-Length gets a JSON 400 or 413, never Pistache's 500",
          "[searchd][e2e][pistache]") {
  const std::pair<std::string, int> cases[] = {
      {"-1", 400}, {"abc", 400}, {"99999999999999999999", 400}, {"1000000000", 413}};
  for (const auto& [length, status] : cases) {
    CAPTURE(length);
    HttpConnection connection(daemon().port());
    connection.send("GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: " + length + "\r\n\r\n");
    const HttpResponse response = connection.read_response(3s);
    CHECK(response.status == status);
    CHECK(response.json()["error"]["message"].is_string());
  }
}

TEST_CASE("A malformed request gets a JSON 400 and a close at once, an unfinished one a 408",
          "[searchd][e2e][pistache]") {
  for (const std::string request :
       {"GARBAGE\r\n\r\n", "GET /healthz\r\n\r\n", "GET /healthz HTTP/1.1\r\nHost x\r\n\r\n"}) {
    CAPTURE(request);
    HttpConnection connection(daemon().port());
    const auto start = std::chrono::steady_clock::now();
    connection.send(request);
    const HttpResponse response = connection.read_response(5s);
    CHECK(response.status == 400);
    CHECK(response.json()["error"]["code"] == "bad_request");
    CHECK(connection.closed_within(2s));
    CHECK(seconds_since(start) < 2);
  }
  // Pistache's own 408 (without a body) after the header timeout.
  HttpConnection unfinished(daemon().port());
  const auto start = std::chrono::steady_clock::now();
  unfinished.send("GET /healthz HTTP/1.1\r\nHost: x\r\n");
  CHECK(unfinished.read_response(5s).status == 408);
  CHECK(seconds_since(start) < 3);
}

TEST_CASE("Connections close promptly unless keep-alive was asked for, then after the timeout",
          "[searchd][e2e][pistache]") {
  {
    HttpConnection plain(daemon().port());
    plain.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
    CHECK(plain.read_response(3s).status == 200);
    CHECK(plain.closed_within(1s));
  }
  HttpConnection kept(daemon().port());
  for (int i = 0; i < 3; ++i) {
    kept.send("GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n\r\n");
    CHECK(kept.read_response(3s).status == 200);
  }
  const auto idle_since = std::chrono::steady_clock::now();
  CHECK(kept.closed_within(kKeepAliveTimeout + 3s));
  CHECK(seconds_since(idle_since) > 1);
}

TEST_CASE("Requests over the size limits get 413 or 431 and the daemon stays up",
          "[searchd][e2e][pistache]") {
  {
    HttpConnection connection(daemon().port());
    connection.send("GET /api/search?q=" + std::string(70000, 'a') +
                    " HTTP/1.1\r\nHost: x\r\n\r\n");
    CHECK(connection.read_response(5s).status == 413);
  }
  const HttpResponse big_headers =
      daemon().get("/healthz", {{"X-Filler", std::string(20000, 'x')}});
  check_error(big_headers, 431, "");
  CHECK(daemon().get("/healthz").status == 200);
}

TEST_CASE("An indexer update shows on the next query without a restart", "[searchd][e2e]") {
  const TempDir folder;
  const std::string index = folder / "index";
  copy_index(corpus_index(), index);
  Daemon own({"--index", index, "--threads", "1"});
  const std::string query = search("zebrafiskodling");
  CHECK(own.get(query).json()["total"] == 0);
  const std::string before = own.get("/readyz").json()["revision"];

  nlohmann::json record = sample_record("e2e-zebrafisk");
  record["title"] = "Zebrafiskodling i Flemingsberg";
  write_file(folder / "new.jsonl", jsonl_line(record));
  REQUIRE(run_indexer({"update", folder / "new.jsonl", "--index", index}).exit_code == 0);

  const json after = own.get(query).json();
  CHECK(after["total"] == 1);
  CHECK(hit_ids(after) == std::vector<std::string>{"e2e-zebrafisk"});
  CHECK(own.get("/readyz").json()["revision"] != before);
  CHECK(own.get("/api/documents/e2e-zebrafisk").status == 200);
}

TEST_CASE("The rate limit answers 429 with Retry-After and spares /healthz", "[searchd][e2e]") {
  Daemon limited({"--index", corpus_index(), "--rate-limit", "2"});
  int refused = 0;
  HttpResponse last;
  for (int i = 0; i < 6; ++i) {
    last = limited.get("/api/suggest?q=fo");
    if (last.status == 429) ++refused;
    if (last.status == 429) check_error(last, 429, "");
    if (last.status == 429) CHECK(std::stoi(last.header("retry-after")) >= 1);
  }
  CHECK(refused >= 3);
  for (int i = 0; i < 5; ++i) CHECK(limited.get("/healthz").status == 200);
}

TEST_CASE("SIGTERM and SIGINT shut searchd down cleanly with exit code 0, after an access log",
          "[searchd][e2e]") {
  for (const int signal : {SIGTERM, SIGINT}) {
    CAPTURE(signal);
    Daemon own({"--index", corpus_index(), "--threads", "2"});
    CHECK(own.get("/api/search?q=forskning").status == 200);
    CHECK(own.get("/nowhere").status == 404);
    CHECK(own.stop(signal) == 0);
    const std::string log = own.log();
    CHECK_THAT(log, Catch::Contains("GET /api/search 200"));
    CHECK_THAT(log, Catch::Contains("GET /nowhere 404"));
    CHECK_THAT(log, Catch::Contains("shutting down"));
  }
}

TEST_CASE("Command-line flags override the config file", "[searchd][e2e]") {
  const TempDir folder;
  write_file(folder / "searchd.toml",
             "[server]\nlisten = \"127.0.0.1:1\"\n[index]\npaths = [\"/no/such/index\"]\n");
  Daemon own({"--config", folder / "searchd.toml", "--index", corpus_index()});
  CHECK(own.get("/readyz").json()["documents"] == doc_count(corpus_index()));
}

TEST_CASE("The config's ranking weights reach the searches", "[searchd][e2e]") {
  const TempDir folder;
  // k1 0: BM25 leaves out how often a word occurs; no recency boost.
  write_file(folder / "searchd.toml", "[index]\npaths = [\"" + corpus_index() +
                                          "\"]\n[ranking]\nbm25_k1 = 0\nrecency_weight = 0\n");
  Daemon flat({"--config", folder / "searchd.toml"});
  const json ranked = daemon().get(search("cellterapi")).json();
  const json unranked = flat.get(search("cellterapi")).json();
  REQUIRE(ranked["total"] == unranked["total"]);
  REQUIRE(!ranked["hits"].empty());
  CHECK(ranked["hits"][0]["score"].get<double>() != unranked["hits"][0]["score"].get<double>());
}

TEST_CASE("Bad configs and command lines stop searchd with exit code 2 and say why",
          "[searchd][e2e]") {
  const TempDir folder;
  write_file(folder / "bad.toml", "[server]\nthreds = 2\n");
  const struct {
    std::vector<std::string> args;
    std::string message;
  } cases[] = {
      {{"--config", folder / "bad.toml", "--index", corpus_index()},
       folder / "bad.toml" + ":2:1: server.threds is not a setting"},
      {{}, "no index"},
      {{"--index", corpus_index(), "--listen", "nowhere"}, "not HOST:PORT"},
      {{"--index", corpus_index(), "--index", corpus_index()}, "is given twice"},
      {{"--index", corpus_index(), "--threads", "1000"}, "--threads"},
      {{"--index", corpus_index(), "--no-such-flag"}, "--no-such-flag"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.args);
    const CommandResult result = run_searchd(c.args);
    CHECK(result.exit_code == 2);
    CHECK_THAT(result.err, Catch::Contains(c.message));
  }
  const CommandResult missing = run_searchd({"--index", folder / "none"});
  CHECK(missing.exit_code == 3);
  CHECK_THAT(missing.err, Catch::Contains(folder / "none"));
}

}  // namespace
}  // namespace sok::test
