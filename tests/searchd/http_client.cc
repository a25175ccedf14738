#include "http_client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace sok::test {
namespace {

using Clock = std::chrono::steady_clock;

std::string lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

std::string trimmed(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\r')) text.remove_suffix(1);
  return std::string(text);
}

// The status line and headers of `head` (without the blank line).
HttpResponse parse_head(std::string_view head) {
  HttpResponse response;
  std::size_t end = head.find("\r\n");
  const std::string_view status_line = head.substr(0, end);
  if (status_line.rfind("HTTP/1.", 0) != 0 || status_line.size() < 12) return response;
  response.status = std::stoi(std::string(status_line.substr(9, 3)));
  while (end != std::string_view::npos) {
    const std::size_t start = end + 2;
    end = head.find("\r\n", start);
    const std::string_view line = head.substr(start, end == head.npos ? head.npos : end - start);
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    response.headers[lower(std::string(line.substr(0, colon)))] = trimmed(line.substr(colon + 1));
  }
  return response;
}

}  // namespace

std::string HttpResponse::header(const std::string& name) const {
  const auto it = headers.find(name);
  return it == headers.end() ? "" : it->second;
}

nlohmann::json HttpResponse::json() const {
  nlohmann::json parsed = nlohmann::json::parse(body, nullptr, false);
  return parsed.is_discarded() ? nlohmann::json() : parsed;
}

HttpConnection::HttpConnection(std::uint16_t port) {
  fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd_ < 0) throw std::runtime_error("socket() failed");
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd_, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
    const int error = errno;
    ::close(fd_);
    throw std::runtime_error("cannot connect to 127.0.0.1:" + std::to_string(port) + ": " +
                             std::strerror(error));
  }
}

HttpConnection::~HttpConnection() {
  ::close(fd_);
}

void HttpConnection::send(std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t sent = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (sent < 0 && errno == EINTR) continue;
    if (sent <= 0) return;  // the server closed: what it answered can still be read
    bytes.remove_prefix(static_cast<std::size_t>(sent));
  }
}

void HttpConnection::shutdown_write() {
  ::shutdown(fd_, SHUT_WR);
}

bool HttpConnection::read_more(Clock::time_point deadline) {
  const auto left =
      std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
  pollfd waiting{fd_, POLLIN, 0};
  if (left <= 0 || ::poll(&waiting, 1, static_cast<int>(left)) <= 0) return false;
  char chunk[65536];
  const ssize_t got = ::recv(fd_, chunk, sizeof chunk, 0);
  if (got <= 0) return false;
  buffer_.append(chunk, static_cast<std::size_t>(got));
  return true;
}

HttpResponse HttpConnection::read_response(std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  std::size_t head_end;
  while ((head_end = buffer_.find("\r\n\r\n")) == std::string::npos) {
    if (!read_more(deadline)) return {};
  }
  HttpResponse response = parse_head(std::string_view(buffer_).substr(0, head_end));
  const std::string length = response.header("content-length");
  const std::size_t body_bytes = length.empty() ? 0 : std::stoul(length);
  while (buffer_.size() < head_end + 4 + body_bytes) {
    if (!read_more(deadline)) return {};
  }
  response.body = buffer_.substr(head_end + 4, body_bytes);
  buffer_.erase(0, head_end + 4 + body_bytes);
  return response;
}

bool HttpConnection::closed_within(std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  while (Clock::now() < deadline) {
    pollfd waiting{fd_, POLLIN, 0};
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (::poll(&waiting, 1, static_cast<int>(std::max<long>(left, 0))) <= 0) return false;
    char chunk[4096];
    if (::recv(fd_, chunk, sizeof chunk, 0) <= 0) return true;
  }
  return false;
}

HttpResponse http_request(std::uint16_t port, const std::string& method, const std::string& target,
                          const HeaderList& headers, const std::string& body) {
  std::string request = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
  for (const auto& [name, value] : headers) request += name + ": " + value + "\r\n";
  if (!body.empty() || method == "POST")
    request += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  request += "Connection: close\r\n\r\n" + body;
  HttpConnection connection(port);
  connection.send(request);
  return connection.read_response();
}

}  // namespace sok::test
