#include <catch2/catch.hpp>

#include <chrono>
#include <string>

#include "sok/searchd/config.h"
#include "support.h"

namespace sok::searchd {
namespace {

// Loads `toml` from a file named searchd.toml in `dir`; the error message,
// or "" when it loads.
std::string load_error(const test::TempDir& dir, const std::string& toml) {
  test::write_file(dir / "searchd.toml", toml);
  try {
    load_config(dir / "searchd.toml");
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

TEST_CASE("The example config shipped with searchd loads and holds the defaults",
          "[searchd][config]") {
  const Config config = load_config(test::source_path("searchd/searchd.toml"));
  const Config defaults;
  CHECK(config.listen == "127.0.0.1:8080");
  CHECK(config.threads == defaults.threads);
  CHECK(config.rate_limit == 0);
  CHECK(config.cors_origins.empty());
  CHECK(config.indexes == std::vector<std::string>{test::source_path("index-data")});
  CHECK(config.limits.max_query_bytes == defaults.limits.max_query_bytes);
  CHECK(config.limits.max_request_bytes == defaults.limits.max_request_bytes);
  CHECK(config.limits.header_timeout == defaults.limits.header_timeout);
  CHECK(config.limits.keepalive_timeout == defaults.limits.keepalive_timeout);
  CHECK(config.ranking == RankingOptions{});
}

TEST_CASE("A config file sets every setting; relative index paths are the file's",
          "[searchd][config]") {
  const test::TempDir dir;
  test::write_file(dir / "searchd.toml", R"([server]
listen = "[::1]:9090"
threads = 3
rate_limit = 20
cors_origins = ["https://flemingsberg-science.se", "*"]
admin_token = "secret"
admin_listen = "127.0.0.1:9091"

[index]
paths = ["data/index"]
sources = ["../corpus", "/srv/export/news.jsonl"]

[limits]
max_query_bytes = 500
max_request_bytes = 8192
max_header_bytes = 2048
header_timeout_ms = 250
keepalive_timeout_ms = 750

[ranking]
bm25_k1 = 0.9
bm25_b = 1
other_language_weight = 0.25
compound_parts_weight = 0.75
letter_fallback_weight = 0.1
exact_form_weight = 0.7
all_words_up_to = 5
proximity_weight = 0
proximity_window = 4
proximity_span = 2
proximity_phrase_weight = 0.2
passage_weight = 0.3
passage_window = 30
feedback_articles = 10
feedback_terms = 30
feedback_weight = 0.25
feedback_kept = 3
feedback_min_words = 8
recency_weight = 0.5
recency_half_life_days = 30.5
)");
  const Config c = load_config(dir / "searchd.toml");
  CHECK(c.listen == "[::1]:9090");
  CHECK(c.threads == 3);
  CHECK(c.rate_limit == 20);
  CHECK(c.cors_origins == std::vector<std::string>{"https://flemingsberg-science.se", "*"});
  CHECK(c.admin_token == "secret");
  CHECK(c.admin_listen == "127.0.0.1:9091");
  CHECK(c.indexes == std::vector<std::string>{dir / "data/index"});
  CHECK(c.sources == std::vector<std::string>{(dir.path().parent_path() / "corpus").string(),
                                              "/srv/export/news.jsonl"});
  CHECK(c.limits.max_query_bytes == 500);
  CHECK(c.limits.max_request_bytes == 8192);
  CHECK(c.limits.max_header_bytes == 2048);
  CHECK(c.limits.header_timeout == std::chrono::milliseconds(250));
  CHECK(c.limits.keepalive_timeout == std::chrono::milliseconds(750));
  CHECK(c.ranking.bm25_k1 == 0.9);
  CHECK(c.ranking.bm25_b == 1.0);
  CHECK(c.ranking.other_language_weight == 0.25);
  CHECK(c.ranking.compound_parts_weight == 0.75);
  CHECK(c.ranking.letter_fallback_weight == 0.1);
  CHECK(c.ranking.exact_form_weight == 0.7);
  CHECK(c.ranking.all_words_up_to == 5);
  CHECK(c.ranking.proximity_weight == 0.0);
  CHECK(c.ranking.proximity_window == 4);
  CHECK(c.ranking.proximity_span == 2);
  CHECK(c.ranking.proximity_phrase_weight == 0.2);
  CHECK(c.ranking.passage_weight == 0.3);
  CHECK(c.ranking.passage_window == 30);
  CHECK(c.ranking.feedback_articles == 10);
  CHECK(c.ranking.feedback_terms == 30);
  CHECK(c.ranking.feedback_weight == 0.25);
  CHECK(c.ranking.feedback_kept == 3);
  CHECK(c.ranking.feedback_min_words == 8);
  CHECK(c.ranking.recency_weight == 0.5);
  CHECK(c.ranking.recency_half_life_days == 30.5);
}

TEST_CASE("Config errors name the file, the line and the key", "[searchd][config]") {
  const test::TempDir dir;
  const std::string file = dir / "searchd.toml";
  struct Case {
    std::string toml;
    std::string where;  // "file:line:"
    std::string message;
  };
  const Case cases[] = {
      {"[server]\nthreads = 2\nlisen = \"x\"\n", ":3:", "server.lisen is not a setting"},
      {"[server]\nthreads = \"two\"\n", ":2:", "server.threads must be a whole number"},
      {"[server]\nthreads = 1000\n", ":2:", "server.threads must be a whole number from 0 to 256"},
      {"[server]\nlisten = \"localhost\"\n", ":2:", "server.listen must be HOST:PORT"},
      {"[server]\ncors_origins = \"*\"\n", ":2:", "server.cors_origins must be an array"},
      {"\n\n[limits]\nheader_timeout_ms = 5\n", ":4:", "limits.header_timeout_ms must be"},
      {"[index]\npaths = [1]\n", ":2:", "index.paths must be a string"},
      {"[index]\nsources = [\"\"]\n", ":2:", "index.sources must not hold an empty path"},
      {"[server]\nadmin_listen = \"8081\"\n", ":2:", "server.admin_listen must be HOST:PORT"},
      {"[ranking]\ntitle_weight = 3\n", ":2:", "ranking.title_weight is not a setting"},
      {"[ranking]\nbm25_b = 1.5\n", ":2:", "ranking.bm25_b must be a number from 0 to 1"},
      {"[ranking]\nbm25_k1 = \"high\"\n", ":2:", "ranking.bm25_k1 must be a number"},
      {"[ranking]\nproximity_window = 1\n",
       ":2:", "ranking.proximity_window must be a whole number from 2 to 64"},
      {"[ranking]\npassage_window = 300\n",
       ":2:", "ranking.passage_window must be a whole number from 2 to 256"},
      {"[ranking]\nfeedback_terms = 0\n",
       ":2:", "ranking.feedback_terms must be a whole number from 1 to 100"},
      {"[ranking]\nall_words_up_to = 2.5\n", ":2:", "ranking.all_words_up_to must be a whole"},
      {"server = 1\n", ":1:", "server must be a table"},
      {"[server]\nthreads = 2\n[server\n", ":3:", ""},
  };
  for (const auto& c : cases) {
    CAPTURE(c.toml);
    const std::string error = load_error(dir, c.toml);
    CHECK_THAT(error, Catch::StartsWith(file + c.where));
    CHECK_THAT(error, Catch::Contains(c.message));
  }
}

TEST_CASE("SOK_ADMIN_TOKEN sets the admin token only when the config has none",
          "[searchd][config]") {
  Config config;
  apply_admin_token(config, nullptr);
  CHECK(config.admin_token.empty());
  apply_admin_token(config, "from-env");
  CHECK(config.admin_token == "from-env");
  apply_admin_token(config, "other");
  CHECK(config.admin_token == "from-env");
}

TEST_CASE("Listen addresses are HOST:PORT, IPv6 hosts in brackets", "[searchd][config]") {
  CHECK(parse_listen("127.0.0.1:8080")->host == "127.0.0.1");
  CHECK(parse_listen("127.0.0.1:8080")->port == 8080);
  CHECK(parse_listen("127.0.0.1:0")->port == 0);
  CHECK(parse_listen("[::1]:9090")->host == "::1");
  CHECK(parse_listen("0.0.0.0:65535")->port == 65535);
  for (const char* bad : {"", "8080", ":8080", "127.0.0.1", "127.0.0.1:", "127.0.0.1:65536",
                          "127.0.0.1:-1", "127.0.0.1:80x", "::1:8080", "[]:80", "[::1:80"}) {
    CAPTURE(bad);
    CHECK_FALSE(parse_listen(bad));
  }
}

TEST_CASE("A complete config needs an index and a listen address", "[searchd][config]") {
  Config config;
  CHECK_THAT(config_problem(config), Catch::Contains("no index"));
  config.indexes = {"index-data"};
  CHECK(config_problem(config).empty());
  config.indexes = {"a", "b", "tcp://127.0.0.1:6431", "tcp://[::1]:6432"};  // shards
  CHECK(config_problem(config).empty());
  config.indexes = {"a", "tcp://127.0.0.1"};
  CHECK_THAT(config_problem(config),
             Catch::Contains("\"tcp://127.0.0.1\" (--index or [index] paths)"));
  config.indexes = {"index-data"};
  config.listen = "nowhere";
  CHECK_THAT(config_problem(config), Catch::Contains("not HOST:PORT"));
  config.listen = "127.0.0.1:8080";
  config.admin_listen = "127.0.0.1:8080";
  CHECK_THAT(config_problem(config), Catch::Contains("must differ from the public one"));
  config.listen = config.admin_listen = "127.0.0.1:0";  // two free ports
  CHECK(config_problem(config).empty());
}

TEST_CASE("[index] holds shards, remote ones kept as written, and how failing ones are treated",
          "[searchd][config][shards]") {
  const test::TempDir dir;
  test::write_file(dir / "searchd.toml", R"([index]
paths = ["shard-a", "tcp://10.8.0.11:33330"]
strict = true
shard_timeout_ms = 250
)");
  const Config config = load_config(dir / "searchd.toml");
  CHECK(config.indexes == std::vector<std::string>{dir / "shard-a", "tcp://10.8.0.11:33330"});
  CHECK(config.strict_shards);
  CHECK(config.shard_timeout == std::chrono::milliseconds(250));
  CHECK(Config().shard_timeout == std::chrono::milliseconds(1000));
  CHECK_FALSE(Config().strict_shards);
  CHECK_THAT(load_error(dir, "[index]\nstrict = 1\n"),
             Catch::Contains("index.strict must be true or false"));
  CHECK_THAT(load_error(dir, "[index]\nshard_timeout_ms = 10\n"),
             Catch::Contains("index.shard_timeout_ms must be a whole number from 50 to 60000"));
}

TEST_CASE("A reload names the settings that need a restart", "[searchd][config]") {
  Config running;
  running.indexes = {"index-data"};
  Config reloaded = running;
  reloaded.rate_limit = 5;
  reloaded.cors_origins = {"*"};
  reloaded.admin_token = "new";
  reloaded.sources = {"corpus"};
  CHECK(settings_needing_restart(running, reloaded).empty());
  reloaded.listen = "127.0.0.1:9999";
  reloaded.threads = 7;
  reloaded.indexes = {"elsewhere"};
  reloaded.limits.keepalive_timeout = std::chrono::milliseconds(100);
  reloaded.ranking.proximity_weight = 0.1;
  CHECK(settings_needing_restart(running, reloaded) ==
        std::vector<std::string>{"server.listen", "server.threads", "index.paths",
                                 "limits.keepalive_timeout_ms", "ranking"});
}

}  // namespace
}  // namespace sok::searchd
