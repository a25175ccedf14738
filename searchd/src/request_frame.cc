#include "sok/searchd/request_frame.h"

#include <cctype>
#include <optional>

namespace sok::searchd {
namespace {

Frame refused(int status, std::string code, std::string message) {
  Frame frame;
  frame.kind = Frame::Kind::refused;
  frame.status = status;
  frame.code = std::move(code);
  frame.message = std::move(message);
  return frame;
}

bool same_name(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  }
  return true;
}

std::string_view trimmed(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// The value of a Content-Length line: digits only, at most 18 of them.
std::optional<std::size_t> length_of(std::string_view value) {
  if (value.empty() || value.size() > 18) return std::nullopt;
  std::size_t length = 0;
  for (const char c : value) {
    if (c < '0' || c > '9') return std::nullopt;
    length = length * 10 + static_cast<std::size_t>(c - '0');
  }
  return length;
}

std::string bytes_text(std::size_t n) {
  return std::to_string(n) + " bytes";
}

}  // namespace

Frame frame_request(std::string_view bytes, const FrameLimits& limits) {
  const std::size_t line_end = bytes.find("\r\n");
  const std::size_t head_end = bytes.find("\r\n\r\n");
  if (head_end == std::string_view::npos) {
    const std::size_t so_far = bytes.size();
    if (line_end != std::string_view::npos && so_far - line_end - 2 > limits.max_header_bytes) {
      return refused(431, "headers_too_large",
                     "the request headers are larger than " + bytes_text(limits.max_header_bytes));
    }
    if (so_far > limits.max_request_bytes) {
      return refused(413, "request_too_large",
                     "the request is larger than " + bytes_text(limits.max_request_bytes));
    }
    return {};
  }
  if (head_end > line_end && head_end - line_end - 2 > limits.max_header_bytes) {
    return refused(431, "headers_too_large",
                   "the request headers are larger than " + bytes_text(limits.max_header_bytes));
  }
  std::optional<std::size_t> length;
  std::size_t start = line_end + 2;
  while (start < head_end + 2) {
    const std::size_t end = bytes.find("\r\n", start);
    const std::string_view line = bytes.substr(start, end - start);
    start = end + 2;
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;  // the parser answers a malformed line
    const std::string_view name = line.substr(0, colon);
    const std::string_view value = trimmed(line.substr(colon + 1));
    if (same_name(name, "Transfer-Encoding")) {
      return refused(411, "length_required",
                     "a request body needs a Content-Length; Transfer-Encoding is not accepted");
    }
    if (!same_name(name, "Content-Length")) continue;
    const auto parsed = length_of(value);
    if (!parsed || (length && *length != *parsed))
      return refused(400, "bad_request", "Content-Length must be one number");
    length = parsed;
  }
  const std::size_t head = head_end + 4;
  const std::size_t body = length.value_or(0);
  if (head > limits.max_request_bytes || body > limits.max_request_bytes - head) {
    return refused(413, "request_too_large",
                   "the request is larger than " + bytes_text(limits.max_request_bytes));
  }
  if (bytes.size() < head + body) return {};
  Frame frame;
  frame.kind = Frame::Kind::complete;
  frame.size = head + body;
  return frame;
}

}  // namespace sok::searchd
