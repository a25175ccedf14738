// End-to-end: one searchd from start to SIGTERM with a mix of traffic,
// admin changes and rebuilds. It must exit 0 with nothing in its standard
// error that a sanitizer writes: under CI's ASan + UBSan build
// (ASAN_OPTIONS=detect_leaks=1) that proves no leak over the daemon's
// lifetime, Pistache's threads, the metrics registry and the per-thread
// searchers included. Its access log must hold no token and no query.
#include <signal.h>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "daemon.h"
#include "sok/searchd/percent_encoding.h"
#include "support.h"

namespace sok::test {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

constexpr const char* kToken = "lifetime-token-4f1c9a77e2";
// A query word found nowhere else, to look for in the log.
constexpr const char* kSecretQuery = "hemligfragaxq";

const HeaderList kAdmin = {{"Authorization", std::string("Bearer ") + kToken}};

// The public routes, each way a visitor or a script asks them.
std::vector<std::string> public_targets() {
  using searchd::percent_encode;
  return {
      "/api/search?q=forskning&facets=type,year,lang",
      "/api/search?q=" + percent_encode(std::string("Malmö högskola ") + kSecretQuery),
      "/api/search?q=" + percent_encode(std::string(3000, 'x')),
      "/api/search?q=%22unclosed+title%3A+((((&page=3&size=7",
      "/api/search?q=" + percent_encode("研究 🙂 forskn*"),
      "/api/search?size=5&sort=-date&facets=",
      "/api/search?q=x&size=100000",
      "/api/suggest?q=forskn",
      "/api/suggest?q=" + percent_encode("å"),
      "/api/documents/nope",
      "/?q=cellterapi&type=news",
      "/?q=" + std::string(kSecretQuery),
      "/widget.js",
      "/readyz",
      "/metrics",
      "/api/openapi.json",
      "/nowhere",
  };
}

// Visitors searching on two threads until `stop`; the number of 5xx answers.
int visit_until(const Daemon& daemon, const std::atomic<bool>& stop) {
  std::atomic<int> server_errors{0};
  const auto visitor = [&](std::size_t first) {
    const auto targets = public_targets();
    for (std::size_t i = first; !stop; ++i) {
      if (daemon.get(targets[i % targets.size()]).status >= 500) ++server_errors;
    }
  };
  std::thread a(visitor, 0), b(visitor, 5);
  a.join();
  b.join();
  return server_errors;
}

TEST_CASE("searchd's lifetime with traffic and rebuilds ends with exit 0 and no leak or error",
          "[searchd][e2e][lifetime]") {
  const TempDir scratch;
  copy_index(corpus_index(), scratch / "index");
  write_file(scratch / "searchd.toml", "[server]\nthreads = 2\nadmin_token = \"" +
                                           std::string(kToken) + "\"\n[index]\npaths = [\"" +
                                           scratch / "index" + "\"]\nsources = [\"" +
                                           source_path("corpus") + "\"]\n");
  Daemon daemon({"--config", scratch / "searchd.toml"});

  std::atomic<bool> stop{false};
  int server_errors = 0;
  std::thread visitors([&] { server_errors = visit_until(daemon, stop); });
  // The staff meanwhile: a post, a delete, two rebuilds, the stats.
  json record = sample_record("lifetime-1");
  const auto posted =
      daemon.request("POST", "/api/admin/documents", kAdmin, "[" + record.dump() + "]");
  CHECK(finished_job(daemon, posted, kAdmin)["state"] == "done");
  CHECK(daemon.get("/api/documents/lifetime-1").status == 200);
  const auto deleted = daemon.request("DELETE", "/api/admin/documents/lifetime-1", kAdmin);
  CHECK(finished_job(daemon, deleted, kAdmin)["state"] == "done");
  CHECK(daemon.get("/api/documents/lifetime-1").status == 404);
  for (int i = 0; i < 2; ++i) {
    const auto rebuilt = daemon.request("POST", "/api/admin/reindex", kAdmin);
    CHECK(finished_job(daemon, rebuilt, kAdmin)["state"] == "done");
  }
  CHECK(daemon.get("/api/admin/stats", kAdmin).status == 200);
  CHECK(daemon.get("/api/admin/jobs", kAdmin).status == 200);
  CHECK(daemon.get("/api/admin/stats", {{"Authorization", "Bearer wrong"}}).status == 403);
  // Connections that are refused, pipelined or left hanging at the end.
  const std::string refused[] = {"FOO / HTTP/1.1\r\n\r\n",
                                 "GET / HTTP/1.1\r\nX: " + std::string(20000, 'x') + "\r\n\r\n"};
  for (const std::string& bad : refused) {
    HttpConnection connection(daemon.port());
    connection.send(bad);
    CHECK(connection.read_response(5s).status >= 400);
  }
  HttpConnection pipelined(daemon.port());
  pipelined.send(
      "GET /healthz HTTP/1.1\r\nConnection: keep-alive\r\n\r\nGET /readyz HTTP/1.1\r\n\r\n");
  CHECK(pipelined.read_response(5s).status == 200);
  CHECK(pipelined.read_response(5s).status == 200);
  HttpConnection hanging(daemon.port());
  hanging.send("GET /api/search?q=forskning HTTP/1.1\r\nHost");
  std::this_thread::sleep_for(500ms);
  stop = true;
  visitors.join();
  CHECK(server_errors == 0);

  CHECK(daemon.stop(SIGTERM, 60s) == 0);
  const std::string log = daemon.log();
  INFO(log.substr(log.size() > 4000 ? log.size() - 4000 : 0));
  for (const char* problem : {"LeakSanitizer", "AddressSanitizer",
                              "runtime error:", "ThreadSanitizer", " error ", "terminate called"}) {
    CAPTURE(problem);
    CHECK_FALSE(contains(log, problem));
  }
  CHECK(contains(log, "GET /api/search 200"));
  CHECK(contains(log, "POST /api/admin/reindex 202"));
  CHECK(contains(log, "stopped"));
  // No secret and no query in the log: the token, the query words, no "?".
  CHECK_FALSE(contains(log, kToken));
  CHECK_FALSE(contains(log, "Bearer"));
  CHECK_FALSE(contains(log, kSecretQuery));
  CHECK_FALSE(contains(log, "forskning&"));
  CHECK_FALSE(contains(log, "?q="));
}

}  // namespace
}  // namespace sok::test
