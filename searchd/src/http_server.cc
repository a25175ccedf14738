#include "sok/searchd/http_server.h"

#include <pistache/endpoint.h>
#include <pistache/http.h>
#include <pistache/peer.h>
#include <spdlog/spdlog.h>
#include <sys/resource.h>
#include <sys/socket.h>

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <thread>

#include "sok/searchd/client_address.h"
#include "sok/searchd/json_output.h"
#include "sok/searchd/request_frame.h"

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

ApiRequest api_request_of(const Http::Request& request, bool admin_listener,
                          const TrustedProxies& trusted_proxies) {
  ApiRequest out;
  out.on_admin_listener = admin_listener;
  out.method = Http::methodString(request.method());
  out.path = request.resource();
  for (auto it = request.query().parameters_begin(); it != request.query().parameters_end(); ++it) {
    out.query.emplace_back(it->first, it->second);
  }
  std::sort(out.query.begin(), out.query.end());  // Pistache's map has no order
  out.client = client_address(request.address().host(), header_or_empty(request, "X-Forwarded-For"),
                              trusted_proxies);
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

// A request Pistache's parser refused, as a JSON error; its own answers are
// plain text and leave the connection open.
ApiError error_of(const Http::HttpError& error) {
  const std::string reason = error.reason();
  if (!reason.empty() && reason.front() == '{') {  // StrictContentLength's JSON
    const auto parsed = nlohmann::json::parse(reason, nullptr, false);
    if (parsed.contains("error") && parsed["error"].contains("code"))
      return {error.code(), parsed["error"]["code"], parsed["error"]["message"], ""};
  }
  if (reason.find("method") != std::string::npos) {
    return {501, "method_not_implemented",
            "the method is not one searchd knows; its routes take GET, POST, DELETE and OPTIONS",
            ""};
  }
  if (reason.find("version") != std::string::npos)
    return {505, "http_version_not_supported", "searchd speaks HTTP/1.0 and HTTP/1.1 only", ""};
  return {400, "bad_request", "the request is not well-formed HTTP/1.1", ""};
}

// What a connection has sent beyond the requests answered so far; kept
// with Pistache's peer, used by its worker thread only.
struct Pending {
  std::string bytes;
  // Answered with Connection: close or refused: whatever else it sends is
  // read and dropped until it closes or the header timeout closes it.
  bool closing = false;
  // Bytes of answers handed to Pistache that it has not yet written to
  // the system (it queues every answer and writes it on its next turn);
  // counted down as they are written, which may be on another thread.
  std::atomic<std::uint64_t> queued_bytes{0};
};

// Answers a connection may have waiting in searchd's memory before it is
// closed. A client that pipelines requests without reading the answers
// fills the system's buffers first, then Pistache's queue, and a request
// of 60 bytes can ask for an answer of 40 KB.
constexpr std::uint64_t kMaxQueuedAnswerBytes = 1 << 20;

constexpr const char* kPendingData = "sok.pending";

std::shared_ptr<Pending> pending_of(Tcp::Peer& peer) {
  if (const auto data = peer.tryGetData(kPendingData))
    return std::static_pointer_cast<Pending>(data);
  auto pending = std::make_shared<Pending>();
  peer.putData(kPendingData, pending);
  return pending;
}

class RequestHandler : public Http::Handler {
 public:
  HTTP_PROTOTYPE(RequestHandler)

  RequestHandler(Api* api, Limits limits, bool admin_listener,
                 std::shared_ptr<const TrustedProxies> trusted_proxies)
      : api_(api),
        limits_(limits),
        admin_listener_(admin_listener),
        trusted_proxies_(std::move(trusted_proxies)) {}

  void onRequest(const Http::Request& request, Http::ResponseWriter writer) override {
    const auto start = std::chrono::steady_clock::now();
    ApiResponse response;
    try {
      response = answer(request);
    } catch (...) {
      response = Api::error_response({500, "internal", "an internal error occurred", ""});
    }
    const int status = response.status;
    send(std::move(response), writer, wants_keep_alive(request));
    const double ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    spdlog::info("{} {} {} {:.2f} ms", Http::methodString(request.method()), request.resource(),
                 status, ms);
  }

 private:
  // Pistache 0.0.5 parses one request per read and drops what follows it
  // in the same read (pipelined requests, the next request after a body
  // sent with GET), and answers an unreadable request in plain text while
  // keeping the connection open. This frames each request first
  // (frame_request), hands Pistache's parser one whole request at a time,
  // and answers what cannot be read with a JSON error and a close.
  void onInput(const char* buffer, size_t len, const std::shared_ptr<Tcp::Peer>& peer) override {
    const auto shared = pending_of(*peer);
    Pending& pending = *shared;
    if (pending.closing) return;
    pending.bytes.append(buffer, len);
    while (!pending.closing) {
      const Frame frame = frame_request(pending.bytes, frame_limits());
      if (frame.kind == Frame::Kind::incomplete) return;
      if (frame.kind == Frame::Kind::refused) {
        refuse(peer, pending, {frame.status, frame.code, frame.message, ""});
        return;
      }
      if (pending.queued_bytes > kMaxQueuedAnswerBytes) {
        drop(*peer, pending);
        return;
      }
      const std::string one = pending.bytes.substr(0, frame.size);
      pending.bytes.erase(0, frame.size);
      serve(one, peer, pending);
    }
  }

  // Parses and answers the one whole request `bytes` as Pistache would.
  void serve(const std::string& bytes, const std::shared_ptr<Tcp::Peer>& peer, Pending& pending) {
    const auto parser = getParser(peer);
    try {
      const bool parsed =
          parser->feed(bytes.data(), bytes.size()) && parser->parse() == Http::Private::State::Done;
      if (!parsed) throw Http::HttpError(Http::Code::Bad_Request, "incomplete");
    } catch (const Http::HttpError& e) {
      parser->reset();
      refuse(peer, pending, error_of(e));
      return;
    } catch (const std::exception&) {
      parser->reset();
      refuse(peer, pending, {400, "bad_request", "the request is not well-formed HTTP/1.1", ""});
      return;
    }
    Http::Request& request = parser->request;
    request.copyAddress(peer->address());
    const bool keep_alive = wants_keep_alive(request);
    if (!keep_alive) pending.closing = true;
    Http::ResponseWriter writer(request.version(), transport(), this, peer);
    writer.headers().add<Http::Header::Connection>(keep_alive ? Http::ConnectionControl::KeepAlive
                                                              : Http::ConnectionControl::Close);
    peer->setIdle(false);
    onRequest(request, std::move(writer));
    parser->reset();
  }

  void refuse(const std::shared_ptr<Tcp::Peer>& peer, Pending& pending, const ApiError& error) {
    pending.closing = true;
    pending.bytes.clear();
    Http::ResponseWriter writer(Http::Version::Http11, transport(), this, peer);
    writer.headers().add<Http::Header::Connection>(Http::ConnectionControl::Close);
    send(Api::error_response(error), writer, false);
    spdlog::info("- - {} (refused: {})", error.status, error.code);
  }

  // Closes a connection whose answers pile up (it pipelines faster than
  // it reads, or reads nothing): Pistache sees the end and lets it go with
  // what it still holds for it. A client that pipelines has to be ready to
  // ask again for what was not answered (RFC 9112, 9.3.2).
  static void drop(Tcp::Peer& peer, Pending& pending) {
    pending.closing = true;
    pending.bytes.clear();
    ::shutdown(peer.fd(), SHUT_RDWR);
    spdlog::info("- - - (closed: over {} bytes of answers waiting to be read)",
                 kMaxQueuedAnswerBytes);
  }

  FrameLimits frame_limits() const { return {limits_.max_request_bytes, limits_.max_header_bytes}; }

  ApiResponse answer(const Http::Request& request) {
    if (header_bytes(request) > limits_.max_header_bytes) {
      return Api::error_response({431, "headers_too_large",
                                  "the request headers are larger than " +
                                      std::to_string(limits_.max_header_bytes) + " bytes",
                                  ""});
    }
    return api_->handle(api_request_of(request, admin_listener_, *trusted_proxies_));
  }

  // Sends `response`; a connection that is not kept alive is half-closed
  // once it is written (Pistache would keep it open until the keep-alive
  // timeout although it says "Connection: close"). The client reads the
  // answer, then the end; what it still sends is read and dropped, so that
  // no reset destroys the answer on its way.
  static void send(ApiResponse response, Http::ResponseWriter& writer, bool keep_alive) {
    if (response.status != 204)
      response.headers.emplace_back("Content-Type", response.content_type);
    for (auto& [name, value] : response.headers) {
      writer.headers().add(std::make_shared<NamedHeader>(std::move(name), std::move(value)));
    }
    const std::shared_ptr<Tcp::Peer> peer = writer.getPeer();
    if (!peer) return;
    const auto pending = pending_of(*peer);
    const std::uint64_t bytes = response.body.size() + 200;  // and the head, about
    pending->queued_bytes += bytes;
    writer.send(static_cast<Http::Code>(response.status), response.body)
        .then(
            [peer, pending, bytes, keep_alive](ssize_t) {
              pending->queued_bytes -= bytes;
              if (!keep_alive) ::shutdown(peer->fd(), SHUT_WR);
            },
            [pending, bytes](std::exception_ptr) { pending->queued_bytes -= bytes; });
  }

  Api* api_;
  Limits limits_;
  bool admin_listener_;
  std::shared_ptr<const TrustedProxies> trusted_proxies_;
};

// Lets searchd hold as many connections as the system allows: the soft
// limit of open files (1024 under systemd) raised to the hard one. Idle
// and slow connections are shed by the header timeout; until then each
// holds a file descriptor, and at the limit new clients wait in the
// listen queue.
void raise_open_file_limit() {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return;
  if (limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    if (::setrlimit(RLIMIT_NOFILE, &limit) != 0) ::getrlimit(RLIMIT_NOFILE, &limit);
  }
  spdlog::info("open files: up to {}", static_cast<unsigned long long>(limit.rlim_cur));
}

Address address_of(const std::string& listen) {
  const auto parsed = parse_listen(listen);
  if (!parsed) throw std::runtime_error("cannot listen on \"" + listen + "\": not HOST:PORT");
  // Pistache reads an IPv6 host only in brackets.
  const bool ipv6 = parsed->host.find(':') != std::string::npos;
  return Address(ipv6 ? "[" + parsed->host + "]" : parsed->host, Port(parsed->port));
}

// Connections the system may complete before searchd accepts them (it caps
// this at net.core.somaxconn, 4096 by default). With Pistache's 128 a
// burst of connections fills the queue and the system drops connections
// beyond it, which the clients retry after a second or more: normal
// clients among them wait as long.
constexpr int kListenBacklog = 4096;

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
  // Pistache 0.0.5's init() leaves the backlog option out; this passes it.
  endpoint->initArgs(threads, Flags<Tcp::Options>(Tcp::Options::ReuseAddr), "searchd",
                     kListenBacklog);
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
  raise_open_file_limit();
  std::string problem;
  const auto trusted = TrustedProxies::parse(config.trusted_proxies, problem);
  if (!trusted) throw std::runtime_error("trusted proxies: " + problem);
  const auto proxies = std::make_shared<const TrustedProxies>(*trusted);
  const unsigned threads =
      config.threads > 0 ? config.threads : std::max(1u, std::thread::hardware_concurrency());
  const std::string address =
      start_endpoint(impl_->endpoint, config.listen, threads, limits,
                     Http::make_handler<RequestHandler>(&impl_->api, limits, false, proxies));
  if (!config.admin_listen.empty()) {
    try {
      impl_->admin_address =
          start_endpoint(impl_->admin_endpoint, config.admin_listen, 1, limits,
                         Http::make_handler<RequestHandler>(&impl_->api, limits, true, proxies));
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
