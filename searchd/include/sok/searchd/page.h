#pragma once

#include <initializer_list>
#include <map>
#include <string>
#include <string_view>
#include <utility>

#include "sok/index/searcher.h"
#include "sok/searchd/api_error.h"
#include "sok/searchd/search_params.h"

namespace sok::searchd {

// The interface texts of one language, as searchd/web/i18n/<lang>.json
// holds them: every text of the page in one place per language.
class Texts {
 public:
  // Reads `file`; throws std::runtime_error naming the file and what is
  // wrong (not JSON, a value that is not a string).
  static Texts load(const std::string& file);

  // The text for `key`; the key itself when the file lacks it.
  std::string get(std::string_view key) const;
  // The text for `key` with "{name}" replaced by each value.
  std::string format(std::string_view key,
                     std::initializer_list<std::pair<std::string_view, std::string>> values) const;
  // Keys of `other` that this file lacks.
  std::vector<std::string> missing_from(const Texts& other) const;

 private:
  std::map<std::string, std::string, std::less<>> texts_;
};

// The page's interface language: `ui` when the visitor chose one (sv or en),
// else the first of sv and en in Accept-Language, else Swedish.
Language interface_language(std::string_view ui, std::string_view accept_language);

// What the page shows: the visitor's request and what the search found (or
// why it could not be done).
struct PageState {
  SearchRequest request;
  Language ui = Language::sv;
  bool ui_chosen = false;  // `ui` came in the URL: links keep it
  std::optional<SearchResponse> response;
  std::optional<SearchResponse> newest;  // shown when the query found nothing
  std::optional<ApiError> error;
};

// The page's URL parameters (those of /api/search except size, snippet and
// facets, plus ui) as a SearchRequest for one page of ten hits with every
// facet, or the ApiError of the first bad one. A filter value may also come
// as a checkbox of the form, "type:news=1": a form cannot send a list in
// one parameter, and a parameter given twice reaches searchd once. Other
// parameters (utm_source, …) are ignored.
Result<SearchRequest> parse_page_params(const RawParams& params, const ParamLimits& limits,
                                        std::string& ui);

// The link to the page showing `request` ("/?q=cellterapi&type=news&page=2").
std::string page_url(const SearchRequest& request, Language ui, bool ui_chosen);

// The whole page: the search form, the facets and the results. Everything
// from the index is escaped; only the highlighter's <mark> is markup.
std::string render_page(const PageState& state, const Texts& texts);

// The page's title: the query, then the site ("cellterapi – Sök – …").
std::string page_title(const PageState& state, const Texts& texts);

// The part of the page a search changes (facets and results), which the
// page's script fetches and swaps in.
std::string render_results(const PageState& state, const Texts& texts);

}  // namespace sok::searchd
