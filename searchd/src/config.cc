#include "sok/searchd/config.h"

#include <toml++/toml.h>

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <functional>
#include <map>

#include "sok/searchd/client_address.h"

#include "sok/index/searcher.h"

namespace sok::searchd {
namespace {

namespace fs = std::filesystem;

// Reads one table of a config file, each key with its own reader.
class TableReader {
 public:
  TableReader(std::string file, std::string section) : file_(file), section_(section) {}

  using Reader = std::function<void(const toml::node&, const std::string& key)>;
  void on(std::string key, Reader reader) { readers_[std::move(key)] = std::move(reader); }

  void read(const toml::table& table) const {
    for (const auto& [key, node] : table) {
      const std::string name(key.str());
      const auto reader = readers_.find(name);
      if (reader == readers_.end())
        fail(key.source(), qualified(name), "is not a setting searchd knows");
      reader->second(node, qualified(name));
    }
  }

  [[noreturn]] void fail(const toml::node& node, const std::string& key,
                         const std::string& what) const {
    fail(node.source(), key, what);
  }

  [[noreturn]] void fail(const toml::source_region& source, const std::string& key,
                         const std::string& what) const {
    const auto& where = source.begin;
    throw ConfigError(file_ + ":" + std::to_string(where.line) + ":" +
                      std::to_string(where.column) + ": " + key + " " + what);
  }

  std::string text(const toml::node& node, const std::string& key) const {
    const auto value = node.value<std::string>();
    if (!node.is_string() || !value) fail(node, key, "must be a string");
    return *value;
  }

  std::vector<std::string> texts(const toml::node& node, const std::string& key) const {
    const auto* array = node.as_array();
    if (!array) fail(node, key, "must be an array of strings");
    std::vector<std::string> out;
    for (const auto& item : *array) out.push_back(text(item, key));
    return out;
  }

  double decimal(const toml::node& node, const std::string& key, double min, double max) const {
    const auto value = node.value<double>();  // an integer reads as one too
    if (!value || *value < min || *value > max) {
      fail(node, key, "must be a number from " + shortest(min) + " to " + shortest(max));
    }
    return *value;
  }

  std::int64_t number(const toml::node& node, const std::string& key, std::int64_t min,
                      std::int64_t max) const {
    const auto* value = node.as_integer();
    if (!value || value->get() < min || value->get() > max) {
      fail(node, key,
           "must be a whole number from " + std::to_string(min) + " to " + std::to_string(max));
    }
    return value->get();
  }

 private:
  static std::string shortest(double value) {
    char out[32];
    const auto end = std::to_chars(out, out + sizeof out, value).ptr;
    return std::string(out, end);
  }

  std::string qualified(const std::string& key) const {
    return section_.empty() ? key : section_ + "." + key;
  }

  std::string file_;
  std::string section_;
  std::map<std::string, Reader> readers_;
};

bool is_remote(const std::string& index) {
  return index.rfind("tcp://", 0) == 0;
}

void read_server(const TableReader& r, const toml::table& table, Config& c) {
  TableReader server = r;
  server.on("listen", [&](const toml::node& n, const std::string& k) {
    c.listen = server.text(n, k);
    if (!parse_listen(c.listen)) server.fail(n, k, "must be HOST:PORT, such as 127.0.0.1:8080");
  });
  server.on("threads", [&](const toml::node& n, const std::string& k) {
    c.threads = static_cast<unsigned>(server.number(n, k, 0, 256));
  });
  server.on("rate_limit", [&](const toml::node& n, const std::string& k) {
    c.rate_limit = static_cast<unsigned>(server.number(n, k, 0, 1000000));
  });
  server.on("trusted_proxies", [&](const toml::node& n, const std::string& k) {
    c.trusted_proxies = server.texts(n, k);
    std::string problem;
    if (!TrustedProxies::parse(c.trusted_proxies, problem))
      server.fail(n, k, "must hold IP addresses or ranges: " + problem);
  });
  server.on("cors_origins", [&](const toml::node& n, const std::string& k) {
    c.cors_origins = server.texts(n, k);
  });
  server.on("admin_token",
            [&](const toml::node& n, const std::string& k) { c.admin_token = server.text(n, k); });
  server.on("admin_listen", [&](const toml::node& n, const std::string& k) {
    c.admin_listen = server.text(n, k);
    if (!c.admin_listen.empty() && !parse_listen(c.admin_listen))
      server.fail(n, k, "must be HOST:PORT, such as 127.0.0.1:8081, or \"\" for none");
  });
  server.read(table);
}

void read_index(const TableReader& r, const toml::table& table, const fs::path& folder, Config& c) {
  TableReader index = r;
  index.on("paths", [&](const toml::node& n, const std::string& k) {
    c.indexes.clear();
    for (const auto& path : index.texts(n, k)) {
      if (path.empty()) index.fail(n, k, "must not hold an empty path");
      const bool keep = is_remote(path) || fs::path(path).is_absolute();
      c.indexes.push_back(keep ? path : (folder / path).lexically_normal().string());
    }
  });
  index.on("strict", [&](const toml::node& n, const std::string& k) {
    if (!n.is_boolean()) index.fail(n, k, "must be true or false");
    c.strict_shards = *n.value<bool>();
  });
  index.on("shard_timeout_ms", [&](const toml::node& n, const std::string& k) {
    c.shard_timeout = std::chrono::milliseconds(index.number(n, k, 50, 60000));
  });
  index.on("sources", [&](const toml::node& n, const std::string& k) {
    c.sources.clear();
    for (const auto& path : index.texts(n, k)) {
      if (path.empty()) index.fail(n, k, "must not hold an empty path");
      const bool keep = fs::path(path).is_absolute();
      c.sources.push_back(keep ? path : (folder / path).lexically_normal().string());
    }
  });
  index.read(table);
}

void read_web(const TableReader& r, const toml::table& table, const fs::path& folder, Config& c) {
  TableReader web = r;
  web.on("root", [&](const toml::node& n, const std::string& k) {
    const std::string root = web.text(n, k);
    if (root.empty()) web.fail(n, k, "must name the web folder");
    c.web_root = fs::path(root).is_absolute() ? root : (folder / root).lexically_normal().string();
  });
  web.read(table);
}

void read_limits(const TableReader& r, const toml::table& table, Limits& l) {
  TableReader limits = r;
  const auto bytes = [&](std::size_t& out, std::int64_t min, std::int64_t max) {
    return [&out, &limits, min, max](const toml::node& n, const std::string& k) {
      out = static_cast<std::size_t>(limits.number(n, k, min, max));
    };
  };
  const auto millis = [&](std::chrono::milliseconds& out) {
    return [&out, &limits](const toml::node& n, const std::string& k) {
      out = std::chrono::milliseconds(limits.number(n, k, 100, 600000));
    };
  };
  limits.on("max_query_bytes", bytes(l.max_query_bytes, 1, 100000));
  limits.on("max_request_bytes", bytes(l.max_request_bytes, 4096, 16 << 20));
  limits.on("max_header_bytes", bytes(l.max_header_bytes, 1024, 16 << 20));
  limits.on("header_timeout_ms", millis(l.header_timeout));
  limits.on("keepalive_timeout_ms", millis(l.keepalive_timeout));
  limits.read(table);
}

// The ranges keep each weight where it still means what RankingOptions
// says (a share of a match is at most the match).
void read_ranking(const TableReader& r, const toml::table& table, RankingOptions& o) {
  TableReader ranking = r;
  const auto decimal = [&](double& out, double min, double max) {
    return [&out, &ranking, min, max](const toml::node& n, const std::string& k) {
      out = ranking.decimal(n, k, min, max);
    };
  };
  const auto count = [&](std::size_t& out, std::int64_t min, std::int64_t max) {
    return [&out, &ranking, min, max](const toml::node& n, const std::string& k) {
      out = static_cast<std::size_t>(ranking.number(n, k, min, max));
    };
  };
  ranking.on("bm25_k1", decimal(o.bm25_k1, 0, 10));
  ranking.on("bm25_b", decimal(o.bm25_b, 0, 1));
  ranking.on("other_language_weight", decimal(o.other_language_weight, 0, 1));
  ranking.on("compound_parts_weight", decimal(o.compound_parts_weight, 0, 1));
  ranking.on("letter_fallback_weight", decimal(o.letter_fallback_weight, 0, 1));
  ranking.on("exact_form_weight", decimal(o.exact_form_weight, 0, 1));
  ranking.on("all_words_up_to", count(o.all_words_up_to, 1, 256));
  ranking.on("proximity_weight", decimal(o.proximity_weight, 0, 1));
  ranking.on("proximity_window", count(o.proximity_window, 2, 64));
  ranking.on("proximity_span", count(o.proximity_span, 1, 8));
  ranking.on("proximity_phrase_weight", decimal(o.proximity_phrase_weight, 0, 1));
  ranking.on("passage_weight", decimal(o.passage_weight, 0, 1));
  ranking.on("passage_window", count(o.passage_window, 2, 256));
  ranking.on("feedback_articles", count(o.feedback_articles, 0, 50));
  ranking.on("feedback_terms", count(o.feedback_terms, 1, 100));
  ranking.on("feedback_weight", decimal(o.feedback_weight, 0, 1));
  ranking.on("feedback_kept", count(o.feedback_kept, 0, 50));
  ranking.on("feedback_min_words", count(o.feedback_min_words, 1, 256));
  ranking.on("recency_weight", decimal(o.recency_weight, 0, 10));
  ranking.on("recency_half_life_days", decimal(o.recency_half_life_days, 1, 36500));
  ranking.read(table);
}

}  // namespace

Config load_config(const std::string& path) {
  toml::table document;
  try {
    document = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    const auto& where = e.source().begin;
    throw ConfigError(path + ":" + std::to_string(where.line) + ":" + std::to_string(where.column) +
                      ": " + std::string(e.description()));
  }
  Config config;
  const fs::path folder = fs::absolute(path).parent_path();
  TableReader top(path, "");
  const auto section = [&](const toml::node& n, const std::string& k) -> const toml::table& {
    if (!n.is_table()) top.fail(n, k, "must be a table ([" + k + "])");
    return *n.as_table();
  };
  top.on("server", [&](const toml::node& n, const std::string& k) {
    read_server(TableReader(path, k), section(n, k), config);
  });
  top.on("index", [&](const toml::node& n, const std::string& k) {
    read_index(TableReader(path, k), section(n, k), folder, config);
  });
  top.on("web", [&](const toml::node& n, const std::string& k) {
    read_web(TableReader(path, k), section(n, k), folder, config);
  });
  top.on("limits", [&](const toml::node& n, const std::string& k) {
    read_limits(TableReader(path, k), section(n, k), config.limits);
  });
  top.on("ranking", [&](const toml::node& n, const std::string& k) {
    read_ranking(TableReader(path, k), section(n, k), config.ranking);
  });
  top.read(document);
  return config;
}

void apply_admin_token(Config& config, const char* token) {
  if (config.admin_token.empty() && token) config.admin_token = token;
}

std::optional<ListenAddress> parse_listen(std::string_view text) {
  const std::size_t colon = text.rfind(':');
  if (colon == std::string_view::npos || colon == 0) return std::nullopt;
  std::string_view host = text.substr(0, colon);
  const std::string_view port = text.substr(colon + 1);
  if (host.front() == '[') {
    if (host.size() < 3 || host.back() != ']') return std::nullopt;
    host = host.substr(1, host.size() - 2);
  } else if (host.find(':') != std::string_view::npos) {
    return std::nullopt;  // an IPv6 address needs its brackets
  }
  unsigned value = 0;
  const auto [end, error] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (port.empty() || error != std::errc() || end != port.data() + port.size() || value > 65535)
    return std::nullopt;
  return ListenAddress{std::string(host), static_cast<std::uint16_t>(value)};
}

std::string config_problem(const Config& config) {
  if (!parse_listen(config.listen))
    return "listen address \"" + config.listen + "\" is not HOST:PORT (such as 127.0.0.1:8080)";
  if (config.indexes.empty()) return "no index: give --index DIR or [index] paths in the config";
  for (std::size_t i = 0; i < config.indexes.size(); ++i) {
    const std::string& index = config.indexes[i];
    if (is_remote(index) && !parse_remote_shard(index)) {
      return "index \"" + index +
             "\" (--index or [index] paths) is not tcp://HOST:PORT with a port from 1 to 65535";
    }
    if (std::find(config.indexes.begin(), config.indexes.begin() + i, index) !=
        config.indexes.begin() + i) {
      return "index \"" + index +
             "\" is given twice (--index or [index] paths): its articles would count twice";
    }
  }
  if (config.threads > 256) return "threads must be from 0 (one per core) to 256";
  if (std::string problem; !TrustedProxies::parse(config.trusted_proxies, problem))
    return "trusted proxy " + problem;
  if (!config.admin_listen.empty() && !parse_listen(config.admin_listen)) {
    return "admin listen address \"" + config.admin_listen +
           "\" is not HOST:PORT (such as 127.0.0.1:8081)";
  }
  if (config.admin_listen == config.listen && parse_listen(config.listen)->port != 0)
    return "the admin listen address must differ from the public one (" + config.listen + ")";
  return "";
}

std::vector<std::string> settings_needing_restart(const Config& running, const Config& reloaded) {
  const Limits& a = running.limits;
  const Limits& b = reloaded.limits;
  const std::pair<const char*, bool> differences[] = {
      {"server.listen", running.listen != reloaded.listen},
      {"server.admin_listen", running.admin_listen != reloaded.admin_listen},
      {"server.threads", running.threads != reloaded.threads},
      {"server.trusted_proxies", running.trusted_proxies != reloaded.trusted_proxies},
      {"index.paths", running.indexes != reloaded.indexes},
      {"index.strict", running.strict_shards != reloaded.strict_shards},
      {"index.shard_timeout_ms", running.shard_timeout != reloaded.shard_timeout},
      {"web.root", running.web_root != reloaded.web_root},
      {"limits.max_query_bytes", a.max_query_bytes != b.max_query_bytes},
      {"limits.max_request_bytes", a.max_request_bytes != b.max_request_bytes},
      {"limits.max_header_bytes", a.max_header_bytes != b.max_header_bytes},
      {"limits.header_timeout_ms", a.header_timeout != b.header_timeout},
      {"limits.keepalive_timeout_ms", a.keepalive_timeout != b.keepalive_timeout},
      {"ranking", running.ranking != reloaded.ranking},
  };
  std::vector<std::string> out;
  for (const auto& [name, differs] : differences) {
    if (differs) out.emplace_back(name);
  }
  return out;
}

}  // namespace sok::searchd
