// searchd: the search API over HTTP for the website and its visitors. All
// the work is in the sok_searchd library and index/; this reads the config
// file and the command line, opens the index, serves, reloads the config on
// SIGHUP, and shuts down cleanly on SIGTERM or SIGINT.
//
// The first line on standard output is the address it listens on
// ("127.0.0.1:43817"), so that `--listen 127.0.0.1:0` can be used by
// scripts and tests; with an admin address, that one is the second line.
// The access log and errors go to standard error.
//
// Exit codes: 0 shut down by a signal; 2 usage or config error; 3 the index
// cannot be opened or the address cannot be listened on.
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "sok/index/index_error.h"
#include "sok/index/searcher.h"
#include "sok/searchd/api.h"
#include "sok/searchd/config.h"
#include "sok/searchd/http_server.h"

namespace {

constexpr int kOk = 0;
constexpr int kUsage = 2;
constexpr int kCannotServe = 3;

struct Arguments {
  std::string config_file;
  std::vector<std::string> indexes;
  std::string listen;
  std::string admin_listen;
  std::optional<unsigned> threads;
  std::optional<unsigned> rate_limit;
  bool strict_shards = false;
  std::vector<std::string> trusted_proxies;
};

// The config file's settings with the command line's on top.
sok::searchd::Config config_from(const Arguments& args) {
  sok::searchd::Config config;
  if (!args.config_file.empty()) config = sok::searchd::load_config(args.config_file);
  if (!args.indexes.empty()) config.indexes = args.indexes;
  if (!args.listen.empty()) config.listen = args.listen;
  if (!args.admin_listen.empty()) config.admin_listen = args.admin_listen;
  if (args.threads) config.threads = *args.threads;
  if (args.rate_limit) config.rate_limit = *args.rate_limit;
  if (args.strict_shards) config.strict_shards = true;
  if (!args.trusted_proxies.empty()) config.trusted_proxies = args.trusted_proxies;
  sok::searchd::apply_admin_token(config, std::getenv("SOK_ADMIN_TOKEN"));
  return config;
}

void use_stderr_log() {
  auto logger = spdlog::stderr_logger_mt("searchd");
  logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e %l %v");
  logger->flush_on(spdlog::level::info);
  spdlog::set_default_logger(logger);
}

constexpr auto kStatsSaveInterval = std::chrono::seconds(60);
// How long an admin job waits for an `indexer` run writing the same index.
constexpr auto kAdminLockWait = std::chrono::minutes(5);

// Blocks SIGINT, SIGTERM and SIGHUP in this thread and the threads it
// starts, so that only wait_for_stop_signal() receives them.
sigset_t block_signals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  return signals;
}

// Waits for SIGINT or SIGTERM and returns it; runs `reload` on each SIGHUP
// and `now_and_then` about every kStatsSaveInterval.
template <typename Reload, typename Periodic>
int wait_for_stop_signal(const sigset_t& signals, Reload reload, Periodic now_and_then) {
  auto next = std::chrono::steady_clock::now() + kStatsSaveInterval;
  while (true) {
    const auto left = std::max(next - std::chrono::steady_clock::now(),
                               std::chrono::steady_clock::duration::zero());
    const auto secs = std::chrono::duration_cast<std::chrono::seconds>(left);
    const timespec timeout{static_cast<time_t>(secs.count()),
                           static_cast<long>((left - secs) / std::chrono::nanoseconds(1))};
    const int signal = sigtimedwait(&signals, nullptr, &timeout);
    if (signal == SIGHUP) reload();
    if (signal == SIGINT || signal == SIGTERM) return signal;
    if (std::chrono::steady_clock::now() >= next) {
      now_and_then();
      next = std::chrono::steady_clock::now() + kStatsSaveInterval;
    }
  }
}

sok::searchd::ApiOptions live_options(const sok::searchd::Config& config) {
  sok::searchd::ApiOptions options;
  options.rate_limit = config.rate_limit;
  options.cors_origins = config.cors_origins;
  options.admin_token = config.admin_token;
  return options;
}

// Re-reads the config file and the command line; takes what can change
// while running and logs what needs a restart. A bad file changes nothing.
void reload(const Arguments& args, sok::searchd::Config& running, sok::searchd::Api& api,
            sok::searchd::JobQueue& jobs) {
  sok::searchd::Config reloaded;
  try {
    reloaded = config_from(args);
  } catch (const sok::searchd::ConfigError& e) {
    spdlog::error("SIGHUP: the config was not reloaded, nothing changed: {}", e.what());
    return;
  }
  for (const auto& name : sok::searchd::settings_needing_restart(running, reloaded))
    spdlog::warn("SIGHUP: {} changed; it takes effect at the next restart", name);
  api.reload(live_options(reloaded));
  jobs.set_sources(reloaded.sources);
  running.rate_limit = reloaded.rate_limit;
  running.cors_origins = reloaded.cors_origins;
  running.admin_token = reloaded.admin_token;
  running.sources = reloaded.sources;
  spdlog::info(
      "SIGHUP: config reloaded (rate limit {}, {} CORS origins, admin routes {}, {} rebuild "
      "sources)",
      reloaded.rate_limit, reloaded.cors_origins.size(),
      reloaded.admin_token.empty() ? "off" : "on", reloaded.sources.size());
}

void save_stats(const sok::searchd::QueryStats& stats) {
  if (const std::string problem = stats.save(); !problem.empty()) spdlog::warn("{}", problem);
}

sok::searchd::JobQueue::Options job_options(const sok::searchd::Config& config) {
  sok::searchd::JobQueue::Options options;
  options.index_dir = config.indexes.front();
  options.sources = config.sources;
  options.indexing.lock_wait = kAdminLockWait;
  // Half the cores for a rebuild: the other half keeps answering searches.
  options.indexing.threads = std::max(1u, std::thread::hardware_concurrency() / 2);
  return options;
}

// The admin routes write the index: one local folder (sharded or not);
// "" for an index of several locations or a remote one.
std::string writable_index(const sok::searchd::Config& config) {
  const std::string& first = config.indexes.front();
  if (config.indexes.size() != 1 || sok::parse_remote_shard(first)) return "";
  return first;
}

sok::ShardOptions shard_options(const sok::searchd::Config& config,
                                sok::searchd::Metrics& metrics) {
  sok::ShardOptions options;
  options.timeout = config.shard_timeout;
  options.connect_timeout = config.shard_timeout;
  options.on_down = [&metrics](const std::string& shard, const std::string&) {
    metrics.count_shard_down(shard);
  };
  options.on_up = [&metrics](const std::string& shard) { metrics.count_shard_up(shard); };
  return options;
}

int serve(const Arguments& args, sok::searchd::Config config) {
  const std::string& index = config.indexes.front();
  sok::searchd::Metrics metrics;
  try {
    const sok::Searcher probe(config.indexes, {}, shard_options(config, metrics));
    const sok::IndexInfo info = probe.info();
    spdlog::info("index {}: {} documents in {} shards ({} down), revision {}", index,
                 probe.documents(), info.shards, info.shards_down, info.revision);
  } catch (const sok::IndexError& e) {
    std::fprintf(stderr, "searchd: %s\n", e.what());
    return kCannotServe;
  }
  std::optional<sok::searchd::WebFiles> web;
  try {
    web = sok::searchd::WebFiles::load(config.web_root);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "searchd: the search page's files: %s\n", e.what());
    return kCannotServe;
  }
  const sigset_t signals = block_signals();
  sok::searchd::SearcherPool searchers(config.indexes, shard_options(config, metrics),
                                       config.ranking);
  const std::string writable = writable_index(config);
  sok::searchd::QueryStats stats(
      writable.empty() ? "" : (std::filesystem::path(writable) / "query-stats.json").string());
  if (!stats.load_problem().empty()) spdlog::error("{}", stats.load_problem());
  sok::searchd::JobQueue jobs(job_options(config));
  sok::searchd::ApiOptions options = live_options(config);
  options.limits.max_query_bytes = config.limits.max_query_bytes;
  options.separate_admin_listener = !config.admin_listen.empty();
  options.web = &*web;
  options.jobs = writable.empty() ? nullptr : &jobs;
  options.strict_shards = config.strict_shards;
  if (writable.empty()) spdlog::info("admin writes off: the index is not one local folder");
  options.query_stats = &stats;
  if (config.admin_token.empty()) spdlog::info("admin routes off: no admin token");
  sok::searchd::Api api(options, searchers, metrics);
  sok::searchd::HttpServer server(api, config);
  std::string address;
  try {
    address = server.start();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "searchd: %s\n", e.what());
    return kCannotServe;
  }
  std::printf("%s\n", address.c_str());
  if (!server.admin_address().empty()) std::printf("%s\n", server.admin_address().c_str());
  std::fflush(stdout);
  spdlog::info("listening on {}", address);
  if (!server.admin_address().empty())
    spdlog::info("admin routes on {} only", server.admin_address());
  const int signal = wait_for_stop_signal(
      signals, [&] { reload(args, config, api, jobs); }, [&] { save_stats(stats); });
  spdlog::info("{}: shutting down", strsignal(signal));
  server.shutdown();
  save_stats(stats);
  spdlog::info("stopped");
  return kOk;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"searchd: the sok search API over HTTP"};
  Arguments args;
  app.add_option("--config", args.config_file, "TOML config file (see searchd/searchd.toml)")
      ->check(CLI::ExistingFile);
  app.add_option("--index", args.indexes,
                 "index folder, as written by `indexer build`; once per shard, each a folder or "
                 "tcp://HOST:PORT (xapian-tcpsrv)")
      ->take_all();
  app.add_flag("--strict-shards", args.strict_shards,
               "answer 503 when a shard is down instead of a partial answer");
  app.add_option("--listen", args.listen, "HOST:PORT to listen on (default 127.0.0.1:8080)");
  app.add_option("--admin-listen", args.admin_listen,
                 "HOST:PORT serving the admin routes alone (default: none, they are on --listen)");
  app.add_option("--threads", args.threads, "HTTP worker threads (0, the default: one per core)")
      ->check(CLI::Range(0, 256));
  app.add_option("--rate-limit", args.rate_limit,
                 "requests a second per client on /api/ (0: off, the default)");
  app.add_option("--trusted-proxy", args.trusted_proxies,
                 "address or range (10.0.0.0/8) of a reverse proxy whose X-Forwarded-For names "
                 "the client; once per proxy, or comma-separated")
      ->delimiter(',');
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? kOk : kUsage;
  }

  use_stderr_log();
  sok::searchd::Config config;
  try {
    config = config_from(args);
  } catch (const sok::searchd::ConfigError& e) {
    std::fprintf(stderr, "searchd: %s\n", e.what());
    return kUsage;
  }
  if (const std::string problem = sok::searchd::config_problem(config); !problem.empty()) {
    std::fprintf(stderr, "searchd: %s\n", problem.c_str());
    return kUsage;
  }
  return serve(args, config);
}
