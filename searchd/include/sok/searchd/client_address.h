#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sok::searchd {

// The reverse proxies whose X-Forwarded-For searchd believes (config's
// server.trusted_proxies): single addresses ("127.0.0.1", "::1") and
// ranges ("10.0.0.0/8", "fd00::/8"), IPv4 and IPv6. An IPv4 address mapped
// into IPv6 ("::ffff:10.1.2.3") is taken as the IPv4 one.
class TrustedProxies {
 public:
  TrustedProxies() = default;  // trusts no one

  // Reads `entries`; nullopt with `problem` set ("\"x\" is not …") when one
  // is neither an address nor a range.
  static std::optional<TrustedProxies> parse(const std::vector<std::string>& entries,
                                             std::string& problem);

  bool empty() const { return ranges_.empty(); }
  // Whether `address` (as text) is one of them; false for what is not an address.
  bool contains(std::string_view address) const;
  // The same for an address in network order, IPv4 as ::ffff:a.b.c.d.
  bool contains(const std::array<std::uint8_t, 16>& address) const;

 private:
  struct Range {
    std::array<std::uint8_t, 16> bytes{};  // IPv4 as ::ffff:a.b.c.d
    unsigned prefix_bits = 128;
  };

  std::vector<Range> ranges_;
};

// The address the per-client rate limit counts a request under. It is the
// connection's `peer` unless that is a trusted proxy; then it is the
// right-most address of the request's X-Forwarded-For (`forwarded_for`, ""
// when absent) that is not a trusted proxy: the one the nearest trusted
// proxy saw, which a client cannot forge by sending the header itself.
// When every address in it is trusted, the left-most; when the header is
// missing or that entry is not an address, `peer`. Addresses come out in
// their canonical text ("2001:db8::1", IPv4-mapped ones as IPv4).
std::string client_address(std::string_view peer, std::string_view forwarded_for,
                           const TrustedProxies& trusted);

}  // namespace sok::searchd
