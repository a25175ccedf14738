// The client address the rate limit counts: X-Forwarded-For believed from
// trusted proxies only, and the config key and flag that name them.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "sok/searchd/client_address.h"
#include "sok/searchd/config.h"
#include "support.h"

namespace sok::searchd {
namespace {

TrustedProxies trusted(const std::vector<std::string>& entries) {
  std::string problem;
  const auto parsed = TrustedProxies::parse(entries, problem);
  INFO(problem);
  REQUIRE(parsed);
  return *parsed;
}

struct AddressCase {
  const char* what;
  std::string peer;
  std::string forwarded_for;
  std::string client;
};

TEST_CASE("X-Forwarded-For names the client only when a trusted proxy sent it",
          "[searchd][client_address]") {
  const TrustedProxies proxies = trusted({"127.0.0.1", "::1", "10.0.0.0/8"});
  const AddressCase cases[] = {
      {"no header", "127.0.0.1", "", "127.0.0.1"},
      {"a direct client's forged header is ignored", "203.0.113.9", "198.51.100.1", "203.0.113.9"},
      {"the proxy's one address", "127.0.0.1", "198.51.100.7", "198.51.100.7"},
      {"blanks around it", "127.0.0.1", "  198.51.100.7 ", "198.51.100.7"},
      {"the client's forged entry is left of the one the proxy added", "127.0.0.1",
       "1.2.3.4, 198.51.100.7", "198.51.100.7"},
      {"trusted proxies on the way are passed over", "127.0.0.1",
       "1.2.3.4, 198.51.100.7, 10.1.2.3, 10.9.9.9", "198.51.100.7"},
      {"every entry trusted: the left-most", "127.0.0.1", "10.0.0.1, 10.0.0.2", "10.0.0.1"},
      {"IPv6 client through an IPv6 proxy", "::1", "2001:db8::1", "2001:db8::1"},
      {"IPv6 written long comes out canonical", "::1", "2001:0db8:0:0:0:0:0:1", "2001:db8::1"},
      {"IPv6 in brackets", "127.0.0.1", "[2001:db8::2]", "2001:db8::2"},
      {"an IPv4-mapped peer is the IPv4 proxy", "::ffff:127.0.0.1", "198.51.100.7", "198.51.100.7"},
      {"the right-most entry is not an address: the proxy", "127.0.0.1", "198.51.100.7, unknown",
       "127.0.0.1"},
      {"an address with a port is not an address", "127.0.0.1", "198.51.100.7:4711", "127.0.0.1"},
      {"garbage left of the real client is never read", "127.0.0.1", "<script>, 198.51.100.7",
       "198.51.100.7"},
      {"an empty entry on the right", "127.0.0.1", "198.51.100.7,", "127.0.0.1"},
      {"a header of blanks", "127.0.0.1", "   ", "127.0.0.1"},
      {"a range's edge is inside", "10.255.255.255", "198.51.100.7", "198.51.100.7"},
      {"just outside the range is untrusted", "11.0.0.0", "198.51.100.7", "11.0.0.0"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.what, c.peer, c.forwarded_for);
    CHECK(client_address(c.peer, c.forwarded_for, proxies) == c.client);
  }
}

TEST_CASE("Without trusted proxies X-Forwarded-For is never read", "[searchd][client_address]") {
  const TrustedProxies none;
  CHECK(none.empty());
  CHECK(client_address("127.0.0.1", "198.51.100.7", none) == "127.0.0.1");
  CHECK(client_address("::1", "198.51.100.7", none) == "::1");
}

TEST_CASE("Trusted proxies are addresses or CIDR ranges, IPv4 and IPv6",
          "[searchd][client_address]") {
  const TrustedProxies proxies =
      trusted({"192.168.1.10", "172.16.0.0/12", "fd00::/8", "2001:db8::5", "0.0.0.0/0"});
  CHECK(proxies.contains("192.168.1.10"));
  CHECK(proxies.contains("172.31.255.1"));
  CHECK(proxies.contains("fdab::1"));
  CHECK(proxies.contains("2001:db8::5"));
  CHECK_FALSE(proxies.contains("2001:db8::6"));
  CHECK_FALSE(proxies.contains("fe80::1"));
  CHECK(proxies.contains("8.8.8.8"));  // 0.0.0.0/0 is every IPv4 address, no IPv6 one
  CHECK_FALSE(proxies.contains("not an address"));

  const TrustedProxies narrow = trusted({"172.16.0.0/12"});
  CHECK_FALSE(narrow.contains("172.32.0.1"));
  CHECK_FALSE(narrow.contains("::ffff:172.32.0.1"));
  CHECK(narrow.contains("::ffff:172.16.0.1"));

  for (const std::string bad : {"localhost", "10.0.0.0/33", "::/129", "10.0.0.1/", "10.0.0/8",
                                "1.2.3.4/-1", "", "10.0.0.0/8x"}) {
    CAPTURE(bad);
    std::string problem;
    CHECK_FALSE(TrustedProxies::parse({bad}, problem));
    CHECK_THAT(problem, Catch::Contains("\"" + bad + "\" is not an IP address or range"));
  }
}

TEST_CASE("server.trusted_proxies is read from the config; a bad entry is an error naming it",
          "[searchd][client_address][config]") {
  const test::TempDir dir;
  test::write_file(dir / "good.toml", "[server]\ntrusted_proxies = [\"127.0.0.1\", \"::1\"]\n");
  CHECK(load_config(dir / "good.toml").trusted_proxies ==
        std::vector<std::string>{"127.0.0.1", "::1"});
  CHECK(Config().trusted_proxies.empty());

  test::write_file(dir / "bad.toml", "[server]\ntrusted_proxies = [\"127.0.0.1\", \"nginx\"]\n");
  try {
    load_config(dir / "bad.toml");
    FAIL("a bad trusted proxy was accepted");
  } catch (const ConfigError& e) {
    CHECK_THAT(e.what(), Catch::Contains("bad.toml:2:"));
    CHECK_THAT(e.what(),
               Catch::Contains("server.trusted_proxies must hold IP addresses or ranges"));
    CHECK_THAT(e.what(), Catch::Contains("\"nginx\""));
  }
  test::write_file(dir / "type.toml", "[server]\ntrusted_proxies = \"127.0.0.1\"\n");
  CHECK_THROWS_WITH(load_config(dir / "type.toml"),
                    Catch::Contains("server.trusted_proxies must be an array of strings"));

  Config flags;
  flags.indexes = {"/srv/index"};
  flags.trusted_proxies = {"10.0.0.0/8", "300.1.1.1"};
  CHECK_THAT(config_problem(flags), Catch::Contains("trusted proxy \"300.1.1.1\""));

  Config running, reloaded;
  reloaded.trusted_proxies = {"127.0.0.1"};
  CHECK(settings_needing_restart(running, reloaded) ==
        std::vector<std::string>{"server.trusted_proxies"});
}

}  // namespace
}  // namespace sok::searchd
