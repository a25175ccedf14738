// Shards and replicas on Xapian's remote backend, with the real programs on
// loopback: xapian-tcpsrv serving shards (killed, stopped and started again
// by the tests), searchd searching them, and xapian-replicate-server and
// xapian-replicate keeping a replica in step. Each test warns and returns
// when a program of Debian's xapian-tools is not installed (CI installs it).

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "daemon.h"
#include "openapi_validator.h"
#include "sok/index/indexing.h"
#include "sok/index/searcher.h"
#include "sok/index/shards.h"
#include "sok/searchd/api.h"
#include "support.h"

extern char** environ;

namespace sok::test {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;
using Clock = std::chrono::steady_clock;

// The path of `program` on PATH, or "" when it is not installed.
std::string installed(const std::string& program) {
  const char* path = std::getenv("PATH");
  std::string dirs = path ? path : "/usr/bin:/bin";
  std::size_t start = 0;
  while (start <= dirs.size()) {
    std::size_t end = dirs.find(':', start);
    if (end == std::string::npos) end = dirs.size();
    const std::string candidate = dirs.substr(start, end - start) + "/" + program;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
    start = end + 1;
  }
  return "";
}

// Whether the xapian-tools programs are installed; warns when not.
bool have_xapian_tools() {
  for (const char* program : {"xapian-tcpsrv", "xapian-replicate", "xapian-replicate-server"}) {
    if (installed(program).empty()) {
      WARN(program << " is not installed (Debian xapian-tools): test skipped");
      return false;
    }
  }
  return true;
}

std::uint16_t free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
  socklen_t length = sizeof address;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  ::close(fd);
  return ntohs(address.sin_port);
}

bool accepts_connections(std::uint16_t port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  const bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
  ::close(fd);
  return ok;
}

// A program of xapian-tools in a process group of its own (xapian-tcpsrv
// forks a child per connection: stopping the group stops them all).
class Program {
 public:
  explicit Program(std::vector<std::string> args) : args_(std::move(args)) { start(); }
  ~Program() { kill(); }
  Program(const Program&) = delete;
  Program& operator=(const Program&) = delete;

  void start() {
    std::vector<char*> argv;
    for (auto& word : args_) argv.push_back(word.data());
    argv.push_back(nullptr);
    posix_spawnattr_t attributes;
    posix_spawnattr_init(&attributes);
    posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP);
    posix_spawnattr_setpgroup(&attributes, 0);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
    const std::string program = installed(args_.front());
    REQUIRE(posix_spawn(&pid_, program.c_str(), &actions, &attributes, argv.data(), environ) == 0);
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attributes);
  }
  // SIGKILL to the whole group, and waits for the program.
  void kill() {
    if (pid_ <= 0) return;
    ::killpg(pid_, SIGKILL);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
  }
  void signal_group(int signal) const { ::killpg(pid_, signal); }
  // Waits for it to end; its exit code, or -1 when it did not end in time.
  int wait(std::chrono::seconds timeout) {
    const auto deadline = Clock::now() + timeout;
    while (Clock::now() < deadline) {
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return -1;
  }

 private:
  std::vector<std::string> args_;
  pid_t pid_ = -1;
};

// xapian-tcpsrv serving one database on 127.0.0.1.
class Shard {
 public:
  explicit Shard(const std::string& database)
      : port_(free_port()),
        program_({"xapian-tcpsrv", "--interface", "127.0.0.1", "--port", std::to_string(port_),
                  database}) {
    wait_until_listening();
  }
  std::string url() const { return "tcp://127.0.0.1:" + std::to_string(port_); }
  void kill() { program_.kill(); }
  void restart() {
    program_.start();
    wait_until_listening();
  }
  void stop() const { program_.signal_group(SIGSTOP); }
  void resume() const { program_.signal_group(SIGCONT); }

 private:
  void wait_until_listening() const {
    const auto deadline = Clock::now() + std::chrono::seconds(10);
    while (!accepts_connections(port_) && Clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    REQUIRE(accepts_connections(port_));
  }
  std::uint16_t port_;
  Program program_;
};

// The corpus as 3 shards, each served by xapian-tcpsrv.
struct RemoteCorpus {
  TempDir scratch;
  std::string dir = scratch / "sharded";
  std::vector<std::unique_ptr<Shard>> shards;

  RemoteCorpus() {
    IndexingOptions options;
    options.shards = 3;
    build_index(dir, {source_path("corpus")}, options);
    for (const auto& folder : shard_dirs(dir)) shards.push_back(std::make_unique<Shard>(folder));
  }
  std::vector<std::string> urls() const {
    std::vector<std::string> out;
    for (const auto& shard : shards) out.push_back(shard->url());
    return out;
  }
  std::vector<std::string> index_args() const {
    std::vector<std::string> out;
    for (const auto& url : urls()) out.insert(out.end(), {"--index", url});
    return out;
  }
};

std::vector<std::pair<std::string, double>> ranked(const SearchResponse& response) {
  std::vector<std::pair<std::string, double>> out;
  for (const auto& hit : response.hits) out.emplace_back(hit.id, hit.score);
  return out;
}

std::map<std::string, std::map<std::string, std::size_t>> facet_counts(const SearchResponse& r) {
  std::map<std::string, std::map<std::string, std::size_t>> out;
  for (const auto& [facet, counts] : r.facets) {
    for (const auto& c : counts) out[facet][c.value] = c.count;
  }
  return out;
}

json search(const Daemon& daemon, const std::string& target, int expected_status = 200) {
  const HttpResponse response = daemon.get(target);
  INFO(target << ": " << response.body);
  REQUIRE(response.status == expected_status);
  return response.json();
}

std::set<std::string> ids_of(const json& body) {
  std::set<std::string> ids;
  for (const auto& hit : body.at("hits")) ids.insert(hit.at("id").get<std::string>());
  return ids;
}

TEST_CASE("Searches over three remote shards equal searches over one index of the same articles",
          "[shards][remote]") {
  if (!have_xapian_tools()) return;
  RemoteCorpus remote;
  Searcher one(corpus_index());
  Searcher three(remote.urls());
  struct Case {
    std::string query;
    SortOrder sort = SortOrder::relevance;
    std::size_t page = 1;
    std::vector<ArticleType> types;
  };
  const std::vector<Case> cases = {
      {"forskning", SortOrder::relevance, 1, {}},
      {"cellterapi", SortOrder::relevance, 1, {}},
      {"Flemingsberg", SortOrder::relevance, 1, {}},
      {"vaccin OR genterapi", SortOrder::relevance, 1, {}},
      {"research collaboration", SortOrder::relevance, 1, {}},
      {"\"life science\"", SortOrder::relevance, 1, {}},
      {"forskning", SortOrder::newest, 1, {}},
      {"forskning", SortOrder::relevance, 2, {}},
      {"", SortOrder::newest, 1, {ArticleType::news}},
      {"cellterapi -genterapi", SortOrder::relevance, 1, {}},
  };
  for (const auto& c : cases) {
    INFO("q=" << c.query << " page " << c.page);
    SearchRequest request;
    request.query = c.query;
    request.sort = c.sort;
    request.page = c.page;
    request.types = c.types;
    request.facets = {"type", "lang", "year", "tag", "partner"};
    const SearchResponse a = one.search(request);
    const SearchResponse b = three.search(request);
    CHECK(b.shards == 3);
    CHECK(b.shards_failed == 0);
    // An exact total is the same; an estimate (a tier counted only for its
    // size) is Xapian's, from each layout's own statistics.
    CHECK(a.total_exact == b.total_exact);
    if (a.total_exact) CHECK(a.total == b.total);
    REQUIRE(a.hits.size() == b.hits.size());
    CHECK(!a.hits.empty());
    std::map<std::string, std::string> snippets;
    for (const auto& hit : a.hits) snippets[hit.id] = hit.snippet_html;
    for (std::size_t i = 0; i < a.hits.size(); ++i) {
      INFO("rank " << i + 1 << ": " << a.hits[i].id << " / " << b.hits[i].id);
      CHECK(a.hits[i].score == Approx(b.hits[i].score).epsilon(1e-9));
      CHECK(snippets[b.hits[i].id] == b.hits[i].snippet_html);
    }
    auto sorted_a = ranked(a), sorted_b = ranked(b);
    std::sort(sorted_a.begin(), sorted_a.end());
    std::sort(sorted_b.begin(), sorted_b.end());
    for (std::size_t i = 0; i < sorted_a.size(); ++i) CHECK(sorted_a[i].first == sorted_b[i].first);
    CHECK(facet_counts(a) == facet_counts(b));
  }
  const auto hit = three.document("sv-2022-cellterapiseminarium");
  CHECK(hit.has_value() == one.document("sv-2022-cellterapiseminarium").has_value());
  CHECK(three.info().documents == one.info().documents);
}

TEST_CASE(
    "searchd over three remote shards answers as over one index, and partially while one is "
    "killed, until it is back",
    "[shards][remote][daemon]") {
  if (!have_xapian_tools()) return;
  RemoteCorpus remote;
  Daemon single({"--index", corpus_index()});
  Daemon sharded(remote.index_args());
  const json openapi = json::parse(searchd::openapi_document());
  const std::string target = "/api/search?q=forskning&facets=type,tag,partner,year";
  for (const std::string q : {"forskning", "cellterapi", "Flemingsberg"}) {
    const json a = search(single, "/api/search?q=" + q + "&facets=type,tag,partner,year");
    const json b = search(sharded, "/api/search?q=" + q + "&facets=type,tag,partner,year");
    INFO(q);
    CHECK(ids_of(a) == ids_of(b));
    CHECK(a.at("total") == b.at("total"));
    CHECK(a.at("facets") == b.at("facets"));
    CHECK(b.at("partial") == false);
    CHECK(b.at("shards") == json{{"total", 3}, {"failed", 0}});
    CHECK(test::schema_violations(openapi, "SearchResponse", b).empty());
  }
  const json full = search(sharded, target);

  remote.shards[2]->kill();
  const auto start = Clock::now();
  const json partial = search(sharded, target);
  CHECK(seconds_since(start) < 3);
  CHECK(partial.at("partial") == true);
  CHECK(partial.at("shards") == json{{"total", 3}, {"failed", 1}});
  CHECK(partial.at("total").get<int>() < full.at("total").get<int>());
  CHECK(!partial.at("hits").empty());
  CHECK(test::schema_violations(openapi, "SearchResponse", partial).empty());
  const std::string metrics = sharded.get("/metrics").body;
  CHECK(contains(metrics, "sok_shard_failures_total{shard=\"" + remote.shards[2]->url() + "\"}"));
  CHECK(contains(metrics, "sok_search_partial_total"));
  CHECK(contains(sharded.log(), "is down"));

  remote.shards[2]->restart();
  json after;
  const auto deadline = Clock::now() + std::chrono::seconds(15);
  do {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    after = search(sharded, target);
  } while (after.at("partial") == true && Clock::now() < deadline);
  CHECK(after.at("partial") == false);
  CHECK(after.at("total") == full.at("total"));
  CHECK(ids_of(after) == ids_of(full));
  CHECK(contains(sharded.log(), "answers again"));
}

TEST_CASE("A stopped shard is left out after the timeout instead of hanging the search",
          "[shards][remote][daemon]") {
  if (!have_xapian_tools()) return;
  RemoteCorpus remote;
  Daemon sharded(remote.index_args());
  const json full = search(sharded, "/api/search?q=forskning");
  remote.shards[0]->stop();
  const auto start = Clock::now();
  const json partial = search(sharded, "/api/search?q=forskning");
  const double took = seconds_since(start);
  remote.shards[0]->resume();
  CHECK(took < 5);
  CHECK(partial.at("partial") == true);
  CHECK(partial.at("shards").at("failed") == 1);
}

TEST_CASE("With --strict-shards a search some shard cannot answer is 503",
          "[shards][remote][daemon]") {
  if (!have_xapian_tools()) return;
  RemoteCorpus remote;
  std::vector<std::string> args = remote.index_args();
  args.push_back("--strict-shards");
  Daemon sharded(args);
  search(sharded, "/api/search?q=forskning");
  remote.shards[1]->kill();
  const json refused = search(sharded, "/api/search?q=forskning", 503);
  CHECK(refused.at("error").at("code") == "shards_unavailable");
}

TEST_CASE("A shard whose xapian-tcpsrv restarted between two searches is reconnected, not left out",
          "[shards][remote][daemon]") {
  if (!have_xapian_tools()) return;
  RemoteCorpus remote;
  Daemon sharded(remote.index_args());
  const json before = search(sharded, "/api/search?q=forskning");
  remote.shards[1]->kill();  // as after a rebuild: `systemctl restart xapian-tcpsrv@1`
  remote.shards[1]->restart();
  for (int i = 0; i < 4; ++i) {  // each of searchd's threads finds its connection closed
    const json after = search(sharded, "/api/search?q=forskning");
    CHECK(after.at("partial") == false);
    CHECK(after.at("total") == before.at("total"));
  }
}

TEST_CASE("When no shard answers a search is 503, not an empty answer",
          "[shards][remote][daemon]") {
  if (!have_xapian_tools()) return;
  RemoteCorpus remote;
  Daemon sharded(remote.index_args());
  search(sharded, "/api/search?q=forskning");
  for (auto& shard : remote.shards) shard->kill();
  const json refused = search(sharded, "/api/search?q=forskning", 503);
  CHECK(refused.at("error").at("code") == "index_unavailable");
  remote.shards[0]->restart();
  json back;
  const auto deadline = Clock::now() + std::chrono::seconds(15);
  do {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    back = sharded.get("/api/search?q=forskning").json();
  } while (!back.contains("shards") && Clock::now() < deadline);
  REQUIRE(back.contains("shards"));
  CHECK(back.at("shards") == json{{"total", 3}, {"failed", 2}});
}

TEST_CASE("searchd opens every shard of a sharded folder given as one --index",
          "[shards][daemon]") {
  TempDir scratch;
  const std::string dir = scratch / "sharded";
  IndexingOptions options;
  options.shards = 3;
  build_index(dir, {source_path("corpus")}, options);
  Daemon single({"--index", corpus_index()});
  Daemon sharded({"--index", dir});
  const json a = search(single, "/api/search?q=cellterapi&facets=tag");
  const json b = search(sharded, "/api/search?q=cellterapi&facets=tag");
  CHECK(ids_of(a) == ids_of(b));
  CHECK(a.at("facets") == b.at("facets"));
  CHECK(b.at("shards") == json{{"total", 3}, {"failed", 0}});
}

TEST_CASE("searchd refuses a malformed tcp:// index, naming it", "[shards][config]") {
  for (const std::string bad :
       {"tcp://example.org", "tcp://:8100", "tcp://host:0", "tcp://host:99999"}) {
    INFO(bad);
    const CommandResult r = run_searchd({"--index", bad, "--listen", "127.0.0.1:0"});
    CHECK(r.exit_code == 2);
    CHECK(contains(r.err, bad));
    CHECK(contains(r.err, "--index"));
  }
}

TEST_CASE(
    "A document added on the master appears on the replica, which searchd serves without a "
    "restart",
    "[shards][replica][daemon]") {
  if (!have_xapian_tools()) return;
  TempDir scratch;
  const std::string root = scratch / "master-root";
  const std::string master = root + "/index";
  copy_index(corpus_index(), master);
  const std::string replica = scratch / "replica";
  const std::uint16_t port = free_port();
  Program server({"xapian-replicate-server", "--interface", "127.0.0.1", "--port",
                  std::to_string(port), root});
  const auto deadline = Clock::now() + std::chrono::seconds(10);
  while (!accepts_connections(port) && Clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  auto replicate = [&] {
    Program client({"xapian-replicate", "--host", "127.0.0.1", "--port", std::to_string(port),
                    "--master", "index", "--one-shot", replica});
    REQUIRE(client.wait(std::chrono::seconds(30)) == 0);
  };
  replicate();
  Daemon searchd({"--index", replica});
  CHECK(search(searchd, "/api/search?q=zebrafiskmarkör").at("total") == 0);

  // An update with changesets kept (XAPIAN_MAX_CHANGESETS): the replica
  // applies the change in place.
  ::setenv("XAPIAN_MAX_CHANGESETS", "10", 1);
  json record = sample_record("replica-news-1");
  record["title"] = "Zebrafiskmarkör på replikan";
  write_file(scratch / "new.jsonl", jsonl_line(record));
  const CommandResult update = run_indexer({"update", scratch / "new.jsonl", "--index", master});
  ::unsetenv("XAPIAN_MAX_CHANGESETS");
  REQUIRE(update.exit_code == 0);
  replicate();
  CHECK(search(searchd, "/api/search?q=zebrafiskmarkör").at("total") == 1);

  // A full rebuild is a new database: the replica copies it whole and
  // switches its stub, and searchd follows the switch.
  write_file(scratch / "only.jsonl",
             jsonl_line(record) + jsonl_line(sample_record("replica-news-2")));
  REQUIRE(run_indexer({"build", scratch / "only.jsonl", "--index", master}).exit_code == 0);
  replicate();
  const json rebuilt = search(searchd, "/api/search?q=zebrafiskmarkör");
  CHECK(rebuilt.at("total") == 1);
  CHECK(search(searchd, "/readyz").at("documents") == 2);
}

}  // namespace
}  // namespace sok::test
