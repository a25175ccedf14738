// What searchd makes of a query string before any search: percent_decode,
// percent_encode and is_valid_utf8 on the raw bytes, and the input read as
// a query string by parse_search_params, parse_suggest_params and
// parse_page_params.
//
// Invariants: is_valid_utf8 agrees with an independent check; encoding then
// decoding gives the bytes back; what the parsers accept keeps their limits
// (UTF-8 query within max_query_bytes, page, size and snippet in range,
// from not after to, known facets); what they refuse is a 400; a page's own
// link (page_url) reads back as the same search.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_support.h"
#include "sok/searchd/page.h"
#include "sok/searchd/percent_encoding.h"
#include "sok/searchd/search_params.h"

namespace {

using sok::fuzz::check;
namespace sd = sok::searchd;

void check_encoding(std::string_view bytes) {
  check(sd::is_valid_utf8(bytes) == sok::fuzz::valid_utf8(bytes), "is_valid_utf8 disagrees");
  const std::string encoded = sd::percent_encode(bytes);
  check(sd::percent_decode(encoded, false) == std::string(bytes), "encode, decode: not the same");
  check(sd::percent_decode(encoded, true) == std::string(bytes), "encode, decode +: not the same");
  const auto decoded = sd::percent_decode(bytes, true);
  check(!decoded || decoded->size() <= bytes.size(), "decoding made it longer");
}

void check_request(const sok::SearchRequest& r, const sd::ParamLimits& limits) {
  check(sok::fuzz::valid_utf8(r.query), "a query that is not UTF-8", r.query);
  check(r.query.size() <= limits.max_query_bytes, "a query over max_query_bytes");
  check(r.page >= 1 && r.page <= sd::kMaxPage, "page out of range");
  check(r.size >= 1 && r.size <= sok::kMaxPageSize, "size out of range");
  check(r.snippet_bytes >= sok::kMinSnippetBytes && r.snippet_bytes <= sok::kMaxSnippetBytes,
        "snippet out of range");
  check(!r.from || !r.to || r.from->sortable() <= r.to->sortable(), "from after to");
  for (const auto& facet : r.facets) check(sok::is_facet(facet), "an unknown facet", facet);
  for (const auto* names : {&r.tags, &r.partners}) {
    check(names->size() <= limits.max_values, "more values than max_values");
    for (const auto& name : *names) {
      check(name.size() <= limits.max_value_bytes, "a value over max_value_bytes", name);
      check(sok::fuzz::valid_utf8(name), "a value that is not UTF-8", name);
    }
  }
}

// The page's link to `request` gives `request` back.
void check_page_link(const sok::SearchRequest& r, const sd::ParamLimits& limits) {
  const std::string url = sd::page_url(r, sok::Language::sv, false);
  const std::size_t question = url.find('?');
  std::string ui;
  const auto again = sd::parse_page_params(
      sok::fuzz::split_query(question == std::string::npos ? "" : url.substr(question + 1)), limits,
      ui);
  check(again.ok(), "the page's own link is refused", url);
  const sok::SearchRequest& s = again.value();
  check(s.query == r.query && s.types == r.types && s.languages == r.languages &&
            s.tags == r.tags && s.partners == r.partners && s.years == r.years &&
            s.from == r.from && s.to == r.to && s.sort == r.sort && s.page == r.page,
        "the page's own link reads as another search", url);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = sok::fuzz::text_of(data, size);
  check_encoding(text);
  const sd::ParamLimits limits;
  const auto params = sok::fuzz::split_query(text);
  const auto search = sd::parse_search_params(params, limits);
  if (search.ok()) {
    check_request(search.value(), limits);
  } else {
    check(search.error().status == 400, "a refusal that is not 400");
  }
  const auto suggest = sd::parse_suggest_params(params, limits);
  if (suggest.ok()) {
    check(sok::fuzz::valid_utf8(suggest.value().typed), "typed text that is not UTF-8");
    check(suggest.value().size >= 1 && suggest.value().size <= sd::kMaxSuggestions,
          "suggest size out of range");
  }
  std::string ui;
  const auto page = sd::parse_page_params(params, limits, ui);
  if (page.ok()) {
    check_request(page.value(), limits);
    check_page_link(page.value(), limits);
  }
  return 0;
}
