// searchd's HTTP handling without a socket: the input read as a request
// ("METHOD TARGET" on the first line, "Name: value" headers, a blank line,
// the body) and answered by Api::handle over the corpus index, with the
// visitors' page, CORS and an admin token set (the admin routes have no
// index writer here, so they answer 503 once authorised).
//
// Invariants: no 5xx but 503; JSON bodies parse; no header holds a line
// break; the visitors' page carries no <script> but its own two.
#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_support.h"
#include "sok/searchd/api.h"
#include "sok/searchd/web_files.h"

namespace {

using sok::fuzz::check;
namespace sd = sok::searchd;

// The page's own scripts; any other "<script" would be the visitor's.
constexpr std::string_view kOwnScripts[] = {
    "<script src=\"/widget.js\" defer></script>",
    "<script src=\"/static/app.js\" defer></script>",
};

struct Server {
  Server()
      : web(sd::WebFiles::load(SOK_DEFAULT_WEB_ROOT)),
        searchers(sok::fuzz::corpus_index()),
        stats(""),
        api(options(), searchers, metrics) {}

  sd::ApiOptions options() {
    sd::ApiOptions o;
    o.cors_origins = {"https://flemingsberg-science.se"};
    o.admin_token = "fuzz-admin-token";
    o.web = &web;
    o.query_stats = &stats;
    return o;
  }

  sd::WebFiles web;
  sd::SearcherPool searchers;
  sd::Metrics metrics;
  sd::QueryStats stats;
  sd::Api api;
};

Server& server() {
  static Server instance;
  return instance;
}

std::string_view next_line(std::string_view& text) {
  const std::size_t end = text.find('\n');
  const std::string_view line = text.substr(0, end);
  text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
  return line.empty() || line.back() != '\r' ? line : line.substr(0, line.size() - 1);
}

void set_header(sd::ApiRequest& request, std::string_view name, std::string_view value) {
  const std::string v(value.substr(value.find_first_not_of(' ') == std::string_view::npos
                                       ? value.size()
                                       : value.find_first_not_of(' ')));
  if (name == "Origin") request.origin = v;
  if (name == "Accept-Language") request.accept_language = v;
  if (name == "Accept-Encoding") request.accept_encoding = v;
  if (name == "If-None-Match") request.if_none_match = v;
  if (name == "X-Sok-Fragment") request.fragment = !v.empty();
  if (name == "Authorization") request.authorization = v;
  if (name == "X-Client") request.client = v;
  if (name == "X-Admin-Listener") request.on_admin_listener = true;
}

// The request in `text`, as searchd's server hands it to the Api.
sd::ApiRequest request_of(std::string_view text) {
  sd::ApiRequest request;
  request.client = "192.0.2.1";
  const std::string_view first = next_line(text);
  const std::size_t space = first.find(' ');
  request.method = std::string(first.substr(0, space));
  const std::string_view target =
      space == std::string_view::npos ? std::string_view("/") : first.substr(space + 1);
  const std::size_t question = target.find('?');
  request.path = std::string(target.substr(0, question));
  if (question != std::string_view::npos)
    request.query = sok::fuzz::split_query(target.substr(question + 1));
  for (std::string_view line = next_line(text); !line.empty(); line = next_line(text)) {
    const std::size_t colon = line.find(':');
    if (colon != std::string_view::npos)
      set_header(request, line.substr(0, colon), line.substr(colon + 1));
  }
  if (request.path.rfind("/api/admin/", 0) == 0) request.body = std::string(text);
  return request;
}

void check_page(std::string html) {
  for (const std::string_view own : kOwnScripts) {
    const std::size_t at = html.find(own);
    if (at != std::string::npos) html.erase(at, own.size());
  }
  for (char& c : html) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  check(html.find("<script") == std::string::npos, "a <script> of the visitor's on the page");
}

void check_response(const sd::ApiResponse& response) {
  check(response.status >= 100 && response.status < 600, "not an HTTP status");
  check(response.status < 500 || response.status == 503, "a server error",
        std::to_string(response.status) + " " + response.body);
  for (const auto& [name, value] : response.headers) {
    check((name + value).find_first_of("\r\n") == std::string::npos, "a line break in a header",
          name + ": " + value);
  }
  const bool gzipped = response.headers.end() !=
                       std::find_if(response.headers.begin(), response.headers.end(),
                                    [](const auto& h) { return h.first == "Content-Encoding"; });
  if (gzipped || response.body.empty()) return;
  if (response.content_type.rfind("application/json", 0) == 0)
    check(nlohmann::json::accept(response.body), "a JSON body that does not parse", response.body);
  if (response.content_type.rfind("text/html", 0) == 0) check_page(response.body);
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  server();  // builds the index and loads the page's files before the first input
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 8192) return 0;  // searchd's largest request (maxRequestSize) is smaller
  check_response(server().api.handle(request_of(sok::fuzz::text_of(data, size))));
  return 0;
}
