#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace sok::searchd {

// The limits a request's bytes are framed within (config's [limits]).
struct FrameLimits {
  std::size_t max_request_bytes = 65536;  // request line, headers and body together
  std::size_t max_header_bytes = 16384;   // the header lines alone
};

// Where the first HTTP/1.x request of a connection's bytes ends, found
// before any of it is parsed: the server reads one request at a time, so
// pipelined requests each get an answer, and a request that cannot be
// framed is refused as soon as that is known, not after a timeout.
struct Frame {
  enum class Kind {
    incomplete,  // more bytes are needed
    complete,    // the first `size` bytes are one request, its body included
    refused,     // answer `status` with `code` and `message`, then close
  };
  Kind kind = Kind::incomplete;
  std::size_t size = 0;
  int status = 0;  // 400 bad Content-Length, 411 Transfer-Encoding, 413, 431
  std::string code;
  std::string message;
};

// Frames the request at the start of `bytes` (the head ends at the first
// blank line, CRLF CRLF; its body is Content-Length bytes, none without
// one). Refuses a head or body beyond `limits`, a Content-Length that is
// not one plain number (or appears twice with different values), and any
// Transfer-Encoding: a body must have a length, which rules out request
// smuggling by a disagreement over where a request ends.
Frame frame_request(std::string_view bytes, const FrameLimits& limits);

}  // namespace sok::searchd
