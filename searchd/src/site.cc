// The visitors' page and its files: Api's handlers for /, /widget.js and
// /static/{name}.
#include "sok/searchd/api.h"
#include "sok/searchd/json_output.h"
#include "sok/searchd/page.h"
#include "sok/searchd/percent_encoding.h"

namespace sok::searchd {
namespace {

// Scripts and styles from this site only: nothing inline runs.
constexpr const char* kPagePolicy =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'self'";

constexpr std::size_t kNewestShown = 5;

bool accepts_gzip(const ApiRequest& request) {
  return request.accept_encoding.find("gzip") != std::string::npos;
}

ApiResponse not_found(const std::string& path) {
  return Api::error_response({404, "not_found", "no such page: " + path, ""});
}

// The newest articles, for a page whose query found nothing.
SearchResponse newest_articles(Searcher& searcher) {
  SearchRequest request;
  request.size = kNewestShown;
  return searcher.search(request);
}

PageState page_state(const ApiRequest& request, const ParamLimits& limits, Searcher& searcher) {
  PageState state;
  std::string ui;
  auto parsed = parse_page_params(request.query, limits, ui);
  state.ui = interface_language(ui, request.accept_language);
  state.ui_chosen = !ui.empty();
  if (!parsed.ok()) {
    state.error = parsed.error();
    return state;
  }
  state.request = std::move(parsed).value();
  try {
    state.response = searcher.search(state.request);
  } catch (const std::invalid_argument& e) {
    state.error = invalid_parameter("", e.what());
    return state;
  }
  if (state.response->total == 0 && !state.response->corrected)
    state.newest = newest_articles(searcher);
  return state;
}

}  // namespace

ApiResponse Api::page(const ApiRequest& request, const std::string&) {
  if (!options_.web) return not_found(request.path);
  const PageState state = page_state(request, options_.limits, searchers_.for_this_thread());
  const Texts& texts = options_.web->texts(state.ui);
  if (state.response) count_search(state.request, *state.response);
  ApiResponse response;
  response.status = state.error ? state.error->status : 200;
  response.content_type = "text/html; charset=utf-8";
  response.body = request.fragment ? render_results(state, texts) : render_page(state, texts);
  response.headers = {{"Content-Security-Policy", kPagePolicy},
                      {"Cache-Control", "no-cache"},
                      {"Vary", "Accept-Language, Accept-Encoding, X-Sok-Fragment"},
                      {"X-Content-Type-Options", "nosniff"},
                      {"Referrer-Policy", "strict-origin-when-cross-origin"},
                      {"X-Sok-Title", percent_encode(page_title(state, texts))}};
  if (accepts_gzip(request)) {
    response.body = gzip(response.body);
    response.headers.emplace_back("Content-Encoding", "gzip");
  }
  return response;
}

ApiResponse Api::web_file(const ApiRequest& request, const std::string&) {
  const WebFile* file = options_.web ? options_.web->find(request.path) : nullptr;
  if (!file) return not_found(request.path);
  ApiResponse response;
  response.content_type = file->content_type;
  response.headers = {{"Cache-Control", file->cache_control},
                      {"ETag", file->etag},
                      {"Vary", "Accept-Encoding"},
                      {"X-Content-Type-Options", "nosniff"}};
  if (request.path == "/widget.js") {
    // Pages of the cluster's website load the widget from here.
    response.headers.emplace_back("Cross-Origin-Resource-Policy", "cross-origin");
  }
  if (request.if_none_match == file->etag) {
    response.status = 304;
    return response;
  }
  const bool compressed = accepts_gzip(request) && !file->gzipped.empty();
  response.body = compressed ? file->gzipped : file->body;
  if (compressed) response.headers.emplace_back("Content-Encoding", "gzip");
  return response;
}

}  // namespace sok::searchd
