// Runs the real searchd binary (SOK_SEARCHD_BINARY) for the end-to-end
// tests: on a free loopback port, its first line of output read for the
// address, its standard error kept in a file.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "http_client.h"
#include "support.h"

namespace sok::test {

class Daemon;

// The admin job that `accepted` (a 202 from an admin route) started, once it
// is done or failed, read with the `admin` headers. Throws
// std::runtime_error when `accepted` is not a 202 or the job takes over 60 s.
nlohmann::json finished_job(const Daemon& daemon, const HttpResponse& accepted,
                            const HeaderList& admin);

class Daemon {
 public:
  // Starts searchd with `args` and "--listen 127.0.0.1:0", and waits for the
  // address on its first line. Throws std::runtime_error when it exits or
  // prints nothing within 30 s (with its standard error in the message).
  explicit Daemon(const std::vector<std::string>& args);
  // Kills it (SIGKILL) when it is still running.
  ~Daemon();
  Daemon(const Daemon&) = delete;
  Daemon& operator=(const Daemon&) = delete;

  std::uint16_t port() const { return port_; }
  // The first line it printed ("127.0.0.1:43817").
  const std::string& address() const { return address_; }

  HttpResponse get(const std::string& target, const HeaderList& headers = {}) const {
    return http_get(port_, target, headers);
  }

  HttpResponse request(const std::string& method, const std::string& target,
                       const HeaderList& headers = {}, const std::string& body = "") const {
    return http_request(port_, method, target, headers, body);
  }

  // The next line it prints on standard output (the admin address comes
  // second), without its line break; "" when none comes within `timeout`.
  std::string next_line(std::chrono::seconds timeout = std::chrono::seconds(10));
  // Sends `signal` without waiting (SIGHUP: reload the config).
  void signal(int signal) const;
  pid_t pid() const { return pid_; }

  // Sends `signal` and waits up to `timeout` for it to exit; its exit code,
  // 128 + the signal that ended it, or -1 when it is still running.
  int stop(int signal, std::chrono::seconds timeout = std::chrono::seconds(20));
  // What it wrote to standard error so far.
  std::string log() const;

 private:
  TempDir scratch_;
  pid_t pid_ = -1;
  int stdout_ = -1;
  std::string address_;
  std::uint16_t port_ = 0;
};

// Runs searchd with `args` until it exits (within 30 s); for the runs that
// should fail. Standard output and error in the result.
CommandResult run_searchd(const std::vector<std::string>& args);

}  // namespace sok::test
