#include "sok/searchd/client_address.h"

#include <arpa/inet.h>

#include <charconv>
#include <cstring>
#include <iterator>

namespace sok::searchd {
namespace {

using Bytes = std::array<std::uint8_t, 16>;

std::string_view trimmed(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

bool is_v4_mapped(const Bytes& bytes) {
  for (int i = 0; i < 10; ++i) {
    if (bytes[i] != 0) return false;
  }
  return bytes[10] == 0xff && bytes[11] == 0xff;
}

// `text` as an address ("10.1.2.3", "2001:db8::1", "[2001:db8::1]"); IPv4
// as ::ffff:a.b.c.d. nullopt when it is not one.
std::optional<Bytes> address_bytes(std::string_view text) {
  text = trimmed(text);
  if (text.size() > 2 && text.front() == '[' && text.back() == ']')
    text = text.substr(1, text.size() - 2);
  if (text.empty() || text.size() >= INET6_ADDRSTRLEN) return std::nullopt;
  const std::string copy(text);
  Bytes bytes{};
  in_addr v4{};
  if (::inet_pton(AF_INET, copy.c_str(), &v4) == 1) {
    bytes[10] = bytes[11] = 0xff;
    std::memcpy(&bytes[12], &v4, 4);
    return bytes;
  }
  if (::inet_pton(AF_INET6, copy.c_str(), bytes.data()) == 1) return bytes;
  return std::nullopt;
}

std::string address_text(const Bytes& bytes) {
  char text[INET6_ADDRSTRLEN] = {};
  if (is_v4_mapped(bytes)) {
    ::inet_ntop(AF_INET, &bytes[12], text, sizeof text);
  } else {
    ::inet_ntop(AF_INET6, bytes.data(), text, sizeof text);
  }
  return text;
}

// The entries of an X-Forwarded-For value, left to right.
std::vector<std::string_view> entries_of(std::string_view header) {
  std::vector<std::string_view> out;
  while (true) {
    const std::size_t comma = header.find(',');
    out.push_back(trimmed(header.substr(0, comma)));
    if (comma == std::string_view::npos) return out;
    header.remove_prefix(comma + 1);
  }
}

}  // namespace

std::optional<TrustedProxies> TrustedProxies::parse(const std::vector<std::string>& entries,
                                                    std::string& problem) {
  TrustedProxies out;
  for (const std::string& entry : entries) {
    const std::size_t slash = entry.find('/');
    const auto bytes = address_bytes(std::string_view(entry).substr(0, slash));
    Range range;
    bool ok = bytes.has_value();
    if (ok) {
      range.bytes = *bytes;
      const bool v4 = is_v4_mapped(*bytes) && entry.find(':') == std::string::npos;
      const unsigned width = v4 ? 32 : 128;
      range.prefix_bits = 128;
      if (slash != std::string::npos) {
        const std::string_view bits = std::string_view(entry).substr(slash + 1);
        unsigned n = 0;
        const auto [end, error] = std::from_chars(bits.data(), bits.data() + bits.size(), n);
        ok =
            !bits.empty() && error == std::errc() && end == bits.data() + bits.size() && n <= width;
        range.prefix_bits = (v4 ? 96 : 0) + n;
      }
    }
    if (!ok) {
      problem = "\"" + entry +
                "\" is not an IP address or range (such as \"127.0.0.1\", \"::1\" or "
                "\"10.0.0.0/8\")";
      return std::nullopt;
    }
    out.ranges_.push_back(range);
  }
  return out;
}

bool TrustedProxies::contains(std::string_view address) const {
  const auto bytes = address_bytes(address);
  return bytes && contains(*bytes);
}

bool TrustedProxies::contains(const Bytes& address) const {
  for (const Range& range : ranges_) {
    unsigned bits = range.prefix_bits;
    bool inside = true;
    for (std::size_t i = 0; i < 16 && bits > 0 && inside; ++i) {
      const unsigned take = bits >= 8 ? 8 : bits;
      const auto mask = static_cast<std::uint8_t>(0xff << (8 - take));
      inside = (address[i] & mask) == (range.bytes[i] & mask);
      bits -= take;
    }
    if (inside) return true;
  }
  return false;
}

std::string client_address(std::string_view peer, std::string_view forwarded_for,
                           const TrustedProxies& trusted) {
  const auto peer_bytes = address_bytes(peer);
  const std::string peer_text = peer_bytes ? address_text(*peer_bytes) : std::string(peer);
  if (!peer_bytes || !trusted.contains(*peer_bytes) || trimmed(forwarded_for).empty())
    return peer_text;
  const auto entries = entries_of(forwarded_for);
  for (auto it = entries.rbegin(); it != entries.rend(); ++it) {
    const auto bytes = address_bytes(*it);
    if (!bytes) return peer_text;
    if (!trusted.contains(*bytes) || std::next(it) == entries.rend()) return address_text(*bytes);
  }
  return peer_text;
}

}  // namespace sok::searchd
