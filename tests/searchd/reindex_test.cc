// End-to-end: searchd keeps answering, correctly, while the index is
// rebuilt and updated from the command line and the admin API, while a
// rebuild is killed half-way, and when started the way deploy/ starts it.
#include <signal.h>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

#include "daemon.h"
#include "query_load.h"
#include "support.h"

namespace sok::test {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
namespace fs = std::filesystem;

constexpr const char* kToken = "reindex-test-token";
constexpr auto kVisibleWithin = 1000ms;

const HeaderList kAdmin = {{"Authorization", std::string("Bearer ") + kToken}};

// An index of the whole corpus of its own, and a config serving it with
// the admin routes on and the corpus as the rebuild source.
struct Served {
  Served() {
    copy_index(corpus_index(), index);
    write_file(scratch / "searchd.toml", "[server]\nthreads = 2\nadmin_token = \"" +
                                             std::string(kToken) + "\"\n[index]\npaths = [\"" +
                                             index + "\"]\nsources = [\"" + source_path("corpus") +
                                             "\"]\n");
  }
  std::vector<std::string> args() const { return {"--config", scratch / "searchd.toml"}; }

  TempDir scratch;
  std::string index = scratch / "index";
};

IndexFloor floor_of(const Daemon& daemon) {
  IndexFloor floor;
  floor.documents = daemon.get("/api/search?size=1&facets=").json()["total"];
  floor.forskning = daemon.get("/api/search?q=forskning&size=1").json()["total"];
  floor.known_id = daemon.get("/api/search?size=1&sort=date&facets=").json()["hits"][0]["id"];
  return floor;
}

// A record no query of the load matches.
json update_record(const std::string& id) {
  return {{"id", id},
          {"lang", "sv"},
          {"type", "news"},
          {"published", "2026-05-01"},
          {"title", "Labbnytt " + id},
          {"body", "Ett nytt labb öppnar i dag med plats för tjugo grupper."}};
}

// How long until GET /api/documents/{id} answers `status`, polled every
// 10 ms for up to 5 s.
std::chrono::milliseconds until_document(const Daemon& daemon, const std::string& id, int status,
                                         Clock::time_point since) {
  while (Clock::now() - since < 5s) {
    if (daemon.get("/api/documents/" + id).status == status) break;
    std::this_thread::sleep_for(10ms);
  }
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - since);
}

// Runs the 200 single-article changes of one test round by round: adds
// and deletes through the command line and the admin API, each checked
// visible within a second. Returns the slowest.
class Changes {
 public:
  Changes(const Daemon& daemon, const Served& served) : daemon_(daemon), served_(served) {}

  // Ten times: add one by `indexer update`, one by POST, delete the first
  // by `indexer delete`, the second by DELETE.
  void forty(int round) {
    for (int i = 0; i < 10; ++i) {
      const std::string by_cli = "zd-cli-" + std::to_string(round) + "-" + std::to_string(i);
      const std::string by_api = "zd-api-" + std::to_string(round) + "-" + std::to_string(i);
      add_by_cli(by_cli);
      add_by_api(by_api);
      delete_by_cli(by_cli);
      delete_by_api(by_api);
    }
  }

  std::size_t count() const { return count_; }
  std::chrono::milliseconds slowest() const { return slowest_; }

 private:
  void add_by_cli(const std::string& id) {
    const std::string file = served_.scratch / (id + ".jsonl");
    write_file(file, jsonl_line(update_record(id)));
    REQUIRE(run_indexer({"update", file, "--index", served_.index}).exit_code == 0);
    seen(id, 200, Clock::now());
  }
  void add_by_api(const std::string& id) {
    const auto accepted = daemon_.request("POST", "/api/admin/documents", kAdmin,
                                          json::array({update_record(id)}).dump());
    seen(id, 200, Clock::now());
    finished(accepted);
  }
  void delete_by_cli(const std::string& id) {
    REQUIRE(run_indexer({"delete", id, "--index", served_.index}).exit_code == 0);
    seen(id, 404, Clock::now());
  }
  void delete_by_api(const std::string& id) {
    const auto accepted = daemon_.request("DELETE", "/api/admin/documents/" + id, kAdmin);
    seen(id, 404, Clock::now());
    finished(accepted);
  }
  // The job's writer lets go of the index's lock after its change shows;
  // an `indexer` run started before that would find the index busy (exit 3).
  void finished(const HttpResponse& accepted) {
    CHECK(finished_job(daemon_, accepted, kAdmin)["state"] == "done");
  }
  void seen(const std::string& id, int status, Clock::time_point since) {
    const auto took = until_document(daemon_, id, status, since);
    INFO(id << " answered " << status << " after " << took.count() << " ms");
    CHECK(took <= kVisibleWithin);
    slowest_ = std::max(slowest_, took);
    ++count_;
  }

  const Daemon& daemon_;
  const Served& served_;
  std::size_t count_ = 0;
  std::chrono::milliseconds slowest_{0};
};

void check_clean(LoadReport& load) {
  INFO("first problem: " << load.first_problem);
  CHECK(load.requests > 50);  // the load ran all along (a sanitizer build runs it slowly)
  CHECK(load.failed == 0);
  CHECK(load.not_2xx == 0);
  CHECK(load.below_floor == 0);
  const double p99 = quantile(load.latencies_ms, 0.99);
  WARN(load.requests << " requests, p99 " << p99 << " ms");
}

// Five rebuilds, by the command line and the admin API in turn, each
// followed by forty single-article changes.
void five_rounds(const Daemon& daemon, const Served& served, Changes& changes) {
  for (int round = 0; round < 5; ++round) {
    if (round % 2 == 0) {
      REQUIRE(run_indexer({"build", source_path("corpus"), "--index", served.index}).exit_code ==
              0);
    } else {
      const json job =
          finished_job(daemon, daemon.request("POST", "/api/admin/reindex", kAdmin, ""), kAdmin);
      REQUIRE(job["state"] == "done");
    }
    changes.forty(round);
  }
}

// The last `n` lines of `text`.
std::string last_lines(const std::string& text, std::size_t n) {
  std::size_t at = text.size();
  for (std::size_t i = 0; i <= n && at != std::string::npos && at > 0; ++i)
    at = text.rfind('\n', at - 1);
  return at == std::string::npos ? text : text.substr(at + 1);
}

TEST_CASE(
    "Under a steady query load, 5 rebuilds and 200 single-article changes through the "
    "command line and the admin API fail no query and show every change within a second",
    "[searchd][e2e][reindex]") {
  const Served served;
  Daemon daemon(served.args());
  const IndexFloor floor = floor_of(daemon);
  REQUIRE(floor.documents > 100);
  REQUIRE(floor.forskning > 0);
  QueryLoad load(daemon.port(), floor, 3);
  Changes changes(daemon, served);
  try {
    five_rounds(daemon, served, changes);
  } catch (const std::exception& e) {
    FAIL(e.what() << "\nsearchd's log ends:\n" << last_lines(daemon.log(), 20));
  }
  LoadReport report = load.stop();
  CHECK(changes.count() == 200);
  WARN("slowest change to show: " << changes.slowest().count() << " ms");
  check_clean(report);
  CHECK(build_entries(served.index).size() <= 2);
}

// A JSON Lines file of `n` articles, large enough that building it takes a
// few seconds.
void write_big_source(const std::string& file, int n) {
  std::ofstream out(file);
  for (int i = 0; i < n; ++i) {
    std::ostringstream body;
    for (int w = 0; w < 120; ++w) body << "ord" << (i * 7 + w * 13) % 5000 << " ";
    out << json({{"id", "big-" + std::to_string(i)},
                 {"lang", "sv"},
                 {"type", "news"},
                 {"title", "Artikel nummer " + std::to_string(i)},
                 {"body", body.str()}})
               .dump()
        << "\n";
  }
}

TEST_CASE(
    "A rebuild killed half-way leaves searchd serving the last good index, and the next "
    "rebuild succeeds",
    "[searchd][e2e][reindex]") {
  const Served served;
  const std::string big = served.scratch / "big.jsonl";
  write_big_source(big, kSanitized ? 3000 : 20000);
  Daemon daemon(served.args());
  const IndexFloor floor = floor_of(daemon);
  const std::string stub_before = read_file(fs::path(served.index) / "XAPIANDB");
  QueryLoad load(daemon.port(), floor, 2);

  const pid_t indexer = start_indexer({"build", big, "--index", served.index},
                                      served.scratch / "out", served.scratch / "err");
  const auto start = Clock::now();
  while (build_entries(served.index).size() < 2 && Clock::now() - start < 10s)
    std::this_thread::sleep_for(20ms);
  std::this_thread::sleep_for(500ms);  // well into writing the shards
  ::kill(indexer, SIGKILL);
  CHECK(wait_for(indexer) == 128 + SIGKILL);
  CHECK(read_file(fs::path(served.index) / "XAPIANDB") == stub_before);  // killed before the switch
  CHECK(build_entries(served.index).size() > 1);                         // its unfinished build
  std::this_thread::sleep_for(300ms);
  CHECK(daemon.get("/api/search?size=1&facets=").json()["total"] == floor.documents);

  const CommandResult next = run_indexer({"build", source_path("corpus"), "--index", served.index});
  CHECK(next.exit_code == 0);
  CHECK(read_file(fs::path(served.index) / "XAPIANDB") != stub_before);
  CHECK(daemon.get("/api/search?size=1&facets=").json()["total"] == floor.documents);
  LoadReport report = load.stop();
  check_clean(report);
  CHECK(build_entries(served.index).size() <= 2);
}

// The unit file's value of `key` ("ExecStart"), "" when it has none.
std::string unit_value(const std::string& unit, const std::string& key) {
  std::istringstream lines(unit);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind(key + "=", 0) == 0) return line.substr(key.size() + 1);
  }
  return "";
}

std::vector<std::string> words_of(const std::string& text) {
  std::istringstream in(text);
  std::vector<std::string> words;
  for (std::string word; in >> word;) words.push_back(word);
  return words;
}

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  for (std::size_t at = 0; (at = text.find(from, at)) != std::string::npos; at += to.size())
    text.replace(at, from.size(), to);
  return text;
}

TEST_CASE(
    "searchd starts, reloads and stops the way deploy/searchd.service runs it, on the "
    "config and state folders the units name",
    "[searchd][e2e][deploy]") {
  const std::string unit = read_file(source_path("deploy/searchd.service"));
  const std::string indexer_unit = read_file(source_path("deploy/sok-indexer-update.service"));
  const std::string state = "/var/lib/" + unit_value(unit, "StateDirectory");
  const std::string etc = "/etc/" + unit_value(unit, "ConfigurationDirectory");
  CHECK(unit_value(unit, "DynamicUser") == "yes");
  CHECK(unit_value(unit, "ProtectSystem") == "strict");
  CHECK(unit_value(unit, "Restart") == "on-failure");
  CHECK(unit_value(indexer_unit, "StateDirectory") == unit_value(unit, "StateDirectory"));

  // ExecStart with the installed paths put in a scratch folder.
  const TempDir root;
  const std::string config_text = read_file(source_path("deploy/searchd.toml"));
  REQUIRE(test::contains(config_text, state + "/index"));
  const auto as_here = [&](std::string text) {
    text = replaced(text, state, root / "state");
    text = replaced(text, etc, root / "etc");
    text = replaced(text, "/usr/local/share/sok/web", source_path("searchd/web"));
    return replaced(text, "127.0.0.1:8081", "127.0.0.1:0");  // the admin port: a free one
  };
  write_file(root / "etc/searchd.toml", as_here(config_text));
  std::vector<std::string> exec = words_of(as_here(unit_value(unit, "ExecStart")));
  REQUIRE(exec.size() >= 2);
  CHECK(fs::path(exec.front()).filename() == "searchd");

  // The indexer unit's command fills the index the config names.
  std::vector<std::string> update = words_of(as_here(unit_value(indexer_unit, "ExecStart")));
  REQUIRE(update.size() >= 4);
  CHECK(fs::path(update.front()).filename() == "indexer");
  copy_index(corpus_index(), root / "state/index");
  fs::create_directories(root / "state/sources");
  write_file(root / "state/sources/new.jsonl", jsonl_line(update_record("from-the-cms")));
  CHECK(run_indexer({update.begin() + 1, update.end()}).exit_code == 0);

  Daemon daemon({exec.begin() + 1, exec.end()});
  const std::string admin_address = daemon.next_line();
  REQUIRE_THAT(admin_address, Catch::StartsWith("127.0.0.1:"));
  CHECK(daemon.get("/api/documents/from-the-cms").status == 200);
  CHECK(daemon.get("/api/admin/stats", kAdmin).status == 404);  // only on the admin address

  // ExecReload as written, with $MAINPID.
  const std::vector<std::string> reload =
      words_of(replaced(unit_value(unit, "ExecReload"), "$MAINPID", std::to_string(daemon.pid())));
  REQUIRE(reload.size() == 3);
  CHECK(reload[0] == "/bin/kill");
  CHECK(reload[1] == "-HUP");
  ::kill(daemon.pid(), SIGHUP);
  const auto start = Clock::now();
  while (!test::contains(daemon.log(), "config reloaded") && Clock::now() - start < 5s)
    std::this_thread::sleep_for(20ms);
  CHECK_THAT(daemon.log(), Catch::Contains("config reloaded"));
  CHECK(daemon.get("/healthz").status == 200);

  CHECK(daemon.stop(SIGTERM) == 0);  // systemd's stop
  CHECK(fs::exists(root / "state/index/query-stats.json"));
}

// Starts searchd with `config` as its config file.
std::vector<std::string> with_config(const TempDir& dir, const std::string& config) {
  write_file(dir / "searchd.toml", config);
  return {"--config", dir / "searchd.toml"};
}

TEST_CASE(
    "SIGHUP takes a new admin token and rate limit, names what needs a restart, and a bad "
    "file changes nothing",
    "[searchd][e2e][reload]") {
  const Served served;
  const std::string base = "[index]\npaths = [\"" + served.index + "\"]\n";
  Daemon daemon(with_config(served.scratch, "[server]\nadmin_token = \"old\"\n" + base));
  CHECK(daemon.get("/api/admin/stats", {{"Authorization", "Bearer old"}}).status == 200);

  with_config(served.scratch,
              "[server]\nadmin_token = \"new\"\nrate_limit = 1\nthreads = 3\n" + base);
  daemon.signal(SIGHUP);
  const auto start = Clock::now();
  while (daemon.get("/api/admin/stats", {{"Authorization", "Bearer new"}}).status != 200 &&
         Clock::now() - start < 5s)
    std::this_thread::sleep_for(20ms);
  CHECK(daemon.get("/api/admin/stats", {{"Authorization", "Bearer old"}}).status == 403);
  CHECK(daemon.get("/api/admin/stats", {{"Authorization", "Bearer new"}}).status == 200);
  daemon.get("/api/search?q=a");
  CHECK(daemon.get("/api/search?q=b").status == 429);
  CHECK_THAT(daemon.log(),
             Catch::Contains("server.threads changed; it takes effect at the next restart"));

  with_config(served.scratch, "[server]\nadmin_token = 3\n" + base);
  daemon.signal(SIGHUP);
  std::this_thread::sleep_for(300ms);
  CHECK_THAT(daemon.log(), Catch::Contains("the config was not reloaded, nothing changed"));
  CHECK(daemon.get("/api/admin/stats", {{"Authorization", "Bearer new"}}).status == 200);
  CHECK(daemon.stop(SIGTERM) == 0);
}

TEST_CASE(
    "Posting over HTTP: the token, per-record errors, and the public port never taking "
    "admin bodies",
    "[searchd][e2e][admin]") {
  const Served served;
  Daemon daemon(served.args());
  const std::string records =
      json::array({update_record("http-1"), {{"id", "http-2"}, {"title", 5}}}).dump();
  const HttpResponse none = daemon.request("POST", "/api/admin/documents", {}, records);
  CHECK(none.status == 401);
  CHECK(none.header("www-authenticate") == "Bearer realm=\"sok admin\"");
  CHECK(daemon.request("POST", "/api/admin/documents", {{"Authorization", "Bearer x"}}, records)
            .status == 403);
  const HttpResponse accepted = daemon.request("POST", "/api/admin/documents", kAdmin, records);
  CHECK(accepted.header("location") == accepted.json()["job"]["href"]);
  const json job = finished_job(daemon, accepted, kAdmin);
  CHECK(job["result"]["added"] == 1);
  CHECK(job["errors"][0]["where"] == "record 1 (id http-2)");
  CHECK(daemon.get("/api/documents/http-1").status == 200);
  CHECK(daemon.request("POST", "/api/search?q=x", {}, "{}").status == 405);
  CHECK(daemon.request("DELETE", "/api/documents/http-1").status == 405);
  const std::string huge = "[" + std::string(70000, ' ') + "]";
  const HttpResponse too_big = daemon.request("POST", "/api/admin/documents", kAdmin, huge);
  CHECK(too_big.status == 413);
}

TEST_CASE("The staff's stats survive a restart and hold no client address",
          "[searchd][e2e][stats]") {
  const Served served;
  {
    Daemon daemon(served.args());
    for (const char* q : {"cellterapi", "cellterapi", "qqxyzzy"})
      REQUIRE(daemon.get(std::string("/api/search?q=") + q).status == 200);
    REQUIRE(daemon.get("/?q=cellterapi").status == 200);
    CHECK(daemon.stop(SIGTERM) == 0);
  }
  const std::string file = fs::path(served.index) / "query-stats.json";
  CHECK_FALSE(test::contains(read_file(file), "127.0.0.1"));
  Daemon again(served.args());
  const json day = again.get("/api/admin/stats", kAdmin).json()["queries"]["day"];
  CHECK(day["searches"] == 4);
  CHECK(day["popular"][0] == json({{"query", "cellterapi"}, {"count", 3}}));
  CHECK(day["zero_hits"][0] == json({{"query", "qqxyzzy"}, {"count", 1}}));
}

}  // namespace
}  // namespace sok::test
