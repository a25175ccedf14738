#include "sok/searchd/api.h"

#include <spdlog/spdlog.h>
#include <xapian.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <stdexcept>

#include "sok/index/index_error.h"
#include "sok/searchd/json_output.h"

namespace sok::searchd {

struct Api::Route {
  std::string_view pattern;  // "/api/documents/{id}": {id} is one path segment
  std::string_view method;   // "GET", "POST", "DELETE"; OPTIONS is answered for each
  ApiResponse (Api::*handler)(const ApiRequest&, const std::string& id);
  bool rate_limited;
  bool admin = false;  // needs the admin token; no CORS
};

namespace {

using Clock = std::chrono::steady_clock;

ApiResponse json_response(int status, const Json& body) {
  ApiResponse response;
  response.status = status;
  response.body = dump(body);
  return response;
}

// Whether `path` fits `pattern`; the {id} segment goes to `id`.
bool matches(std::string_view pattern, std::string_view path, std::string& id) {
  const std::size_t hole = pattern.find("{id}");
  if (hole == std::string_view::npos) return pattern == path;
  if (path.substr(0, hole) != pattern.substr(0, hole)) return false;
  const std::string_view rest = path.substr(hole);
  if (rest.empty() || rest.find('/') != std::string_view::npos) return false;
  id = std::string(rest);
  return true;
}

// The Xapian revision after "#" in an IndexInfo revision, 0 when none.
double revision_number(const std::string& revision) {
  const std::size_t hash = revision.rfind('#');
  if (hash == std::string::npos) return 0;
  try {
    return std::stod(revision.substr(hash + 1));
  } catch (const std::exception&) {
    return 0;
  }
}

// The bytes on disk of the live build named before "#" in `revision`.
double build_bytes(const std::string& index_dir, const std::string& revision) {
  namespace fs = std::filesystem;
  const fs::path build = fs::path(index_dir) / revision.substr(0, revision.rfind('#'));
  double total = 0;
  std::error_code error;
  for (const auto& entry : fs::recursive_directory_iterator(build, error)) {
    if (entry.is_regular_file(error)) total += static_cast<double>(entry.file_size(error));
  }
  return total;
}

double unix_now() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// The parameter a Searcher's std::invalid_argument message is about.
std::string parameter_of(const std::string& message) {
  if (message.rfind("unknown facet", 0) == 0) return "facets";
  for (const char* name : {"size", "page", "snippet", "from", "to"}) {
    if (message.rfind(name, 0) == 0) return name;
  }
  return "";
}

ApiError index_unavailable() {
  return {503, "index_unavailable", "the index cannot be read at the moment; try again shortly",
          ""};
}

}  // namespace

const std::vector<Api::Route>& Api::routes() {
  static const std::vector<Route> table = {
      {"/api/search", "GET", &Api::search, true},
      {"/api/suggest", "GET", &Api::suggest, true},
      {"/api/documents/{id}", "GET", &Api::document, true},
      {"/api/openapi.json", "GET", &Api::openapi, true},
      {"/healthz", "GET", &Api::healthz, false},
      {"/readyz", "GET", &Api::readyz, false},
      {"/metrics", "GET", &Api::metrics, false},
      {"/", "GET", &Api::page, true},
      {"/widget.js", "GET", &Api::web_file, false},
      {"/static/{id}", "GET", &Api::web_file, false},
      {"/api/admin/documents", "POST", &Api::admin_post_documents, false, true},
      {"/api/admin/documents/{id}", "DELETE", &Api::admin_delete_document, false, true},
      {"/api/admin/reindex", "POST", &Api::admin_reindex, false, true},
      {"/api/admin/jobs", "GET", &Api::admin_jobs, false, true},
      {"/api/admin/jobs/{id}", "GET", &Api::admin_job, false, true},
      {"/api/admin/stats", "GET", &Api::admin_stats, false, true},
  };
  return table;
}

Api::Api(ApiOptions options, SearcherPool& searchers, Metrics& metrics)
    : options_(std::move(options)), searchers_(searchers), metrics_(metrics) {
  reload(options_);
}

void Api::reload(const ApiOptions& options) {
  auto live = std::make_shared<Live>();
  live->rate_limit = options.rate_limit;
  live->cors_origins = options.cors_origins;
  live->admin_token = options.admin_token;
  const std::lock_guard lock(live_mutex_);
  const bool same_rate = live_ && live_->rate_limit == options.rate_limit;
  live->limiter = same_rate ? live_->limiter : std::make_shared<RateLimiter>(options.rate_limit);
  live_ = std::move(live);
}

std::shared_ptr<const Api::Live> Api::live() const {
  const std::lock_guard lock(live_mutex_);
  return live_;
}

ApiResponse Api::error_response(const ApiError& error) {
  return json_response(error.status, error_json(error));
}

ApiResponse Api::handle(const ApiRequest& request) {
  const auto start = Clock::now();
  const Route* route = nullptr;
  std::string id;
  for (const auto& candidate : routes()) {
    if (matches(candidate.pattern, request.path, id)) {
      route = &candidate;
      break;
    }
  }
  ApiResponse response = dispatch(request, route, id);
  add_cors(request, response);
  if (route) response.route = std::string(route->pattern);
  metrics_.observe_request(response.route, response.status,
                           std::chrono::duration<double>(Clock::now() - start).count());
  return response;
}

ApiResponse Api::dispatch(const ApiRequest& request, const Route* route, const std::string& id) {
  if (!route) {
    return error_response(
        {404, "not_found",
         "no such route: " + request.path + " (the API is described at " + "/api/openapi.json)",
         ""});
  }
  if (auto refused = refuse_on_this_listener(request, route->admin)) return *refused;
  const std::string allow = std::string(route->method) + ", OPTIONS";
  if (request.method == "OPTIONS") {
    ApiResponse response;
    response.status = 204;
    response.headers = {{"Allow", allow}};
    return response;
  }
  if (request.method != route->method) {
    ApiResponse response = error_response(
        {405, "method_not_allowed",
         request.method + " is not allowed here; use " + std::string(route->method), ""});
    response.headers = {{"Allow", allow}};
    return response;
  }
  if (route->admin) {
    if (auto refused = refuse_unauthorised(request)) return *refused;
  }
  if (route->rate_limited) {
    const auto settings = live();
    if (const auto wait = settings->limiter->admit(request.client)) {
      ApiResponse response =
          error_response({429, "rate_limited",
                          "too many requests: at most " + std::to_string(settings->rate_limit) +
                              " a second per client",
                          ""});
      response.headers = {{"Retry-After", std::to_string(static_cast<long>(std::ceil(*wait)))}};
      return response;
    }
  }
  return guarded(request, *route, id);
}

// Runs the route's handler; an index changed under a search is reopened
// and the search tried once more.
ApiResponse Api::guarded(const ApiRequest& request, const Route& route, const std::string& id) {
  try {
    try {
      return (this->*route.handler)(request, id);
    } catch (const Xapian::DatabaseModifiedError&) {
      return (this->*route.handler)(request, id);
    }
  } catch (const std::invalid_argument& e) {
    return error_response(invalid_parameter(parameter_of(e.what()), e.what()));
  } catch (const IndexError& e) {
    spdlog::error("{} {}: {}", request.method, request.path, e.what());
    return error_response(index_unavailable());
  } catch (const Xapian::Error& e) {
    spdlog::error("{} {}: {}", request.method, request.path, e.get_description());
    return error_response(index_unavailable());
  } catch (const std::exception& e) {
    spdlog::error("{} {}: {}", request.method, request.path, e.what());
  } catch (...) {
    spdlog::error("{} {}: an exception of unknown type", request.method, request.path);
  }
  return error_response({500, "internal", "an internal error occurred; it has been logged", ""});
}

void Api::add_cors(const ApiRequest& request, ApiResponse& response) const {
  if (request.origin.empty() || request.path.rfind("/api/admin/", 0) == 0) return;
  const auto settings = live();
  const auto& allowed = settings->cors_origins;
  const bool any = std::find(allowed.begin(), allowed.end(), "*") != allowed.end();
  if (!any && std::find(allowed.begin(), allowed.end(), request.origin) == allowed.end()) return;
  response.headers.emplace_back("Access-Control-Allow-Origin", any ? "*" : request.origin);
  response.headers.emplace_back("Vary", "Origin");
  if (request.method == "OPTIONS") {
    response.headers.emplace_back("Access-Control-Allow-Methods", "GET, OPTIONS");
    response.headers.emplace_back("Access-Control-Max-Age", "600");
  }
}

ApiResponse Api::search(const ApiRequest& request, const std::string&) {
  auto parsed = parse_search_params(request.query, options_.limits);
  if (!parsed.ok()) return error_response(parsed.error());
  Searcher& searcher = searchers_.for_this_thread();
  const auto start = Clock::now();
  const SearchResponse response = searcher.search(parsed.value());
  const double took_ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
  if (response.shards_failed > 0) {
    metrics_.count_partial_search();
    spdlog::warn("search answered by {} of {} shards{}", response.shards - response.shards_failed,
                 response.shards, options_.strict_shards ? ": 503, strict" : ": partial");
    if (options_.strict_shards) {
      return error_response({503, "shards_unavailable",
                             std::to_string(response.shards_failed) + " of " +
                                 std::to_string(response.shards) +
                                 " shards of the index do not answer; try again shortly",
                             ""});
    }
  }
  count_search(parsed.value(), response);
  return json_response(200, search_json(parsed.value(), response, took_ms));
}

// A visitor's search with a query, on its first page (turning pages is the
// same search), counted in the metrics and the staff's stats.
void Api::count_search(const SearchRequest& request, const SearchResponse& response) {
  if (request.query.empty()) return;
  if (response.total == 0) metrics_.count_zero_hits();
  if (options_.query_stats && request.page == 1)
    options_.query_stats->record(request.query, response.total);
}

ApiResponse Api::suggest(const ApiRequest& request, const std::string&) {
  const auto parsed = parse_suggest_params(request.query, options_.limits);
  if (!parsed.ok()) return error_response(parsed.error());
  const SuggestRequest& r = parsed.value();
  Searcher& searcher = searchers_.for_this_thread();
  return json_response(200, suggestions_json(r, searcher.suggest(r.typed, r.language, r.size)));
}

ApiResponse Api::document(const ApiRequest& request, const std::string& raw_id) {
  if (auto error = refuse_params(request.query)) return error_response(*error);
  const auto id = decode_path_segment(raw_id, "id");
  if (!id.ok()) return error_response(id.error());
  const auto hit = id.value().size() > kMaxIdBytes
                       ? std::nullopt
                       : searchers_.for_this_thread().document(id.value());
  if (!hit) {
    return error_response({404, "not_found", "no article has the id \"" + id.value() + "\"", "id"});
  }
  return json_response(200, hit_json(*hit, false));
}

ApiResponse Api::openapi(const ApiRequest& request, const std::string&) {
  if (auto error = refuse_params(request.query)) return error_response(*error);
  ApiResponse response;
  response.body = openapi_document();
  return response;
}

ApiResponse Api::healthz(const ApiRequest&, const std::string&) {
  return json_response(200, {{"status", "ok"}});
}

ApiResponse Api::readyz(const ApiRequest&, const std::string&) {
  IndexInfo info;
  try {
    info = searchers_.for_this_thread().info();
  } catch (const IndexError& e) {
    spdlog::warn("not ready: {}", e.what());
    ApiError error = index_unavailable();
    error.message = "not ready: the index cannot be opened";
    return error_response(error);
  }
  const std::string& last_change = info.updated_at.empty() ? info.built_at : info.updated_at;
  return json_response(200, ready_json(info, seconds_since(last_change, unix_now())));
}

ApiResponse Api::metrics(const ApiRequest&, const std::string&) {
  try {
    const IndexInfo info = searchers_.for_this_thread().info();
    metrics_.set_index(static_cast<double>(info.documents), revision_number(info.revision),
                       build_bytes(searchers_.index_dir(), info.revision));
    metrics_.set_shards(static_cast<double>(info.shards), static_cast<double>(info.shards_down));
  } catch (const IndexError& e) {
    spdlog::warn("metrics without the index: {}", e.what());
  }
  ApiResponse response;
  response.content_type = "text/plain; version=0.0.4; charset=utf-8";
  response.body = metrics_.render();
  return response;
}

}  // namespace sok::searchd
