// searchd: the search API over HTTP for the website and its visitors. All
// the work is in the sok_searchd library and index/; this reads the config
// file and the command line, opens the index, serves, and shuts down
// cleanly on SIGTERM or SIGINT.
//
// The first line on standard output is the address it listens on
// ("127.0.0.1:43817"), so that `--listen 127.0.0.1:0` can be used by
// scripts and tests. The access log and errors go to standard error.
//
// Exit codes: 0 shut down by a signal; 2 usage or config error; 3 the index
// cannot be opened or the address cannot be listened on.
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>
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
  std::optional<unsigned> threads;
  std::optional<unsigned> rate_limit;
};

// The config file's settings with the command line's on top.
sok::searchd::Config config_from(const Arguments& args) {
  sok::searchd::Config config;
  if (!args.config_file.empty()) config = sok::searchd::load_config(args.config_file);
  if (!args.indexes.empty()) config.indexes = args.indexes;
  if (!args.listen.empty()) config.listen = args.listen;
  if (args.threads) config.threads = *args.threads;
  if (args.rate_limit) config.rate_limit = *args.rate_limit;
  sok::searchd::apply_admin_token(config, std::getenv("SOK_ADMIN_TOKEN"));
  return config;
}

void use_stderr_log() {
  auto logger = spdlog::stderr_logger_mt("searchd");
  logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e %l %v");
  logger->flush_on(spdlog::level::info);
  spdlog::set_default_logger(logger);
}

// Blocks SIGINT and SIGTERM in this thread and the threads it starts, so
// that only wait_for_stop_signal() receives them.
sigset_t block_stop_signals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  return signals;
}

int wait_for_stop_signal(const sigset_t& signals) {
  int signal = 0;
  while (sigwait(&signals, &signal) != 0) {
  }
  return signal;
}

int serve(const sok::searchd::Config& config) {
  const std::string& index = config.indexes.front();
  try {
    const sok::Searcher probe(index);
    spdlog::info("index {}: {} documents, revision {}", index, probe.documents(),
                 probe.info().revision);
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
  const sigset_t signals = block_stop_signals();
  sok::searchd::SearcherPool searchers(index);
  sok::searchd::Metrics metrics;
  sok::searchd::ApiOptions options;
  options.limits.max_query_bytes = config.limits.max_query_bytes;
  options.rate_limit = config.rate_limit;
  options.cors_origins = config.cors_origins;
  options.web = &*web;
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
  std::fflush(stdout);
  spdlog::info("listening on {}", address);
  const int signal = wait_for_stop_signal(signals);
  spdlog::info("{}: shutting down", strsignal(signal));
  server.shutdown();
  spdlog::info("stopped");
  return kOk;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"searchd: the sok search API over HTTP"};
  Arguments args;
  app.add_option("--config", args.config_file, "TOML config file (see searchd/searchd.toml)")
      ->check(CLI::ExistingFile);
  app.add_option("--index", args.indexes, "index folder, as written by `indexer build`")
      ->take_all();
  app.add_option("--listen", args.listen, "HOST:PORT to listen on (default 127.0.0.1:8080)");
  app.add_option("--threads", args.threads, "HTTP worker threads (0, the default: one per core)")
      ->check(CLI::Range(0, 256));
  app.add_option("--rate-limit", args.rate_limit,
                 "requests a second per client on /api/ (0: off, the default)");
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
  return serve(config);
}
