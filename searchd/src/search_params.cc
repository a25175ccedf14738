#include "sok/searchd/search_params.h"

#include <algorithm>
#include <charconv>
#include <functional>
#include <string_view>

#include "sok/searchd/percent_encoding.h"

namespace sok::searchd {
namespace {

// A parameter with its name decoded and its value still as received.
struct Param {
  std::string name;
  std::string raw;
};

using Params = std::vector<Param>;

std::string joined(const std::vector<std::string_view>& words) {
  std::string out;
  for (const auto word : words) out += (out.empty() ? "" : ", ") + std::string(word);
  return out;
}

ApiError unknown_parameter(const std::string& name, const std::vector<std::string_view>& allowed) {
  return {400, "unknown_parameter",
          "unknown parameter \"" + name + "\" (allowed: " + joined(allowed) + ")", name};
}

// The parameters with decoded names, refusing names not in `allowed`.
Result<Params> decode_names(const RawParams& raw, const std::vector<std::string_view>& allowed) {
  Params out;
  for (const auto& [raw_name, raw_value] : raw) {
    if (raw_name.empty() && raw_value.empty()) continue;  // "?&q=x": a stray "&"
    const auto name = percent_decode(raw_name, true);
    if (!name || !is_valid_utf8(*name)) {
      return invalid_parameter(raw_name, "a parameter name has invalid percent-encoding or UTF-8");
    }
    if (std::find(allowed.begin(), allowed.end(), *name) == allowed.end()) {
      return unknown_parameter(*name, allowed);
    }
    out.push_back({*name, raw_value});
  }
  return out;
}

Result<std::string> decode_value(const std::string& name, std::string_view raw) {
  const auto value = percent_decode(raw, true);
  if (!value) {
    return invalid_parameter(
        name, name + " has invalid percent-encoding (a % must be followed by two hex digits)");
  }
  if (!is_valid_utf8(*value)) return invalid_parameter(name, name + " is not valid UTF-8");
  return *value;
}

// The params named `name`, in order.
std::vector<const Param*> named(const Params& params, std::string_view name) {
  std::vector<const Param*> out;
  for (const auto& param : params) {
    if (param.name == name) out.push_back(&param);
  }
  return out;
}

// The one value of a single-valued parameter, nullopt when absent.
Result<std::optional<std::string>> single(const Params& params, const std::string& name) {
  const auto found = named(params, name);
  if (found.empty()) return std::optional<std::string>();
  if (found.size() > 1) return invalid_parameter(name, name + " is given more than once");
  auto value = decode_value(name, found.front()->raw);
  if (!value.ok()) return value.error();
  return std::optional<std::string>(std::move(value).value());
}

// Every value of a list parameter: comma-separated, and repeatable; empty
// items dropped.
Result<std::vector<std::string>> list(const Params& params, const std::string& name,
                                      const ParamLimits& limits) {
  std::vector<std::string> out;
  for (const Param* param : named(params, name)) {
    std::string_view rest = param->raw;
    while (true) {
      const std::size_t comma = rest.find(',');
      auto item = decode_value(name, rest.substr(0, comma));
      if (!item.ok()) return item.error();
      if (item.value().size() > limits.max_value_bytes) {
        return invalid_parameter(name, name + " values are at most " +
                                           std::to_string(limits.max_value_bytes) + " bytes long");
      }
      if (!item.value().empty()) out.push_back(std::move(item).value());
      if (comma == std::string_view::npos) break;
      rest.remove_prefix(comma + 1);
    }
  }
  if (out.size() > limits.max_values) {
    return invalid_parameter(
        name, name + " takes at most " + std::to_string(limits.max_values) + " values");
  }
  return out;
}

// A whole number written with digits only, nullopt otherwise or when it
// has more than nine digits.
std::optional<std::size_t> whole_number(std::string_view text) {
  if (text.empty() || text.size() > 9) return std::nullopt;
  std::size_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// Reads a whole number in [min, max] into `out` when the parameter is there.
std::optional<ApiError> read_number(const Params& params, const std::string& name, std::size_t min,
                                    std::size_t max, const std::string& unit, std::size_t& out) {
  const auto value = single(params, name);
  if (!value.ok()) return value.error();
  if (!value.value()) return std::nullopt;
  const auto number = whole_number(*value.value());
  if (!number || *number < min || *number > max) {
    return invalid_parameter(name, name + " must be a whole number" + unit + " from " +
                                       std::to_string(min) + " to " + std::to_string(max));
  }
  out = *number;
  return std::nullopt;
}

// A strict YYYY-MM-DD date.
std::optional<Date> strict_date(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  return parse_date(text);
}

std::optional<ApiError> read_date(const Params& params, const std::string& name,
                                  std::optional<Date>& out) {
  const auto value = single(params, name);
  if (!value.ok()) return value.error();
  if (!value.value() || value.value()->empty()) return std::nullopt;
  out = strict_date(*value.value());
  if (!out) {
    return invalid_parameter(
        name, name + " must be a date written YYYY-MM-DD, from 1900-01-01 to 2100-12-31");
  }
  return std::nullopt;
}

// Tabs and line breaks as spaces; nullopt when other control characters remain.
std::optional<std::string> without_control_characters(std::string text) {
  for (char& c : text) {
    if (c == '\t' || c == '\n' || c == '\r') c = ' ';
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7F) return std::nullopt;
  }
  return text;
}

std::optional<ApiError> read_query(const Params& params, const ParamLimits& limits,
                                   std::string& out) {
  const auto value = single(params, "q");
  if (!value.ok()) return value.error();
  if (!value.value()) return std::nullopt;
  const std::string& q = *value.value();
  if (q.size() > limits.max_query_bytes) {
    return invalid_parameter("q", "q is " + std::to_string(q.size()) + " bytes long; at most " +
                                      std::to_string(limits.max_query_bytes) +
                                      " bytes are allowed");
  }
  auto clean = without_control_characters(q);
  if (!clean) return invalid_parameter("q", "q contains control characters");
  out = std::move(*clean);
  return std::nullopt;
}

std::optional<ApiError> read_languages(const Params& params, const ParamLimits& limits,
                                       std::vector<Language>& out) {
  const auto values = list(params, "lang", limits);
  if (!values.ok()) return values.error();
  for (const auto& value : values.value()) {
    if (value == "both") continue;
    if (value != "sv" && value != "en") {
      return invalid_parameter("lang", "lang must be sv, en or both, not \"" + value + "\"");
    }
    const Language language = value == "sv" ? Language::sv : Language::en;
    if (std::find(out.begin(), out.end(), language) == out.end()) out.push_back(language);
  }
  if (out.size() == 2) out.clear();  // both: no filter
  return std::nullopt;
}

std::optional<ApiError> read_types(const Params& params, const ParamLimits& limits,
                                   std::vector<ArticleType>& out) {
  const auto values = list(params, "type", limits);
  if (!values.ok()) return values.error();
  for (const auto& value : values.value()) {
    const auto type = parse_article_type(value);
    if (!type) {
      return invalid_parameter("type",
                               "type must be news, event, partner or page, not \"" + value + "\"");
    }
    out.push_back(*type);
  }
  return std::nullopt;
}

std::optional<ApiError> read_years(const Params& params, const ParamLimits& limits,
                                   std::vector<int>& out) {
  const auto values = list(params, "year", limits);
  if (!values.ok()) return values.error();
  for (const auto& value : values.value()) {
    const auto year = whole_number(value);
    if (!year || value.size() != 4 || *year < 1900 || *year > 2100) {
      return invalid_parameter("year",
                               "year must be a year from 1900 to 2100, not \"" + value + "\"");
    }
    out.push_back(static_cast<int>(*year));
  }
  return std::nullopt;
}

const std::vector<std::string_view> kFacetNames = {"type", "lang", "year", "tag", "partner"};

std::optional<ApiError> read_facets(const Params& params, const ParamLimits& limits,
                                    std::vector<std::string>& out) {
  if (named(params, "facets").empty()) {
    out.assign(kFacetNames.begin(), kFacetNames.end());
    return std::nullopt;
  }
  const auto values = list(params, "facets", limits);
  if (!values.ok()) return values.error();
  for (const auto& value : values.value()) {
    if (!is_facet(value)) {
      return invalid_parameter(
          "facets", "unknown facet \"" + value + "\" (allowed: " + joined(kFacetNames) + ")");
    }
    if (std::find(out.begin(), out.end(), value) == out.end()) out.push_back(value);
  }
  return std::nullopt;
}

std::optional<ApiError> read_sort(const Params& params, SortOrder& out) {
  const auto value = single(params, "sort");
  if (!value.ok()) return value.error();
  if (!value.value() || value.value()->empty() || *value.value() == "relevance") {
    out = SortOrder::relevance;
  } else if (*value.value() == "date") {
    out = SortOrder::oldest;
  } else if (*value.value() == "-date") {
    out = SortOrder::newest;
  } else {
    return invalid_parameter("sort",
                             "sort must be relevance, date (oldest first) or -date (newest first)");
  }
  return std::nullopt;
}

std::optional<ApiError> read_date_range(const Params& params, SearchRequest& request) {
  if (auto error = read_date(params, "from", request.from)) return error;
  if (auto error = read_date(params, "to", request.to)) return error;
  if (request.from && request.to && request.from->sortable() > request.to->sortable()) {
    return invalid_parameter(
        "from", "from (" + request.from->iso() + ") is after to (" + request.to->iso() + ")");
  }
  return std::nullopt;
}

std::optional<ApiError> read_names(const Params& params, const std::string& name,
                                   const ParamLimits& limits, std::vector<std::string>& out) {
  auto values = list(params, name, limits);
  if (!values.ok()) return values.error();
  out = std::move(values).value();
  return std::nullopt;
}

const std::vector<std::string_view> kSearchParams = {
    "q",  "lang", "type", "tag",  "partner", "year",   "from",
    "to", "sort", "page", "size", "snippet", "facets",
};

}  // namespace

Result<SearchRequest> parse_search_params(const RawParams& raw, const ParamLimits& limits) {
  const auto decoded = decode_names(raw, kSearchParams);
  if (!decoded.ok()) return decoded.error();
  const Params& params = decoded.value();
  SearchRequest r;
  const std::vector<std::function<std::optional<ApiError>()>> steps = {
      [&] { return read_query(params, limits, r.query); },
      [&] { return read_languages(params, limits, r.languages); },
      [&] { return read_types(params, limits, r.types); },
      [&] { return read_names(params, "tag", limits, r.tags); },
      [&] { return read_names(params, "partner", limits, r.partners); },
      [&] { return read_years(params, limits, r.years); },
      [&] { return read_date_range(params, r); },
      [&] { return read_sort(params, r.sort); },
      [&] { return read_number(params, "page", 1, kMaxPage, "", r.page); },
      [&] { return read_number(params, "size", 1, kMaxPageSize, "", r.size); },
      [&] {
        return read_number(params, "snippet", kMinSnippetBytes, kMaxSnippetBytes, " of bytes",
                           r.snippet_bytes);
      },
      [&] { return read_facets(params, limits, r.facets); },
  };
  for (const auto& step : steps) {
    if (auto error = step()) return *error;
  }
  return r;
}

Result<SuggestRequest> parse_suggest_params(const RawParams& raw, const ParamLimits& limits) {
  const auto decoded = decode_names(raw, {"q", "lang", "size"});
  if (!decoded.ok()) return decoded.error();
  const Params& params = decoded.value();
  SuggestRequest r;
  if (named(params, "q").empty()) return invalid_parameter("q", "q is required");
  if (auto error = read_query(params, limits, r.typed)) return *error;
  std::vector<Language> languages;
  if (auto error = read_languages(params, limits, languages)) return *error;
  if (languages.size() == 1) r.language = languages.front();
  if (auto error = read_number(params, "size", 1, kMaxSuggestions, "", r.size)) return *error;
  return r;
}

std::optional<ApiError> refuse_params(const RawParams& raw) {
  const auto decoded = decode_names(raw, {});
  if (!decoded.ok()) {
    ApiError error = decoded.error();
    if (error.code == "unknown_parameter")
      error.message = "unknown parameter \"" + error.parameter + "\" (this route takes none)";
    return error;
  }
  return std::nullopt;
}

Result<std::string> decode_path_segment(const std::string& raw, const std::string& what) {
  const auto value = percent_decode(raw, false);
  if (!value) return invalid_parameter(what, what + " has invalid percent-encoding");
  if (!is_valid_utf8(*value)) return invalid_parameter(what, what + " is not valid UTF-8");
  return *value;
}

std::string_view sort_parameter(SortOrder sort) {
  switch (sort) {
    case SortOrder::newest:
      return "-date";
    case SortOrder::oldest:
      return "date";
    case SortOrder::relevance:
      break;
  }
  return "relevance";
}

}  // namespace sok::searchd
