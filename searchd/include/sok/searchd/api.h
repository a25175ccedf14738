#pragma once

#include <string>
#include <utility>
#include <vector>

#include "sok/searchd/api_error.h"
#include "sok/searchd/metrics.h"
#include "sok/searchd/rate_limiter.h"
#include "sok/searchd/search_params.h"
#include "sok/searchd/searcher_pool.h"
#include "sok/searchd/web_files.h"

namespace sok::searchd {

// An HTTP request as the API sees it, whatever server received it.
struct ApiRequest {
  std::string method;  // "GET", "OPTIONS", …
  std::string path;    // as received: still percent-encoded, without the query
  RawParams query;
  std::string client;  // the client's address: whom the rate limit counts
  std::string origin;  // the Origin header, "" when none
  // Headers the visitors' page reads; "" when absent.
  std::string accept_language;
  std::string accept_encoding;
  std::string if_none_match;
  bool fragment = false;  // X-Sok-Fragment: the page's script wants the results part only
};

using Headers = std::vector<std::pair<std::string, std::string>>;

struct ApiResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  Headers headers;
  std::string route = "unmatched";  // the matched route's pattern, for logs and metrics
};

struct ApiOptions {
  ParamLimits limits;
  unsigned rate_limit = 0;                // requests a second per client on /api/; 0: off
  std::vector<std::string> cors_origins;  // "*" allows any
  // The visitors' page and its files; nullptr: the API only.
  const WebFiles* web = nullptr;
};

// The route table and its handlers: plain functions from ApiRequest to
// ApiResponse that tests call without a socket. Thread-safe: each thread
// searches with its own Searcher from the pool.
class Api {
 public:
  // Keeps references to `searchers` and `metrics`, which must outlive it.
  Api(ApiOptions options, SearcherPool& searchers, Metrics& metrics);

  // Answers `request`. Never throws: a bad request is a 4xx JSON error, an
  // index that cannot be read 503, anything unforeseen 500 without details
  // (those go to the log).
  ApiResponse handle(const ApiRequest& request);

  // An error as a complete response.
  static ApiResponse error_response(const ApiError& error);

 private:
  struct Route;
  ApiResponse dispatch(const ApiRequest& request, const Route* route, const std::string& id);
  ApiResponse guarded(const ApiRequest& request, const Route& route, const std::string& id);
  ApiResponse search(const ApiRequest& request, const std::string& id);
  ApiResponse suggest(const ApiRequest& request, const std::string& id);
  ApiResponse document(const ApiRequest& request, const std::string& id);
  ApiResponse openapi(const ApiRequest& request, const std::string& id);
  ApiResponse healthz(const ApiRequest& request, const std::string& id);
  ApiResponse readyz(const ApiRequest& request, const std::string& id);
  ApiResponse metrics(const ApiRequest& request, const std::string& id);
  // The visitors' page (site.cc).
  ApiResponse page(const ApiRequest& request, const std::string& id);
  ApiResponse web_file(const ApiRequest& request, const std::string& id);
  void add_cors(const ApiRequest& request, ApiResponse& response) const;

  static const std::vector<Route>& routes();

  ApiOptions options_;
  SearcherPool& searchers_;
  Metrics& metrics_;
  RateLimiter limiter_;
};

// The OpenAPI 3 description of the API (searchd/openapi.json).
const std::string& openapi_document();

}  // namespace sok::searchd
