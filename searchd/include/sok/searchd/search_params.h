#pragma once

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "sok/index/searcher.h"
#include "sok/searchd/api_error.h"

namespace sok::searchd {

// A query string's parameters as received: names and values still
// percent-encoded.
using RawParams = std::vector<std::pair<std::string, std::string>>;

struct ParamLimits {
  std::size_t max_query_bytes = 4096;  // of q, decoded
  std::size_t max_values = 20;         // per list parameter (type=a,b,…)
  std::size_t max_value_bytes = 200;   // of one tag or partner name, decoded
};

// The highest page number a request may ask for.
inline constexpr std::size_t kMaxPage = 10000;

// The value of the sort parameter that asks for `sort`: relevance, date
// (oldest first) or -date (newest first).
std::string_view sort_parameter(SortOrder sort);

// GET /api/search's parameters as a SearchRequest, or an ApiError naming the
// first bad parameter (status 400). The rules, as the README and OpenAPI
// describe them:
// - q: the query (UTF-8, at most max_query_bytes); absent or empty lists the
//   newest articles. Tabs and line breaks count as spaces; other control
//   characters are refused.
// - lang, type, tag, partner, year, facets: lists, several values separated
//   by commas (a comma inside a value is written %2C); an empty filter is
//   the same as none.
// - facets absent: every facet; facets empty: none.
// - sort: relevance (default), date (oldest first), -date (newest first).
// - page 1–kMaxPage, size 1–kMaxPageSize, snippet kMinSnippetBytes–kMaxSnippetBytes.
// - from, to: YYYY-MM-DD, from not after to.
// Any other parameter is refused.
Result<SearchRequest> parse_search_params(const RawParams& params, const ParamLimits& limits);

struct SuggestRequest {
  std::string typed;
  Language language = Language::unknown;  // unknown: both
  std::size_t size = 8;
};

inline constexpr std::size_t kMaxSuggestions = 20;

// GET /api/suggest's parameters: q (required, may be empty), lang (sv or en),
// size (1–kMaxSuggestions).
Result<SuggestRequest> parse_suggest_params(const RawParams& params, const ParamLimits& limits);

// An ApiError for the first parameter, for routes that take none; nullopt
// when there are none.
std::optional<ApiError> refuse_params(const RawParams& params);

// A path segment strictly percent-decoded ("+" stays "+"), or an ApiError
// (400) when its escapes or its UTF-8 are bad.
Result<std::string> decode_path_segment(const std::string& raw, const std::string& what);

}  // namespace sok::searchd
