// The admin routes called directly, without a socket: the token, the
// listener split, posting, deleting, rebuilding, jobs and stats.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <chrono>
#include <string>
#include <thread>

#include "openapi_validator.h"
#include "sok/searchd/api.h"
#include "support.h"

namespace sok::searchd {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

constexpr const char* kToken = "staff-token-0123456789";

ApiRequest request(std::string method, std::string path, std::string body = "",
                   std::string authorization = std::string("Bearer ") + kToken) {
  ApiRequest r;
  r.method = std::move(method);
  r.path = std::move(path);
  r.body = std::move(body);
  r.authorization = std::move(authorization);
  r.client = "127.0.0.1";
  return r;
}

json body_of(const ApiResponse& response) {
  return json::parse(response.body);
}

// An Api over its own copy of the corpus index, with a job queue whose
// rebuilds read the corpus's JSON Lines files.
struct AdminFixture {
  explicit AdminFixture(ApiOptions base = {})
      : index(copy_of_corpus(scratch)),
        searchers(index),
        stats(""),
        jobs(job_options(index)),
        api(with_admin(std::move(base), jobs, stats), searchers, metrics) {}

  static std::string copy_of_corpus(const test::TempDir& scratch) {
    test::copy_index(test::corpus_index(), scratch / "index");
    return scratch / "index";
  }
  static JobQueue::Options job_options(const std::string& index) {
    JobQueue::Options o;
    o.index_dir = index;
    o.sources = {test::source_path("corpus/articles-sv.jsonl"),
                 test::source_path("corpus/articles-en.jsonl")};
    o.indexing.threads = 1;
    return o;
  }
  static ApiOptions with_admin(ApiOptions o, JobQueue& jobs, QueryStats& stats) {
    if (o.admin_token.empty()) o.admin_token = kToken;
    o.jobs = &jobs;
    o.query_stats = &stats;
    return o;
  }

  // The job of a 202 answer, polled until it is done or failed (30 s at most).
  json finished_job(const ApiResponse& accepted) {
    REQUIRE(accepted.status == 202);
    const std::string href = body_of(accepted)["job"]["href"];
    const auto deadline = std::chrono::steady_clock::now() + 30s;
    while (std::chrono::steady_clock::now() < deadline) {
      const json job = body_of(api.handle(request("GET", href)));
      if (job["state"] == "done" || job["state"] == "failed") return job;
      std::this_thread::sleep_for(20ms);
    }
    FAIL("job " << href << " did not finish within 30 s");
    return {};
  }

  int document_status(const std::string& id) {
    return api.handle(request("GET", "/api/documents/" + id, "", "")).status;
  }

  test::TempDir scratch;
  std::string index;
  SearcherPool searchers;
  Metrics metrics;
  QueryStats stats;
  JobQueue jobs;
  Api api;
};

TEST_CASE("Admin routes need the bearer token: 401 without, 403 when wrong", "[searchd][admin]") {
  AdminFixture f;
  const ApiResponse missing = f.api.handle(request("GET", "/api/admin/stats", "", ""));
  CHECK(missing.status == 401);
  CHECK(body_of(missing)["error"]["code"] == "unauthorized");
  CHECK(missing.headers == Headers{{"WWW-Authenticate", "Bearer realm=\"sok admin\""}});
  CHECK(
      test::schema_violations(json::parse(openapi_document()), "Error", body_of(missing)).empty());
  for (const char* wrong :
       {"Bearer nope", "Bearer staff-token-012345678", "Bearer staff-token-01234567890",
        "bearer staff-token-0123456789", "Basic c3RhZmY="}) {
    INFO(wrong);
    const int status = f.api.handle(request("GET", "/api/admin/stats", "", wrong)).status;
    CHECK((status == 401 || status == 403));
  }
  CHECK(f.api.handle(request("GET", "/api/admin/stats", "", "Bearer nope")).status == 403);
  CHECK(f.api.handle(request("GET", "/api/admin/stats")).status == 200);
}

TEST_CASE(
    "Without an admin token the admin routes are off with a message saying how to turn "
    "them on",
    "[searchd][admin]") {
  AdminFixture f;
  ApiOptions off;
  f.api.reload(off);
  const ApiResponse response = f.api.handle(request("GET", "/api/admin/stats"));
  CHECK(response.status == 403);
  CHECK(body_of(response)["error"]["code"] == "admin_disabled");
  CHECK_THAT(body_of(response)["error"]["message"].get<std::string>(),
             Catch::Contains("SOK_ADMIN_TOKEN"));
}

TEST_CASE("A reload changes the admin token, the rate limit and the CORS origins",
          "[searchd][admin]") {
  AdminFixture f;
  ApiOptions changed;
  changed.admin_token = "a-new-token";
  changed.rate_limit = 1;
  changed.cors_origins = {"https://example.se"};
  f.api.reload(changed);
  CHECK(f.api.handle(request("GET", "/api/admin/stats")).status == 403);
  CHECK(f.api.handle(request("GET", "/api/admin/stats", "", "Bearer a-new-token")).status == 200);
  ApiRequest search = request("GET", "/api/search", "", "");
  search.origin = "https://example.se";
  const ApiResponse first = f.api.handle(search);
  CHECK(first.status == 200);
  CHECK(first.headers.front() ==
        std::pair<std::string, std::string>{"Access-Control-Allow-Origin", "https://example.se"});
  CHECK(f.api.handle(search).status == 429);
}

TEST_CASE("Admin routes answer with the methods they take", "[searchd][admin]") {
  AdminFixture f;
  const ApiResponse get = f.api.handle(request("GET", "/api/admin/documents"));
  CHECK(get.status == 405);
  CHECK(get.headers == Headers{{"Allow", "POST, OPTIONS"}});
  CHECK(f.api.handle(request("POST", "/api/admin/documents/x")).status == 405);
  CHECK(f.api.handle(request("POST", "/api/admin/stats")).status == 405);
}

TEST_CASE("Posted records are indexed; the bad ones are named with what is wrong",
          "[searchd][admin]") {
  AdminFixture f;
  json good = test::sample_record("admin-post-1");
  json also_good = test::sample_record("admin-post-2");
  json bad_date = test::sample_record("admin-post-3");
  bad_date["published"] = "yesterday";
  const json no_title = {{"id", "admin-post-4"}};
  const json records = {good, bad_date, also_good, no_title, "not a record"};
  const ApiResponse accepted =
      f.api.handle(request("POST", "/api/admin/documents", records.dump()));
  REQUIRE(accepted.status == 202);
  CHECK(accepted.headers.front().first == "Location");
  const json queued = body_of(accepted)["job"];
  CHECK(queued["kind"] == "add_documents");
  CHECK(queued["submitted"] == 5);
  REQUIRE(queued["errors"].size() == 3);
  CHECK(queued["errors"][0]["where"] == "record 1 (id admin-post-3)");
  CHECK_THAT(queued["errors"][0]["message"].get<std::string>(), Catch::Contains("published"));
  CHECK(queued["errors"][1]["where"] == "record 3 (id admin-post-4)");
  CHECK(queued["errors"][2]["where"] == "record 4");

  const json job = f.finished_job(accepted);
  CHECK(job["state"] == "done");
  CHECK(job["result"]["added"] == 2);
  const json openapi = json::parse(openapi_document());
  CHECK(test::schema_violations(openapi, "Job", queued).empty());
  CHECK(test::schema_violations(openapi, "Job", job).empty());
  CHECK(job["errors"].size() == 3);
  CHECK(f.document_status("admin-post-1") == 200);
  CHECK(f.document_status("admin-post-2") == 200);
  CHECK(f.document_status("admin-post-3") == 404);
}

TEST_CASE("A posted record of a page another posted record gives is indexed with a warning",
          "[searchd][admin]") {
  AdminFixture f;
  json moved = test::sample_record("admin-page-2");
  moved["url"] = test::sample_record("admin-page-1")["url"];
  const json records = {test::sample_record("admin-page-1"), moved};
  const ApiResponse accepted =
      f.api.handle(request("POST", "/api/admin/documents", records.dump()));
  REQUIRE(accepted.status == 202);
  CHECK(body_of(accepted)["job"]["warnings"].empty());
  const json job = f.finished_job(accepted);
  CHECK(job["result"]["added"] == 2);
  CHECK(job["errors"].empty());
  REQUIRE(job["warnings"].size() == 1);
  CHECK(job["warnings"][0]["where"] == "record 1");
  CHECK_THAT(job["warnings"][0]["message"].get<std::string>(),
             Catch::Contains("is also article \"admin-page-1\""));
  const json openapi = json::parse(openapi_document());
  CHECK(test::schema_violations(openapi, "Job", job).empty());
}

TEST_CASE("A body that is not an array of records is refused as a whole", "[searchd][admin]") {
  AdminFixture f;
  const std::pair<std::string, std::string> cases[] = {
      {"", "invalid_body"},
      {"{\"id\": \"x\", \"title\": \"t\"}", "invalid_body"},
      {"[{\"id\": 1", "invalid_body"},
      {"[]", "invalid_body"},
      {"[{\"title\": \"no id\"}]", "no_valid_records"},
  };
  for (const auto& [body, code] : cases) {
    INFO(body);
    const ApiResponse response = f.api.handle(request("POST", "/api/admin/documents", body));
    CHECK(response.status == (code == "invalid_body" ? 400 : 422));
    CHECK(body_of(response)["error"]["code"] == code);
    CHECK(body_of(response)["error"]["parameter"] == "body");
  }
}

TEST_CASE("DELETE removes an article; an unknown id is an error of its job", "[searchd][admin]") {
  AdminFixture f;
  f.finished_job(f.api.handle(request("POST", "/api/admin/documents",
                                      json::array({test::sample_record("admin-del")}).dump())));
  REQUIRE(f.document_status("admin-del") == 200);
  const json deleted =
      f.finished_job(f.api.handle(request("DELETE", "/api/admin/documents/admin-del")));
  CHECK(deleted["result"]["deleted"] == 1);
  CHECK(f.document_status("admin-del") == 404);
  const json missing =
      f.finished_job(f.api.handle(request("DELETE", "/api/admin/documents/no-such-article")));
  CHECK(missing["state"] == "done");
  CHECK(missing["result"]["not_found"] == 1);
  CHECK(missing["errors"][0]["where"] == "no-such-article");
}

TEST_CASE("A rebuild reads the configured sources and reports its progress", "[searchd][admin]") {
  AdminFixture f;
  f.finished_job(f.api.handle(
      request("POST", "/api/admin/documents", json::array({test::sample_record("extra")}).dump())));
  const std::size_t before = test::doc_count(f.index);
  const json job = f.finished_job(f.api.handle(request("POST", "/api/admin/reindex")));
  CHECK(job["state"] == "done");
  CHECK(job["kind"] == "reindex");
  CHECK(job["progress"]["documents"].get<std::size_t>() >= 125);
  CHECK(job["progress"]["bytes_total"].get<std::size_t>() > 0);
  CHECK(job["result"]["documents"] == test::doc_count(f.index));
  CHECK(test::doc_count(f.index) < before);  // only what the sources hold: "extra" is gone
  CHECK(f.document_status("extra") == 404);

  f.jobs.set_sources({});
  const ApiResponse refused = f.api.handle(request("POST", "/api/admin/reindex"));
  CHECK(refused.status == 409);
  CHECK(body_of(refused)["error"]["code"] == "no_sources");
}

TEST_CASE(
    "A rebuild from sources that are missing is refused; one whose sources hold nothing "
    "fails and leaves the index serving",
    "[searchd][admin]") {
  AdminFixture f;
  const std::size_t before = test::doc_count(f.index);
  f.jobs.set_sources({test::source_path("corpus"), f.scratch / "missing.jsonl"});
  const ApiResponse refused = f.api.handle(request("POST", "/api/admin/reindex"));
  CHECK(refused.status == 409);
  CHECK(body_of(refused)["error"]["code"] == "missing_sources");
  CHECK_THAT(body_of(refused)["error"]["message"].get<std::string>(),
             Catch::Contains(f.scratch / "missing.jsonl") &&
                 !Catch::Contains(test::source_path("corpus") + ","));

  test::write_file(f.scratch / "empty/nothing.jsonl", "");
  f.jobs.set_sources({f.scratch / "empty"});
  const json job = f.finished_job(f.api.handle(request("POST", "/api/admin/reindex")));
  CHECK(job["state"] == "failed");
  CHECK_THAT(job["failure"].get<std::string>(), Catch::Contains("left as it was"));
  CHECK(test::doc_count(f.index) == before);
  CHECK(f.api.handle(request("GET", "/api/search", "", "")).status == 200);
}

TEST_CASE("Jobs are listed newest first; an unknown job is 404", "[searchd][admin]") {
  AdminFixture f;
  f.finished_job(f.api.handle(request("DELETE", "/api/admin/documents/a")));
  f.finished_job(f.api.handle(request("DELETE", "/api/admin/documents/b")));
  const json list = body_of(f.api.handle(request("GET", "/api/admin/jobs")));
  REQUIRE(list["jobs"].size() == 2);
  CHECK(list["jobs"][0]["id"].get<int>() > list["jobs"][1]["id"].get<int>());
  for (const char* id : {"999", "x", "-1", "1.5"}) {
    INFO(id);
    CHECK(f.api.handle(request("GET", std::string("/api/admin/jobs/") + id)).status == 404);
  }
}

TEST_CASE("Stats count the visitors' searches of the API and the page, first pages only",
          "[searchd][admin]") {
  AdminFixture f;
  const auto search = [&](const std::string& path, RawParams query) {
    ApiRequest r = request("GET", path, "", "");
    r.query = std::move(query);
    REQUIRE(f.api.handle(r).status == 200);
  };
  search("/api/search", {{"q", "forskning"}});
  search("/api/search", {{"q", "Forskning"}});
  search("/api/search", {{"q", "forskning"}, {"page", "2"}});
  search("/api/search", {{"q", "qqxyzzy"}});
  search("/api/search", {});
  search("/api/search", {{"q", "0701234567"}});
  const json stats = body_of(f.api.handle(request("GET", "/api/admin/stats", "", "")));
  CHECK(stats["error"]["code"] == "unauthorized");
  const json body = body_of(f.api.handle(request("GET", "/api/admin/stats")));
  const json day = body["queries"]["day"];
  CHECK(day["searches"] == 4);
  CHECK(day["zero_hit_searches"] == 2);
  CHECK(day["withheld"] == 1);
  CHECK(day["popular"][0] == json({{"query", "forskning"}, {"count", 2}}));
  CHECK(day["zero_hits"] == json::array({{{"query", "qqxyzzy"}, {"count", 1}}}));
  CHECK(body["queries"]["week"]["searches"] == 4);
  CHECK(body["index"]["documents"] == test::doc_count(f.index));
  ApiRequest bad_top = request("GET", "/api/admin/stats");
  bad_top.query = {{"top", "0"}};
  CHECK(body_of(f.api.handle(bad_top))["error"]["parameter"] == "top");
}

TEST_CASE("With a separate admin listener each address serves its own routes only",
          "[searchd][admin]") {
  ApiOptions separate;
  separate.separate_admin_listener = true;
  AdminFixture f(separate);
  ApiRequest on_admin = request("GET", "/api/admin/stats");
  on_admin.on_admin_listener = true;
  CHECK(f.api.handle(on_admin).status == 200);
  CHECK(f.api.handle(request("GET", "/api/admin/stats")).status == 404);
  ApiRequest search_on_admin = request("GET", "/api/search", "", "");
  search_on_admin.on_admin_listener = true;
  CHECK(f.api.handle(search_on_admin).status == 404);
  CHECK(f.api.handle(request("GET", "/api/search", "", "")).status == 200);
}

}  // namespace
}  // namespace sok::searchd
