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
  ApiResponse (Api::*handler)(const ApiRequest&, const std::string& id);
  bool rate_limited;
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
      {"/api/search", &Api::search, true},
      {"/api/suggest", &Api::suggest, true},
      {"/api/documents/{id}", &Api::document, true},
      {"/api/openapi.json", &Api::openapi, true},
      {"/healthz", &Api::healthz, false},
      {"/readyz", &Api::readyz, false},
      {"/metrics", &Api::metrics, false},
      {"/", &Api::page, true},
      {"/widget.js", &Api::web_file, false},
      {"/static/{id}", &Api::web_file, false},
  };
  return table;
}

Api::Api(ApiOptions options, SearcherPool& searchers, Metrics& metrics)
    : options_(std::move(options)),
      searchers_(searchers),
      metrics_(metrics),
      limiter_(options_.rate_limit) {}

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
  if (request.method == "OPTIONS") {
    ApiResponse response;
    response.status = 204;
    response.headers = {{"Allow", "GET, OPTIONS"}};
    return response;
  }
  if (request.method != "GET") {
    ApiResponse response = error_response(
        {405, "method_not_allowed", request.method + " is not allowed here; use GET", ""});
    response.headers = {{"Allow", "GET, OPTIONS"}};
    return response;
  }
  if (route->rate_limited) {
    if (const auto wait = limiter_.admit(request.client)) {
      ApiResponse response =
          error_response({429, "rate_limited",
                          "too many requests: at most " + std::to_string(options_.rate_limit) +
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
  if (request.origin.empty()) return;
  const auto& allowed = options_.cors_origins;
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
  if (response.total == 0 && !parsed.value().query.empty()) metrics_.count_zero_hits();
  return json_response(200, search_json(parsed.value(), response, took_ms));
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
  } catch (const IndexError& e) {
    spdlog::warn("metrics without the index: {}", e.what());
  }
  ApiResponse response;
  response.content_type = "text/plain; version=0.0.4; charset=utf-8";
  response.body = metrics_.render();
  return response;
}

}  // namespace sok::searchd
