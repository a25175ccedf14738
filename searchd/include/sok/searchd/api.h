#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "sok/searchd/admin_jobs.h"
#include "sok/searchd/api_error.h"
#include "sok/searchd/metrics.h"
#include "sok/searchd/query_stats.h"
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
  bool fragment = false;           // X-Sok-Fragment: the page's script wants the results part only
  std::string authorization;       // the Authorization header, "" when none
  std::string body;                // of a request to an admin route; "" for the others
  bool on_admin_listener = false;  // came to config's admin_listen address
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
  // These three can change while searchd runs (Api::reload).
  unsigned rate_limit = 0;                // requests a second per client on /api/; 0: off
  std::vector<std::string> cors_origins;  // "*" allows any
  std::string admin_token;                // "" turns the admin routes off (403)
  // The admin routes are served on another address (config's admin_listen)
  // and only there: on the public one they are 404.
  bool separate_admin_listener = false;
  // The visitors' page and its files; nullptr: the API only.
  const WebFiles* web = nullptr;
  // The index's one writer for the admin routes; nullptr: they answer 503.
  JobQueue* jobs = nullptr;
  // Where searches are counted for the admin stats; nullptr: not counted.
  QueryStats* query_stats = nullptr;
  // A search that some shards did not answer gets 503 instead of a partial answer.
  bool strict_shards = false;
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

  // Takes the rate limit, CORS origins and admin token of `options` for the
  // requests that begin from now on (SIGHUP); the rest stays as it was.
  void reload(const ApiOptions& options);

 private:
  struct Route;
  // The settings reload() replaces; a request uses one snapshot throughout.
  struct Live {
    unsigned rate_limit = 0;
    std::vector<std::string> cors_origins;
    std::string admin_token;
    std::shared_ptr<RateLimiter> limiter;
  };
  std::shared_ptr<const Live> live() const;
  std::optional<ApiResponse> refuse_unauthorised(const ApiRequest& request) const;
  std::optional<ApiResponse> refuse_on_this_listener(const ApiRequest& request,
                                                     bool admin_route) const;
  void count_search(const SearchRequest& request, const SearchResponse& response);
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
  // The staff's admin routes (admin.cc).
  ApiResponse admin_post_documents(const ApiRequest& request, const std::string& id);
  ApiResponse admin_delete_document(const ApiRequest& request, const std::string& id);
  ApiResponse admin_reindex(const ApiRequest& request, const std::string& id);
  ApiResponse admin_job(const ApiRequest& request, const std::string& id);
  ApiResponse admin_jobs(const ApiRequest& request, const std::string& id);
  ApiResponse admin_stats(const ApiRequest& request, const std::string& id);
  void add_cors(const ApiRequest& request, ApiResponse& response) const;

  static const std::vector<Route>& routes();

  ApiOptions options_;  // its live settings are read from live_ instead
  SearcherPool& searchers_;
  Metrics& metrics_;
  mutable std::mutex live_mutex_;
  std::shared_ptr<const Live> live_;  // GUARDED_BY(live_mutex_)
};

// The OpenAPI 3 description of the API (searchd/openapi.json).
const std::string& openapi_document();

}  // namespace sok::searchd
