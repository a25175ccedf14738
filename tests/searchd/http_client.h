// A tiny HTTP/1.1 client over a plain loopback socket, for the end-to-end
// tests: it sends bytes exactly as given (malformed ones too) and reads
// what comes back.
#pragma once

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sok::test {

struct HttpResponse {
  int status = 0;                              // 0: no response (closed or timed out first)
  std::map<std::string, std::string> headers;  // names in lower case
  std::string body;

  // The header's value, "" when absent; `name` in lower case.
  std::string header(const std::string& name) const;
  // The body as JSON; a JSON null when it is not JSON.
  nlohmann::json json() const;
};

// One connection to 127.0.0.1:port.
class HttpConnection {
 public:
  explicit HttpConnection(std::uint16_t port);
  ~HttpConnection();
  HttpConnection(const HttpConnection&) = delete;
  HttpConnection& operator=(const HttpConnection&) = delete;

  void send(std::string_view bytes);
  // Half-closes the connection: the server reads end-of-file after what was sent.
  void shutdown_write();
  // Reads the next response (by its Content-Length); status 0 when the
  // server closed the connection or `timeout` passed first.
  HttpResponse read_response(std::chrono::milliseconds timeout = std::chrono::seconds(10));
  // Whether the server closes the connection within `timeout`, discarding
  // anything it still sends.
  bool closed_within(std::chrono::milliseconds timeout);

 private:
  // Reads more bytes into buffer_ until `deadline`; false on end-of-file or timeout.
  bool read_more(std::chrono::steady_clock::time_point deadline);

  int fd_ = -1;
  std::string buffer_;
};

using HeaderList = std::vector<std::pair<std::string, std::string>>;

// `method target HTTP/1.1` with a Host header, `headers`, "Connection:
// close" and `body` (with its Content-Length when there is one, or for
// POST), sent on a new connection; the response.
HttpResponse http_request(std::uint16_t port, const std::string& method, const std::string& target,
                          const HeaderList& headers = {}, const std::string& body = "");

inline HttpResponse http_get(std::uint16_t port, const std::string& target,
                             const HeaderList& headers = {}) {
  return http_request(port, "GET", target, headers);
}

}  // namespace sok::test
