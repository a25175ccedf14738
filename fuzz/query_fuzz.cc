// The query language: parse_query_syntax, then a whole Searcher::search (and
// suggest) over the corpus index built once at start. The first byte chooses
// the language filter, the order, the page and highlights; the rest is what
// the visitor typed.
//
// Invariants: at most kMaxClauses clauses, each with a known field or none;
// no exception from a valid request; a page never holds more hits than
// asked, nor more than the total; the highlighted title and snippet are
// escaped text whose only markup is <mark>; and for a UTF-8 query
// everything shown is UTF-8 (JSON output refuses anything else).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_support.h"
#include "sok/index/query_syntax.h"
#include "sok/index/searcher.h"

namespace {

using sok::fuzz::check;

// Longer queries than searchd takes (ParamLimits::max_query_bytes) are left out.
constexpr std::size_t kMaxQueryBytes = 4096;

sok::Searcher& searcher() {
  static sok::Searcher instance(sok::fuzz::corpus_index());
  return instance;
}

sok::SearchRequest request_of(std::uint8_t choice, std::string_view query) {
  sok::SearchRequest request;
  request.query = std::string(query);
  if (choice & 1) request.languages = {choice & 2 ? sok::Language::en : sok::Language::sv};
  request.sort = choice & 4 ? sok::SortOrder::newest : sok::SortOrder::relevance;
  request.page = choice & 8 ? 2 : 1;
  request.size = choice & 16 ? 3 : 10;
  request.highlights = !(choice & 32);
  request.facets = {"type", "lang", "year", "tag", "partner"};
  return request;
}

// `html` without its <mark> and </mark> tags has no markup left.
void check_marked_text(std::string html, std::string_view what) {
  for (const std::string_view tag : {"<mark>", "</mark>"}) {
    for (std::size_t at = html.find(tag); at != std::string::npos; at = html.find(tag, at)) {
      html.erase(at, tag.size());
    }
  }
  check(html.find('<') == std::string::npos && html.find('>') == std::string::npos, what, html);
}

void check_parsed(const sok::ParsedQuery& parsed) {
  check(parsed.clauses.size() <= sok::kMaxClauses, "more clauses than kMaxClauses");
  for (const auto& clause : parsed.clauses) {
    check(clause.field.empty() || sok::is_query_field(clause.field), "an unknown field kept",
          clause.field);
  }
}

void check_utf8_response(const sok::SearchResponse& response) {
  using sok::fuzz::valid_utf8;
  check(valid_utf8(response.understood), "understood not UTF-8", response.understood);
  check(valid_utf8(response.suggestion), "suggestion not UTF-8", response.suggestion);
  for (const auto& note : response.notes) check(valid_utf8(note), "a note not UTF-8", note);
  for (const auto& hit : response.hits) {
    check(valid_utf8(hit.title_html), "title_html not UTF-8", hit.title_html);
    check(valid_utf8(hit.snippet_html), "snippet_html not UTF-8", hit.snippet_html);
  }
}

void check_response(const sok::SearchRequest& request, const sok::SearchResponse& response) {
  check(response.hits.size() <= request.size, "more hits than the page size");
  if (response.total_exact && !response.hits.empty()) {
    check((request.page - 1) * request.size + response.hits.size() <= response.total,
          "hits beyond the total",
          "page " + std::to_string(request.page) + " of " + std::to_string(request.size) + ": " +
              std::to_string(response.hits.size()) + " hits, total " +
              std::to_string(response.total) + (response.relaxed ? ", relaxed" : "") +
              (response.corrected ? ", corrected to " + response.suggestion : "") +
              ", understood " + response.understood);
  }
  for (const auto& hit : response.hits) {
    check_marked_text(hit.title_html, "markup in title_html");
    check_marked_text(hit.snippet_html, "markup in snippet_html");
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  searcher();  // builds the index before the first input
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0 || size > kMaxQueryBytes) return 0;
  const std::string_view query = sok::fuzz::text_of(data + 1, size - 1);
  check_parsed(sok::parse_query_syntax(query));
  const sok::SearchRequest request = request_of(data[0], query);
  const sok::SearchResponse response = searcher().search(request);
  check_response(request, response);
  const auto suggestions = searcher().suggest(
      query, request.languages.empty() ? sok::Language::unknown : request.languages.front());
  if (!sok::fuzz::valid_utf8(query)) return 0;
  check_utf8_response(response);
  for (const auto& s : suggestions) check(sok::fuzz::valid_utf8(s.text), "a suggestion not UTF-8");
  return 0;
}
