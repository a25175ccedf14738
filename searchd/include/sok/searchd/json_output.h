#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sok/index/searcher.h"
#include "sok/searchd/api_error.h"
#include "sok/searchd/search_params.h"

namespace sok::searchd {

// JSON that keeps its keys in the order written, as the API documents them.
using Json = nlohmann::ordered_json;

// The JSON bodies of the API, as the OpenAPI description (openapi.json)
// documents them.

// GET /api/search: the request as read, the response and the time taken.
Json search_json(const SearchRequest& request, const SearchResponse& response, double took_ms);

// One hit; `with_highlights` false for GET /api/documents/{id}, whose hit
// has no query to mark.
Json hit_json(const Hit& hit, bool with_highlights);

// GET /api/suggest.
Json suggestions_json(const SuggestRequest& request, const std::vector<Suggestion>& suggestions);

// GET /readyz: the open index; `age_seconds` since its last build or
// update, when known.
Json ready_json(const IndexInfo& info, std::optional<double> age_seconds);

// {"error": {"code", "message", "parameter"}}; parameter is null when the
// error names none.
Json error_json(const ApiError& error);

// `value` as compact text; bytes that are not UTF-8 are replaced, never thrown on.
std::string dump(const Json& value);

// Seconds from the ISO 8601 UTC time `iso` ("2024-03-14T09:00:00Z") to
// `now_seconds` (Unix time), nullopt when `iso` is not such a time.
std::optional<double> seconds_since(std::string_view iso, double now_seconds);

}  // namespace sok::searchd
