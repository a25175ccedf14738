#pragma once

#include <memory>
#include <string>

#include "sok/searchd/api.h"
#include "sok/searchd/config.h"

namespace sok::searchd {

// The Api served over HTTP/1.1 by Pistache: the only code that includes
// Pistache. It works around Pistache 0.0.5's rough edges: short header and
// keep-alive timeouts, a request size limit, a strict Content-Length (400
// or 413, never 500) and a catch-all so no exception text reaches a client.
// Every answered request gets an access log line on stderr.
class HttpServer {
 public:
  // Keeps a reference to `api`, which must outlive the server.
  HttpServer(Api& api, const Config& config);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds to config.listen and serves on the worker threads; returns the
  // address it listens on, with the port the system chose for port 0
  // ("127.0.0.1:43817"). Throws std::runtime_error when it cannot listen.
  // Block SIGINT and SIGTERM in the calling thread first when they are to
  // be waited for: the worker threads inherit the mask.
  // With config.admin_listen set, a second endpoint (one thread) serves the
  // admin routes there, and the public one refuses them.
  std::string start();
  // The admin endpoint's address once started ("127.0.0.1:43818"), or "".
  const std::string& admin_address() const;

  // Stops accepting, closes the connections and ends the worker threads.
  void shutdown();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace sok::searchd
