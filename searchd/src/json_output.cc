#include "sok/searchd/json_output.h"

#include <ctime>

#include "sok/index/snippet.h"

namespace sok::searchd {
namespace {

using json = Json;

json text_or_null(const std::string& text) {
  return text.empty() ? json(nullptr) : json(text);
}

json facets_json(const SearchResponse& response) {
  json out = json::object();
  for (const auto& [facet, counts] : response.facets) {
    json values = json::array();
    for (const auto& count : counts)
      values.push_back({{"value", count.value}, {"count", count.count}});
    out[facet] = std::move(values);
  }
  return out;
}

std::string_view kind_name(Suggestion::Kind kind) {
  switch (kind) {
    case Suggestion::Kind::partner:
      return "partner";
    case Suggestion::Kind::tag:
      return "tag";
    case Suggestion::Kind::word:
      break;
  }
  return "word";
}

json escaped(const std::vector<std::string>& texts) {
  json out = json::array();
  for (const auto& text : texts) out.push_back(escape_html(text));
  return out;
}

}  // namespace

// Text from editors goes out as HTML, escaped (with the query's words in
// <mark> where highlighted): safe wherever a developer puts it on a page.
json hit_json(const Hit& hit, bool with_highlights) {
  json out = {
      {"id", hit.id},
      {"url", hit.url},
      {"title", with_highlights ? hit.title_html : escape_html(hit.title)},
      {"type", hit.type},
      {"lang", hit.language},
      {"date", text_or_null(hit.published)},
      {"tags", escaped(hit.tags)},
      {"partners", escaped(hit.partners)},
      {"summary", escape_html(hit.summary)},
  };
  if (with_highlights) {
    out["snippet"] = hit.snippet_html;
    out["score"] = hit.score;
  }
  return out;
}

json search_json(const SearchRequest& request, const SearchResponse& response, double took_ms) {
  json hits = json::array();
  for (const auto& hit : response.hits) hits.push_back(hit_json(hit, true));
  return {
      {"query", request.query},
      {"understood", response.understood},
      {"query_language", std::string(language_code(response.query_language))},
      {"notes", response.notes},
      {"total", response.total},
      {"total_exact", response.total_exact},
      {"page", request.page},
      {"size", request.size},
      {"sort", std::string(sort_parameter(request.sort))},
      {"relaxed", response.relaxed},
      {"suggestion", text_or_null(response.suggestion)},
      {"corrected", response.corrected},
      {"hits", std::move(hits)},
      {"facets", facets_json(response)},
      {"took_ms", took_ms},
      {"partial", response.shards_failed > 0},
      {"shards", {{"total", response.shards}, {"failed", response.shards_failed}}},
  };
}

json suggestions_json(const SuggestRequest& request, const std::vector<Suggestion>& suggestions) {
  json items = json::array();
  for (const auto& s : suggestions) {
    items.push_back({{"text", s.text},
                     {"kind", std::string(kind_name(s.kind))},
                     {"lang", text_or_null(std::string(language_code(s.language)))}});
  }
  return {{"query", request.typed}, {"suggestions", std::move(items)}};
}

json ready_json(const IndexInfo& info, std::optional<double> age_seconds) {
  return {
      {"status", "ready"},
      {"documents", info.documents},
      {"revision", info.revision},
      {"built_at", text_or_null(info.built_at)},
      {"updated_at", text_or_null(info.updated_at)},
      {"age_seconds", age_seconds ? json(*age_seconds) : json(nullptr)},
  };
}

json error_json(const ApiError& error) {
  return {{"error",
           {{"code", error.code},
            {"message", error.message},
            {"parameter", text_or_null(error.parameter)}}}};
}

std::string dump(const json& value) {
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::optional<double> seconds_since(std::string_view iso, double now_seconds) {
  std::tm time{};
  const std::string text(iso);
  const char* end = strptime(text.c_str(), "%Y-%m-%dT%H:%M:%SZ", &time);
  if (!end || *end != '\0') return std::nullopt;
  return now_seconds - static_cast<double>(timegm(&time));
}

}  // namespace sok::searchd
