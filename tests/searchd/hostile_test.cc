// End-to-end: hostile clients over real loopback sockets. Each attack runs
// beside a normal client whose searches must all be answered promptly
// (within a generous 1 s: a liveness bound, not a timing), and each bad
// connection must be answered with a 4xx or closed within the configured
// timeouts and a margin.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "daemon.h"
#include "support.h"

namespace sok::test {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

// Timeouts short enough to wait for, long enough for an attack to hang on
// the daemon meanwhile. Pistache looks for timed-out connections about
// once a second, hence the margin.
constexpr auto kHeaderTimeout = 2000ms;
constexpr auto kShedMargin = 3000ms;
constexpr double kPromptSeconds = 1.0;

// One searchd over the corpus index for the attacks.
Daemon& daemon() {
  static const TempDir folder;
  static Daemon instance = [] {
    write_file(folder / "searchd.toml",
               "[server]\nthreads = 2\n[index]\npaths = [\"" + corpus_index() +
                   "\"]\n[limits]\nheader_timeout_ms = " + std::to_string(kHeaderTimeout.count()) +
                   "\nkeepalive_timeout_ms = " + std::to_string(kHeaderTimeout.count()) + "\n");
    return Daemon({"--config", folder / "searchd.toml"});
  }();
  return instance;
}

// The sockets `pid` holds open. Other descriptors come and go with the
// worker threads' index handles (each opens its own on its first search).
std::size_t open_sockets(pid_t pid) {
  std::size_t n = 0;
  std::error_code error;
  for (auto it = std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/fd", error);
       !error && it != std::filesystem::directory_iterator(); it.increment(error)) {
    const auto target = std::filesystem::read_symlink(it->path(), error);
    if (!error && target.string().rfind("socket:", 0) == 0) ++n;
  }
  return n;
}

// A normal visitor searching every 50 ms on a connection of its own while
// an attack runs: how many searches were answered, which were not 200, and
// the slowest.
class Visitor {
 public:
  explicit Visitor(const Daemon& daemon)
      : thread_([this, &daemon] {
          while (!stop_) {
            const auto start = Clock::now();
            const int status = daemon.get("/api/search?q=forskning&size=5").status;
            const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
            slowest_ = std::max(slowest_.load(), seconds);
            ++answered_;
            if (status != 200) ++failed_;
            std::this_thread::sleep_for(50ms);
          }
        }) {}
  ~Visitor() { stop(); }

  void stop() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
  }

  // Stops once it has searched three times at least (waiting up to 3 s),
  // then checks it was served all along.
  void check_served() {
    const auto deadline = Clock::now() + 3s;
    while (answered_ < 3 && Clock::now() < deadline) std::this_thread::sleep_for(10ms);
    stop();
    INFO("the visitor's searches: " << answered_ << " answered, " << failed_
                                    << " not 200, the slowest in " << slowest_ << " s");
    CHECK(answered_ >= 3);
    CHECK(failed_ == 0);
    CHECK(slowest_ < kPromptSeconds);
  }

 private:
  std::atomic<bool> stop_{false};
  std::atomic<int> answered_{0};
  std::atomic<int> failed_{0};
  std::atomic<double> slowest_{0};
  std::thread thread_;
};

// Plain sockets to the daemon that send only what they are told.
class Sockets {
 public:
  // Opens up to `count`; stops at the first connect that fails.
  Sockets(std::uint16_t port, std::size_t count) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    for (std::size_t i = 0; i < count; ++i) {
      const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
      if (fd < 0) break;
      if (::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
        ::close(fd);
        break;
      }
      fds_.push_back(fd);
    }
    closed_.assign(fds_.size(), false);
    answers_.assign(fds_.size(), "");
  }
  ~Sockets() {
    for (const int fd : fds_) ::close(fd);
  }
  Sockets(const Sockets&) = delete;
  Sockets& operator=(const Sockets&) = delete;

  std::size_t size() const { return fds_.size(); }

  // Sends `bytes` on each connection still open.
  void send_all(const std::string& bytes) {
    for (std::size_t i = 0; i < fds_.size(); ++i) {
      if (!closed_[i]) ::send(fds_[i], bytes.data(), bytes.size(), MSG_NOSIGNAL);
    }
  }

  // Reads what the daemon sent until each connection is closed or
  // `deadline` passes; the number closed.
  std::size_t wait_closed(Clock::time_point deadline) {
    while (true) {
      read_ready(Clock::now() >= deadline ? 0 : 50);
      if (closed() == fds_.size() || Clock::now() >= deadline) return closed();
    }
  }

  std::size_t closed() const {
    return static_cast<std::size_t>(std::count(closed_.begin(), closed_.end(), true));
  }
  // What the daemon sent on connection `i` before it closed.
  const std::string& answer(std::size_t i) const { return answers_[i]; }

 private:
  void read_ready(int timeout_ms) {
    std::vector<pollfd> waiting;
    std::vector<std::size_t> index;
    for (std::size_t i = 0; i < fds_.size(); ++i) {
      if (closed_[i]) continue;
      waiting.push_back({fds_[i], POLLIN, 0});
      index.push_back(i);
    }
    if (waiting.empty() || ::poll(waiting.data(), waiting.size(), timeout_ms) <= 0) return;
    for (std::size_t k = 0; k < waiting.size(); ++k) {
      if (waiting[k].revents == 0) continue;
      char chunk[4096];
      const ssize_t got = ::recv(waiting[k].fd, chunk, sizeof chunk, 0);
      if (got <= 0) {
        closed_[index[k]] = true;
      } else {
        answers_[index[k]].append(chunk, static_cast<std::size_t>(got));
      }
    }
  }

  std::vector<int> fds_;
  std::vector<bool> closed_;
  std::vector<std::string> answers_;
};

// Raises this process's soft limit of open files towards `wanted`; the limit now.
std::size_t raise_open_files(std::size_t wanted) {
  rlimit limit{};
  ::getrlimit(RLIMIT_NOFILE, &limit);
  if (limit.rlim_cur < wanted) {
    limit.rlim_cur = std::min<rlim_t>(wanted, limit.rlim_max);
    ::setrlimit(RLIMIT_NOFILE, &limit);
    ::getrlimit(RLIMIT_NOFILE, &limit);
  }
  return limit.rlim_cur;
}

int status_of(const std::string& answer) {
  if (answer.rfind("HTTP/1.", 0) != 0 || answer.size() < 12) return 0;
  return std::stoi(answer.substr(9, 3));
}

// The JSON body of the response `raw` (head and body), null when none.
nlohmann::json body_of(const std::string& raw) {
  const std::size_t head_end = raw.find("\r\n\r\n");
  if (head_end == std::string::npos) return nullptr;
  return nlohmann::json::parse(raw.substr(head_end + 4), nullptr, false);
}

// Sends `request` on a new connection and reads until the daemon closes it
// (within `timeout`); everything it sent, and whether it closed.
std::pair<std::string, bool> exchange(std::uint16_t port, const std::string& request,
                                      std::chrono::milliseconds timeout = 3000ms) {
  Sockets one(port, 1);
  REQUIRE(one.size() == 1);
  one.send_all(request);
  const bool closed = one.wait_closed(Clock::now() + timeout) == 1;
  return {one.answer(0), closed};
}

// The statuses of the responses one after the other in `answers`, each
// read by its Content-Length.
std::vector<int> statuses_in(std::string_view answers) {
  std::vector<int> out;
  while (!answers.empty()) {
    const std::size_t head_end = answers.find("\r\n\r\n");
    if (head_end == std::string_view::npos) break;
    out.push_back(status_of(std::string(answers.substr(0, 12))));
    std::size_t length = 0;
    const std::string head(answers.substr(0, head_end));
    const std::size_t at = head.find("Content-Length: ");
    if (at != std::string::npos) length = std::stoul(head.substr(at + 16));
    answers.remove_prefix(std::min(answers.size(), head_end + 4 + length));
  }
  return out;
}

TEST_CASE("A slow-loris client sending its headers a byte a second is shed at the header timeout",
          "[searchd][e2e][hostile]") {
  Visitor visitor(daemon());
  const auto start = Clock::now();
  Sockets slow(daemon().port(), 20);
  REQUIRE(slow.size() == 20);
  const std::string request = "GET /api/search?q=forskning HTTP/1.1\r\nHost: x\r\nX-Slow: abc";
  std::size_t sent = 0;
  while (slow.closed() < slow.size() && Clock::now() - start < kHeaderTimeout + kShedMargin) {
    slow.send_all(request.substr(sent++ % request.size(), 1));
    slow.wait_closed(Clock::now() + 1s);
  }
  CHECK(slow.closed() == slow.size());
  CHECK(sent < request.size());  // never got to finish its request line and headers
  for (std::size_t i = 0; i < slow.size(); ++i) {
    CAPTURE(slow.answer(i));
    CHECK(status_of(slow.answer(i)) == 408);
  }
  visitor.check_served();
}

TEST_CASE("Thousands of idle connections are shed at the header timeout and their files freed",
          "[searchd][e2e][hostile]") {
  // This process holds one end of each connection, searchd the other
  // (searchd raises its own limit to the hard one).
  const std::size_t limit = raise_open_files(4096);
  const std::size_t wanted = std::min<std::size_t>(2000, limit - 100);
  const std::size_t sockets_before = open_sockets(daemon().pid());
  Visitor visitor(daemon());
  const auto start = Clock::now();
  Sockets idle(daemon().port(), wanted);
  INFO("opened " << idle.size() << " of " << wanted << " idle connections (open files limit "
                 << limit << ")");
  CHECK(idle.size() == wanted);
  CHECK(idle.size() >= 900);
  std::this_thread::sleep_for(500ms);  // all of them hang on the daemon meanwhile
  CHECK(open_sockets(daemon().pid()) >= sockets_before + idle.size() * 9 / 10);
  CHECK(idle.wait_closed(start + kHeaderTimeout + kShedMargin) == idle.size());
  visitor.check_served();
  // Each was answered 408 (nothing else) before it was closed.
  std::size_t timed_out = 0;
  for (std::size_t i = 0; i < idle.size(); ++i) timed_out += status_of(idle.answer(i)) == 408;
  CHECK(timed_out == idle.size());
  // Their sockets are closed: searchd holds as many as before.
  const auto deadline = Clock::now() + 3s;
  while (open_sockets(daemon().pid()) > sockets_before + 5 && Clock::now() < deadline)
    std::this_thread::sleep_for(50ms);
  CHECK(open_sockets(daemon().pid()) <= sockets_before + 5);
}

TEST_CASE("Pipelined requests on one connection are all answered, in order",
          "[searchd][e2e][hostile]") {
  const std::string keep = " HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n\r\n";
  const auto [answers, closed] =
      exchange(daemon().port(), "GET /healthz" + keep + "GET /api/search?q=forskning" + keep +
                                    "GET /nowhere" + keep + "GET /api/suggest?q=fo" + keep +
                                    "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
  CHECK(statuses_in(answers) == std::vector<int>{200, 200, 404, 200, 200});
  CHECK(closed);  // after the last, which did not ask for keep-alive
  CHECK(daemon().get("/healthz").status == 200);
}

TEST_CASE("A body sent with GET is passed over and the next request on the connection answered",
          "[searchd][e2e][hostile]") {
  const std::string body = "GET /not-a-request HTTP/1.1\r\n\r\n";
  const auto [answers, closed] =
      exchange(daemon().port(),
               "GET /api/search?q=forskning HTTP/1.1\r\nHost: x\r\nConnection: "
               "keep-alive\r\nContent-Length: " +
                   std::to_string(body.size()) + "\r\n\r\n" + body +
                   "GET /api/suggest?q=fo HTTP/1.1\r\nHost: x\r\n\r\n");
  CHECK(statuses_in(answers) == std::vector<int>{200, 200});
  CHECK(answers.find("not-a-request") == std::string::npos);
  CHECK(closed);
}

TEST_CASE("A megabyte of headers is refused with a JSON 431 at once and the connection closed",
          "[searchd][e2e][hostile]") {
  Visitor visitor(daemon());
  std::string many_lines = "GET /api/search?q=x HTTP/1.1\r\nHost: x\r\n";
  while (many_lines.size() < (1 << 20))
    many_lines += "X-Filler: " + std::string(1000, 'x') + "\r\n";
  const std::string one_line =
      "GET /api/search?q=x HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(1 << 20, 'y') + "\r\n";
  for (const auto& request : {many_lines + "\r\n", one_line + "\r\n", many_lines}) {
    const auto start = Clock::now();
    const auto [answer, closed] = exchange(daemon().port(), request, 5000ms);
    CHECK(closed);
    CHECK(seconds_since(start) < 3);
    CHECK(status_of(answer) == 431);
    CHECK(body_of(answer)["error"]["code"] == "headers_too_large");
    CHECK(statuses_in(answer).size() == 1);  // one answer, not one per chunk read
  }
  visitor.check_served();
}

std::size_t resident_kib(pid_t pid) {
  const std::string status = read_file("/proc/" + std::to_string(pid) + "/status");
  const std::size_t at = status.find("VmRSS:");
  return at == std::string::npos ? 0 : std::stoul(status.substr(at + 6));
}

TEST_CASE("A client that pipelines requests and reads no answers is closed, not buffered for",
          "[searchd][e2e][hostile]") {
  Visitor visitor(daemon());
  std::this_thread::sleep_for(1s);  // the visitor's searches warm the searchers up
  const std::size_t rss_before = resident_kib(daemon().pid());
  // 5,000 searches of ~20 KB answers each: 100 MB if searchd kept them all.
  std::string burst;
  for (int i = 0; i < 5000; ++i)
    burst += "GET /api/search?q=forskning&size=20 HTTP/1.1\r\nConnection: keep-alive\r\n\r\n";
  Sockets greedy(daemon().port(), 1);
  REQUIRE(greedy.size() == 1);
  greedy.send_all(burst);
  std::this_thread::sleep_for(3s);  // reading nothing
  const std::size_t rss_during = resident_kib(daemon().pid());
  CHECK(greedy.wait_closed(Clock::now() + 10s) == 1);
  const std::size_t answers = statuses_in(greedy.answer(0)).size();
  INFO("searchd's RSS " << rss_before / 1024 << " MiB before, " << rss_during / 1024
                        << " MiB while unread; " << answers << " answers read after all");
  CHECK(answers < 5000);
  // (AddressSanitizer keeps freed memory aside: RSS says nothing there.)
  if (!kSanitized) CHECK(rss_during < rss_before + 32 * 1024);
  visitor.check_served();
}

TEST_CASE("Unknown methods and HTTP versions get a JSON error and a close at once",
          "[searchd][e2e][hostile]") {
  const struct {
    std::string request;
    int status;
  } cases[] = {
      {"FOO /api/search?q=x HTTP/1.1\r\nHost: x\r\n\r\n", 501},
      {"get /healthz HTTP/1.1\r\nHost: x\r\n\r\n", 501},
      {"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", 501},
      {"GET /healthz HTTP/2.0\r\nHost: x\r\n\r\n", 505},
      {"GET /healthz HTTP/9.9\r\nHost: x\r\n\r\n", 505},
      {"PUT /api/search HTTP/1.1\r\nHost: x\r\n\r\n", 405},
      {"DELETE /healthz HTTP/1.1\r\nHost: x\r\n\r\n", 405},
      {"TRACE / HTTP/1.1\r\nHost: x\r\n\r\n", 405},
      {"CONNECT example.com:443 HTTP/1.1\r\nHost: x\r\n\r\n", 404},
  };
  const std::uint16_t port = daemon().port();  // started before the clock runs
  for (const auto& c : cases) {
    CAPTURE(c.request);
    const auto start = Clock::now();
    const auto [answer, closed] = exchange(port, c.request);
    CHECK(status_of(answer) == c.status);
    CHECK(body_of(answer)["error"]["message"].is_string());
    CHECK(closed);
    CHECK(seconds_since(start) < 1.5);
  }
}

TEST_CASE("HTTP/1.0 without Host is answered and the connection closed",
          "[searchd][e2e][hostile]") {
  const auto [answer, closed] =
      exchange(daemon().port(), "GET /api/search?q=forskning HTTP/1.0\r\n\r\n");
  CHECK(answer.rfind("HTTP/1.0 200", 0) == 0);
  CHECK(body_of(answer)["hits"].is_array());
  CHECK(closed);
}

TEST_CASE("A body without a length, or with two lengths, is refused before it is read",
          "[searchd][e2e][hostile]") {
  const struct {
    std::string request;
    int status;
  } cases[] = {
      {"POST /api/admin/reindex HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
       "0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n",
       411},
      {"GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nContent-Length: 44\r\n\r\n"
       "GET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n",
       400},
  };
  for (const auto& c : cases) {
    CAPTURE(c.request);
    const auto [answer, closed] = exchange(daemon().port(), c.request);
    CHECK(statuses_in(answer) == std::vector<int>{c.status});
    CHECK(body_of(answer)["error"]["message"].is_string());
    CHECK(closed);
  }
}

TEST_CASE("The page is served with a strict CSP, nosniff and a Referrer-Policy, its files nosniff",
          "[searchd][e2e][page]") {
  for (const std::string target : {"/", "/?q=forskning", "/?q=%3Cscript%3E", "/?size=0"}) {
    CAPTURE(target);
    const HttpResponse page = daemon().get(target);
    CHECK_THAT(page.header("content-type"), Catch::StartsWith("text/html"));
    const std::string policy = page.header("content-security-policy");
    for (const char* part :
         {"default-src 'self'", "script-src 'self'", "object-src 'none'", "base-uri 'none'"}) {
      CHECK_THAT(policy, Catch::Contains(part));
    }
    CHECK_THAT(policy, Catch::Contains("frame-ancestors 'self'"));
    CHECK_FALSE(contains(policy, "unsafe-inline"));
    CHECK_FALSE(contains(policy, "unsafe-eval"));
    CHECK(page.header("x-content-type-options") == "nosniff");
    CHECK(page.header("referrer-policy") == "strict-origin-when-cross-origin");
  }
  for (const std::string file : {"/widget.js", "/static/app.js", "/static/style.css"}) {
    CAPTURE(file);
    const HttpResponse response = daemon().get(file);
    CHECK(response.status == 200);
    CHECK(response.header("x-content-type-options") == "nosniff");
  }
}

TEST_CASE("Behind a trusted proxy the rate limit counts each X-Forwarded-For client",
          "[searchd][e2e][hostile][client_address]") {
  Daemon proxied(
      {"--index", corpus_index(), "--rate-limit", "2", "--trusted-proxy", "127.0.0.1,::1"});
  // Through the proxy (127.0.0.1): each client has a bucket of its own.
  const auto through = [&](const std::string& chain) {
    return proxied.get("/api/suggest?q=fo", {{"X-Forwarded-For", chain}}).status;
  };
  int refused_a = 0;
  for (int i = 0; i < 6; ++i) refused_a += through("198.51.100.1") == 429;
  CHECK(refused_a >= 3);
  CHECK(through("198.51.100.2") == 200);  // another client is not held back by the first
  // A client cannot escape its bucket by naming someone else on the left.
  // The bucket is emptied again just before, since a slow (sanitized) run
  // may have refilled a token meanwhile.
  for (int i = 0; i < 6 && through("198.51.100.1") != 429; ++i) {
  }
  CHECK(through("203.0.113.77, 198.51.100.1") == 429);

  // Without trusted proxies the header is ignored: all of it is one client.
  Daemon direct({"--index", corpus_index(), "--rate-limit", "2"});
  int refused = 0;
  for (int i = 0; i < 6; ++i) {
    refused +=
        direct.get("/api/suggest?q=fo", {{"X-Forwarded-For", "198.51.100." + std::to_string(i)}})
            .status == 429;
  }
  CHECK(refused >= 3);
}

TEST_CASE("A bad trusted proxy on the command line stops searchd with exit code 2",
          "[searchd][e2e][client_address]") {
  const CommandResult result =
      run_searchd({"--index", corpus_index(), "--trusted-proxy", "127.0.0.1,proxy.local"});
  CHECK(result.exit_code == 2);
  CHECK_THAT(result.err, Catch::Contains("trusted proxy \"proxy.local\" is not an IP address"));
}

}  // namespace
}  // namespace sok::test
