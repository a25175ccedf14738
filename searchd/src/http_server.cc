#include "sok/searchd/http_server.h"

#include <pistache/endpoint.h>
#include <pistache/http.h>
#include <pistache/peer.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <thread>

#include "sok/searchd/json_output.h"

namespace sok::searchd {
namespace {

using namespace Pistache;

std::string error_body(int status, const std::string& code, const std::string& message) {
  return dump(error_json({status, code, message, ""}));
}

// Content-Length as Pistache 0.0.5 should read it: digits only and within
// the request size limit. Pistache's own answers a negative or huge value
// with a 500 carrying an exception's text; this one with a JSON 400 or 413.
class StrictContentLength : public Http::Header::ContentLength {
 public:
  static inline std::atomic<std::size_t> max_bytes{65536};

  void parse(const std::string& data) override {
    const bool digits = !data.empty() && data.size() <= 18 &&
                        data.find_first_not_of("0123456789") == std::string::npos;
    if (!digits) {
      throw Http::HttpError(Http::Code::Bad_Request,
                            error_body(400, "bad_request", "Content-Length must be a number"));
    }
    if (std::stoull(data) > max_bytes.load()) {
      throw Http::HttpError(
          Http::Code::Request_Entity_Too_Large,
          error_body(413, "request_too_large",
                     "the request is larger than " + std::to_string(max_bytes.load()) + " bytes"));
    }
    ContentLength::parse(data);
  }
};

// Pistache 0.0.5 registers its own Content-Length reader at start-up and
// refuses a second one ("Header already registered"); its table of header
// readers is private. Access checks do not apply to the template arguments
// of an explicit instantiation, which is the one way C++ leaves to reach
// that table and put StrictContentLength in its place.
using HeaderReaders =
    std::unordered_map<std::string, std::function<std::unique_ptr<Http::Header::Header>()>,
                       Http::Header::LowercaseHash, Http::Header::LowercaseEqual>;
using ReadersMember = HeaderReaders Http::Header::Registry::*;

ReadersMember header_readers();

template <ReadersMember Member>
struct HeaderReadersAccess {
  friend ReadersMember header_readers() { return Member; }
};
template struct HeaderReadersAccess<&Http::Header::Registry::registry>;

// Makes Pistache read Content-Length with StrictContentLength; before the
// endpoint starts its threads (the table is read without a lock).
void use_strict_content_length(std::size_t max_request_bytes) {
  StrictContentLength::max_bytes = max_request_bytes;
  auto& registry = Http::Header::Registry::instance();
  (registry.*header_readers())[Http::Header::ContentLength::Name] = [] {
    return std::make_unique<StrictContentLength>();
  };
}

// A response header with any name: Pistache writes only typed headers.
class NamedHeader : public Http::Header::Header {
 public:
  NamedHeader(std::string name, std::string value)
      : name_(std::move(name)), value_(std::move(value)) {}
  const char* name() const override { return name_.c_str(); }
  void write(std::ostream& out) const override { out << value_; }
  uint64_t hash() const override { return 0; }  // never cast to a typed header

 private:
  std::string name_;
  std::string value_;
};

std::size_t header_bytes(const Http::Request& request) {
  std::size_t total = 0;
  for (const auto& [name, raw] : request.headers().rawList()) {
    total += name.size() + raw.value().size() + 4;  // ": " and CRLF
  }
  return total;
}

std::string header_or_empty(const Http::Request& request, const std::string& name) {
  const auto raw = request.headers().tryGetRaw(name);
  return raw ? raw->value() : std::string();
}

ApiRequest api_request_of(const Http::Request& request, bool admin_listener) {
  ApiRequest out;
  out.on_admin_listener = admin_listener;
  out.method = Http::methodString(request.method());
  out.path = request.resource();
  for (auto it = request.query().parameters_begin(); it != request.query().parameters_end(); ++it) {
    out.query.emplace_back(it->first, it->second);
  }
  std::sort(out.query.begin(), out.query.end());  // Pistache's map has no order
  out.client = request.address().host();
  out.origin = header_or_empty(request, "Origin");
  out.accept_language = header_or_empty(request, "Accept-Language");
  out.accept_encoding = header_or_empty(request, "Accept-Encoding");
  out.if_none_match = header_or_empty(request, "If-None-Match");
  out.fragment = !header_or_empty(request, "X-Sok-Fragment").empty();
  out.authorization = header_or_empty(request, "Authorization");
  // Only the admin routes take a body (within maxRequestSize); the public
  // ones are GET and any body sent to them is ignored.
  if (out.path.rfind("/api/admin/", 0) == 0) out.body = request.body();
  return out;
}

bool wants_keep_alive(const Http::Request& request) {
  const auto connection = request.headers().tryGet<Http::Header::Connection>();
  return connection && connection->control() == Http::ConnectionControl::KeepAlive;
}

class RequestHandler : public Http::Handler {
 public:
  HTTP_PROTOTYPE(RequestHandler)

  RequestHandler(Api* api, Limits limits, bool admin_listener)
      : api_(api), limits_(limits), admin_listener_(admin_listener) {}

  void onRequest(const Http::Request& request, Http::ResponseWriter writer) override {
    const auto start = std::chrono::steady_clock::now();
    ApiResponse response;
    try {
      response = answer(request);
    } catch (...) {
      response = Api::error_response({500, "internal", "an internal error occurred", ""});
    }
    const int status = response.status;
    send(request, std::move(response), writer);
    const double ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    spdlog::info("{} {} {} {:.2f} ms", Http::methodString(request.method()), request.resource(),
                 status, ms);
  }

 private:
  ApiResponse answer(const Http::Request& request) {
    if (header_bytes(request) > limits_.max_header_bytes) {
      return Api::error_response({431, "headers_too_large",
                                  "the request headers are larger than " +
                                      std::to_string(limits_.max_header_bytes) + " bytes",
                                  ""});
    }
    return api_->handle(api_request_of(request, admin_listener_));
  }

  // Sends `response`; a connection that did not ask for keep-alive is
  // half-closed once it is written (Pistache would keep it open until the
  // keep-alive timeout although it says "Connection: close").
  static void send(const Http::Request& request, ApiResponse response,
                   Http::ResponseWriter& writer) {
    if (response.status != 204)
      response.headers.emplace_back("Content-Type", response.content_type);
    for (auto& [name, value] : response.headers) {
      writer.headers().add(std::make_shared<NamedHeader>(std::move(name), std::move(value)));
    }
    const std::shared_ptr<Tcp::Peer> peer = writer.getPeer();
    auto sent = writer.send(static_cast<Http::Code>(response.status), response.body);
    if (wants_keep_alive(request) || !peer) return;
    sent.then([peer](ssize_t) { ::shutdown(peer->fd(), SHUT_WR); }, Async::IgnoreException);
  }

  Api* api_;
  Limits limits_;
  bool admin_listener_;
};

Address address_of(const std::string& listen) {
  const auto parsed = parse_listen(listen);
  if (!parsed) throw std::runtime_error("cannot listen on \"" + listen + "\": not HOST:PORT");
  // Pistache reads an IPv6 host only in brackets.
  const bool ipv6 = parsed->host.find(':') != std::string::npos;
  return Address(ipv6 ? "[" + parsed->host + "]" : parsed->host, Port(parsed->port));
}

// Starts an endpoint on `listen` with `threads` workers; the address it
// listens on, with the port the system chose for port 0.
std::string start_endpoint(std::unique_ptr<Http::Endpoint>& endpoint, const std::string& listen,
                           unsigned threads, const Limits& limits,
                           std::shared_ptr<Http::Handler> handler) {
  auto options = Http::Endpoint::options()
                     .threads(static_cast<int>(threads))
                     .threadsName("searchd")
                     .flags(Tcp::Options::ReuseAddr)
                     .maxRequestSize(limits.max_request_bytes)
                     .headerTimeout(limits.header_timeout)
                     .bodyTimeout(limits.header_timeout)
                     .keepaliveTimeout(limits.keepalive_timeout);
  endpoint = std::make_unique<Http::Endpoint>(address_of(listen));
  endpoint->init(options);
  endpoint->setHandler(std::move(handler));
  try {
    endpoint->serveThreaded();
  } catch (const std::exception& e) {
    endpoint.reset();
    throw std::runtime_error("cannot listen on " + listen + ": " + e.what());
  }
  const auto host = parse_listen(listen)->host;
  const std::string shown = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  return shown + ":" + std::to_string(static_cast<std::uint16_t>(endpoint->getPort()));
}

}  // namespace

struct HttpServer::Impl {
  Api& api;
  Config config;
  std::unique_ptr<Http::Endpoint> endpoint;
  std::unique_ptr<Http::Endpoint> admin_endpoint;
  std::string admin_address;
};

HttpServer::HttpServer(Api& api, const Config& config)
    : impl_(std::make_unique<Impl>(Impl{api, config, nullptr, nullptr, ""})) {}

HttpServer::~HttpServer() {
  shutdown();
}

std::string HttpServer::start() {
  const Config& config = impl_->config;
  const Limits& limits = config.limits;
  use_strict_content_length(limits.max_request_bytes);
  const unsigned threads =
      config.threads > 0 ? config.threads : std::max(1u, std::thread::hardware_concurrency());
  const std::string address =
      start_endpoint(impl_->endpoint, config.listen, threads, limits,
                     Http::make_handler<RequestHandler>(&impl_->api, limits, false));
  if (!config.admin_listen.empty()) {
    try {
      impl_->admin_address =
          start_endpoint(impl_->admin_endpoint, config.admin_listen, 1, limits,
                         Http::make_handler<RequestHandler>(&impl_->api, limits, true));
    } catch (...) {
      shutdown();
      throw;
    }
  }
  return address;
}

const std::string& HttpServer::admin_address() const {
  return impl_->admin_address;
}

void HttpServer::shutdown() {
  for (auto* endpoint : {&impl_->endpoint, &impl_->admin_endpoint}) {
    if (!*endpoint) continue;
    (*endpoint)->shutdown();
    endpoint->reset();
  }
}

}  // namespace sok::searchd
