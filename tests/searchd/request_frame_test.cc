// Framing a connection's bytes into requests before Pistache parses them:
// where each request ends, and what is refused before it is read.
#include <catch2/catch.hpp>

#include <string>

#include "sok/searchd/request_frame.h"

namespace sok::searchd {
namespace {

using Kind = Frame::Kind;

const std::string kGet = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";

struct FrameCase {
  const char* what;
  std::string bytes;
  Kind kind;
  std::size_t size;  // complete: the request's bytes; refused: the status
};

TEST_CASE("A request is framed by its blank line and its Content-Length", "[searchd][frame]") {
  const std::string post = "POST /api/admin/documents HTTP/1.1\r\nContent-Length: 5\r\n\r\n";
  const FrameCase cases[] = {
      {"nothing yet", "", Kind::incomplete, 0},
      {"half a request line", "GET /hea", Kind::incomplete, 0},
      {"headers without their blank line", "GET / HTTP/1.1\r\nHost: x\r\n", Kind::incomplete, 0},
      {"a GET without a body", kGet, Kind::complete, kGet.size()},
      {"a GET followed by the next (pipelined)", kGet + kGet, Kind::complete, kGet.size()},
      {"HTTP/1.0 without Host", "GET / HTTP/1.0\r\n\r\n", Kind::complete, 18},
      {"a body still on its way", post + "abc", Kind::incomplete, 0},
      {"a whole body", post + "abcde", Kind::complete, post.size() + 5},
      {"a body and the next request", post + "abcde" + kGet, Kind::complete, post.size() + 5},
      {"a GET with a body", "GET / HTTP/1.1\r\ncontent-length: 2\r\n\r\nhi", Kind::complete, 39},
      {"Content-Length twice, the same",
       "GET / HTTP/1.1\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\nhi", Kind::complete, 58},
      {"Content-Length twice, different",
       "GET / HTTP/1.1\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n", Kind::refused, 400},
      {"a negative Content-Length", "GET / HTTP/1.1\r\nContent-Length: -1\r\n\r\n", Kind::refused,
       400},
      {"a Content-Length with a sign", "GET / HTTP/1.1\r\nContent-Length: +1\r\n\r\n",
       Kind::refused, 400},
      {"a Content-Length of 20 digits",
       "GET / HTTP/1.1\r\nContent-Length: 99999999999999999999\r\n\r\n", Kind::refused, 400},
      {"a Content-Length over the limit", "GET / HTTP/1.1\r\nContent-Length: 1000000\r\n\r\n",
       Kind::refused, 413},
      {"chunked (a body without a length)",
       "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
       Kind::refused, 411},
      {"Transfer-Encoding beside Content-Length (smuggling)",
       "POST / HTTP/1.1\r\nContent-Length: 4\r\ntransfer-encoding: chunked\r\n\r\n0\r\n\r\n",
       Kind::refused, 411},
      {"a request line over the size limit without its end", "GET /" + std::string(70000, 'a'),
       Kind::refused, 413},
      {"headers over their limit without their end",
       "GET / HTTP/1.1\r\nX-Filler: " + std::string(20000, 'x'), Kind::refused, 431},
      {"headers over their limit with their end",
       "GET / HTTP/1.1\r\nX-Filler: " + std::string(20000, 'x') + "\r\n\r\n", Kind::refused, 431},
      {"a garbage line without a colon (left to the parser)", "GARBAGE\r\n\r\n", Kind::complete,
       11},
  };
  const FrameLimits limits{65536, 16384};
  for (const auto& c : cases) {
    CAPTURE(c.what);
    const Frame frame = frame_request(c.bytes, limits);
    CHECK(frame.kind == c.kind);
    if (c.kind == Kind::complete) CHECK(frame.size == c.size);
    if (c.kind == Kind::refused) {
      CHECK(frame.status == static_cast<int>(c.size));
      CHECK_FALSE(frame.code.empty());
      CHECK_FALSE(frame.message.empty());
    }
  }
}

TEST_CASE("A request is refused as soon as it is over a limit, not when it ends",
          "[searchd][frame]") {
  const FrameLimits limits{4096, 1024};
  std::string bytes = "GET / HTTP/1.1\r\n";
  while (frame_request(bytes, limits).kind == Kind::incomplete) bytes += "X-A: 123456789\r\n";
  const Frame frame = frame_request(bytes, limits);
  CHECK(frame.status == 431);
  CHECK(bytes.size() < 1024 + 64);
  CHECK(frame_request("GET / HTTP/1.1\r\nContent-Length: 4000\r\n\r\n", limits).status == 0);
  CHECK(frame_request("GET / HTTP/1.1\r\nContent-Length: 4090\r\n\r\n", limits).status == 413);
}

}  // namespace
}  // namespace sok::searchd
