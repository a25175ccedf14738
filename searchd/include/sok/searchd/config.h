#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "sok/index/searcher.h"

namespace sok::searchd {

// Limits on what a client may send. The defaults suit the public site.
struct Limits {
  std::size_t max_query_bytes = 4096;     // q of /api/search and /api/suggest, decoded
  std::size_t max_request_bytes = 65536;  // a whole request (line, headers, body): 413 beyond
  std::size_t max_header_bytes = 16384;   // all header lines together: 431 beyond
  // How long a connection may take to send its request line and headers
  // (408 after), and how long an idle keep-alive connection stays open.
  std::chrono::milliseconds header_timeout{5000};
  std::chrono::milliseconds keepalive_timeout{5000};
};

// Everything searchd runs with: the config file's values with the command
// line's on top.
struct Config {
  std::string listen = "127.0.0.1:8080";  // HOST:PORT; port 0 picks a free one
  // The index: one folder, or several shards, each a folder (a sharded one
  // counts as its shards) or tcp://HOST:PORT served by xapian-tcpsrv.
  std::vector<std::string> indexes;
  // With shards: answer 503 instead of a partial answer when one is down.
  bool strict_shards = false;
  // How long one exchange with a remote shard may take (and connecting to
  // one) before it counts as down.
  std::chrono::milliseconds shard_timeout{1000};
  unsigned threads = 0;     // HTTP worker threads; 0: one per core
  unsigned rate_limit = 0;  // requests a second per client on /api/; 0: off
  // Reverse proxies (addresses, CIDR ranges) whose X-Forwarded-For names
  // the client the rate limit counts; empty: the header is ignored.
  std::vector<std::string> trusted_proxies;
  std::vector<std::string>
      cors_origins;         // origins allowed to call the API from a browser; "*": any
  std::string admin_token;  // for the admin routes; "" disables them
  // HOST:PORT serving the admin routes alone; "": they are served on `listen`.
  std::string admin_listen;
  // What POST /api/admin/reindex builds the index from (files or folders,
  // as `indexer build` takes them); empty: rebuilds are refused.
  std::vector<std::string> sources;
  // The visitors' page's folder (searchd/web: static/, widget.js, i18n/).
  std::string web_root = SOK_DEFAULT_WEB_ROOT;
  Limits limits;
  RankingOptions ranking;  // [ranking]: the searcher's weights
};

// A config file that cannot be used; the message names the file, the line
// and the key ("searchd.toml:12:1: server.threads must be …").
class ConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Reads the TOML file at `path` over Config's defaults. Index paths that
// are relative are taken from the file's folder. Throws ConfigError on a
// syntax error, an unknown key, or a value of the wrong type or range.
Config load_config(const std::string& path);

// Sets the admin token from `token` (the SOK_ADMIN_TOKEN environment
// variable, null when unset) when the config has none.
void apply_admin_token(Config& config, const char* token);

struct ListenAddress {
  std::string host;  // an IPv4 address, or an IPv6 one without brackets
  std::uint16_t port = 0;
};

// Parses "127.0.0.1:8080" or "[::1]:8080"; nullopt when malformed.
std::optional<ListenAddress> parse_listen(std::string_view text);

// What is wrong with a complete config (after the command line), or "".
std::string config_problem(const Config& config);

// The settings that differ between `running` and `reloaded` but only take
// effect at a restart ("server.listen", "index.paths", …). The rate limit,
// CORS origins, admin token and rebuild sources change at a reload.
std::vector<std::string> settings_needing_restart(const Config& running, const Config& reloaded);

}  // namespace sok::searchd
