#include "sok/searchd/page.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "sok/index/snippet.h"
#include "sok/searchd/percent_encoding.h"

namespace sok::searchd {
namespace {

constexpr std::size_t kHitsPerPage = 10;
constexpr std::size_t kFacetValuesShown = 12;
constexpr const char* kAllFacets = "type,lang,year,tag,partner";

// The parameters the page reads; others (utm_source, fbclid, …) are links'
// baggage and are ignored.
constexpr std::string_view kPageParams[] = {"q",    "lang", "type", "tag",  "partner",
                                            "year", "from", "to",   "sort", "page"};

std::string attr(std::string_view text) {
  return escape_html(text);
}

// `text` in lower case, ASCII only (language tags and parameter values).
std::string ascii_lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string language_code_of(Language language) {
  return std::string(language_code(language));
}

// A link target that cannot run script: http(s) or a path on the same site.
std::string safe_href(const std::string& url) {
  const std::string lower = ascii_lower(url.substr(0, 8));
  if (lower.rfind("https://", 0) == 0 || lower.rfind("http://", 0) == 0) return url;
  if (url.size() > 1 && url[0] == '/' && url[1] != '/' && url[1] != '\\') return url;
  return "";
}

// The values of a facet the request filters on, as the facet names them.
std::vector<std::string> chosen_values(const SearchRequest& request, std::string_view facet) {
  std::vector<std::string> out;
  if (facet == "type") {
    for (const auto type : request.types) out.emplace_back(article_type_name(type));
  } else if (facet == "lang") {
    for (const auto language : request.languages) out.push_back(language_code_of(language));
  } else if (facet == "year") {
    for (const int year : request.years) out.push_back(std::to_string(year));
  } else if (facet == "tag") {
    out = request.tags;
  } else if (facet == "partner") {
    out = request.partners;
  }
  return out;
}

// `request` without the filter value `value` of `facet`.
SearchRequest without_filter(SearchRequest request, std::string_view facet,
                             const std::string& value) {
  auto drop = [&](auto& list, auto name_of) {
    list.erase(std::remove_if(list.begin(), list.end(),
                              [&](const auto& item) { return name_of(item) == value; }),
               list.end());
  };
  if (facet == "type") drop(request.types, [](ArticleType t) { return article_type_name(t); });
  if (facet == "lang") drop(request.languages, language_code_of);
  if (facet == "year") drop(request.years, [](int y) { return std::to_string(y); });
  if (facet == "tag") drop(request.tags, [](const std::string& s) { return s; });
  if (facet == "partner") drop(request.partners, [](const std::string& s) { return s; });
  request.page = 1;
  return request;
}

// How a facet value reads on the page: types and languages by name.
std::string value_label(std::string_view facet, const std::string& value, const Texts& texts) {
  if (facet == "type") return texts.get("type_" + value);
  if (facet == "lang") return texts.get("lang_" + value);
  return value;
}

std::string readable_date(const std::string& iso, const Texts& texts) {
  const auto date = parse_date(iso);
  if (!date) return iso;
  return std::to_string(date->day) + " " + texts.get("month_" + std::to_string(date->month)) + " " +
         std::to_string(date->year);
}

std::string link(const std::string& href, const std::string& html, std::string_view extra = "") {
  return "<a href=\"" + attr(href) + "\"" + std::string(extra) + ">" + html + "</a>";
}

void add_param(std::string& url, std::string_view name, std::string_view value) {
  url += (url.size() > 2 ? "&" : "") + std::string(name) + "=" + percent_encode(value);
}

std::string render_hit(const Hit& hit, const Texts& texts) {
  std::string out = "<li class=\"hit\"><h3>";
  const std::string href = safe_href(hit.url);
  out += href.empty() ? hit.title_html : link(href, hit.title_html);
  out += "</h3><p class=\"meta\">";
  if (!hit.type.empty()) {
    out += "<span class=\"badge type-" + attr(hit.type) + "\">" +
           attr(texts.get("type_" + hit.type)) + "</span> ";
  }
  if (!hit.language.empty()) {
    out += "<span class=\"badge lang\" title=\"" + attr(texts.get("lang_" + hit.language)) + "\">" +
           attr(ascii_lower(hit.language)) + "</span> ";
  }
  if (!hit.published.empty()) {
    out += "<time datetime=\"" + attr(hit.published) + "\">" +
           attr(readable_date(hit.published, texts)) + "</time>";
  }
  out += "</p>";
  if (!hit.snippet_html.empty()) out += "<p class=\"snippet\">" + hit.snippet_html + "</p>";
  return out + "</li>\n";
}

std::string render_hits(const std::vector<Hit>& hits, std::size_t first, const Texts& texts) {
  std::string out = "<ol class=\"hits\" start=\"" + std::to_string(first) + "\">\n";
  for (const Hit& hit : hits) out += render_hit(hit, texts);
  return out + "</ol>\n";
}

std::string render_facet(const PageState& state, std::string_view facet,
                         const std::vector<FacetCount>& counts, const Texts& texts) {
  const auto chosen = chosen_values(state.request, facet);
  std::vector<FacetCount> shown;
  for (const auto& count : counts) {
    const bool is_chosen = std::find(chosen.begin(), chosen.end(), count.value) != chosen.end();
    if (shown.size() < kFacetValuesShown || is_chosen) shown.push_back(count);
  }
  for (const auto& value : chosen) {
    const bool listed = std::any_of(shown.begin(), shown.end(),
                                    [&](const FacetCount& c) { return c.value == value; });
    if (!listed) shown.push_back({value, 0});
  }
  if (shown.empty()) return "";
  if (facet == "year") {  // years read best in order, newest first
    std::sort(shown.begin(), shown.end(),
              [](const FacetCount& a, const FacetCount& b) { return a.value > b.value; });
  }
  const std::string name = std::string(facet);
  std::string out =
      "<fieldset class=\"facet\"><legend>" + attr(texts.get("facet_" + name)) + "</legend><ul>\n";
  for (const auto& count : shown) {
    const bool checked = std::find(chosen.begin(), chosen.end(), count.value) != chosen.end();
    out += "<li><label><input type=\"checkbox\" name=\"" + attr(name + ":" + count.value) +
           "\" value=\"1\"" + (checked ? " checked" : "") + "> " +
           attr(value_label(facet, count.value, texts)) + " <span class=\"count\">" +
           std::to_string(count.count) + "</span></label></li>\n";
  }
  return out + "</ul></fieldset>\n";
}

std::string render_facets(const PageState& state, const Texts& texts) {
  std::string out =
      "<aside class=\"facets\" aria-labelledby=\"filters-heading\">"
      "<h2 id=\"filters-heading\">" +
      attr(texts.get("filters_heading")) + "</h2>\n";
  if (state.response) {
    for (const auto& [facet, counts] : state.response->facets) {
      out += render_facet(state, facet, counts, texts);
    }
  }
  return out + "<button type=\"submit\" class=\"apply\">" + attr(texts.get("apply_filters")) +
         "</button></aside>\n";
}

std::string render_chips(const PageState& state, const Texts& texts) {
  std::string items;
  for (const std::string_view facet : {"type", "lang", "year", "tag", "partner"}) {
    for (const auto& value : chosen_values(state.request, facet)) {
      const std::string label = value_label(facet, value, texts);
      items +=
          "<li>" +
          link(page_url(without_filter(state.request, facet, value), state.ui, state.ui_chosen),
               attr(label) + " <span aria-hidden=\"true\">×</span>",
               " aria-label=\"" + attr(texts.format("remove_filter", {{"f", label}})) + "\"") +
          "</li>";
    }
  }
  if (items.empty()) return "";
  return "<ul class=\"chips\" aria-label=\"" + attr(texts.get("chosen_filters")) + "\">" + items +
         "</ul>\n";
}

std::string render_sort(const PageState& state, const Texts& texts) {
  std::string out =
      "<label class=\"sort\">" + attr(texts.get("sort_label")) + " <select name=\"sort\">";
  const std::pair<SortOrder, const char*> orders[] = {{SortOrder::relevance, "sort_relevance"},
                                                      {SortOrder::newest, "sort_newest"},
                                                      {SortOrder::oldest, "sort_oldest"}};
  for (const auto& [order, key] : orders) {
    out += "<option value=\"" + std::string(sort_parameter(order)) + "\"" +
           (state.request.sort == order ? " selected" : "") + ">" + attr(texts.get(key)) +
           "</option>";
  }
  return out + "</select></label>\n";
}

std::string render_status(const PageState& state, const Texts& texts) {
  const SearchResponse& response = *state.response;
  const std::string& q = state.request.query;
  if (q.empty()) return "<h2 id=\"status\">" + attr(texts.get("newest_heading")) + "</h2>\n";
  std::string key = response.total == 1 ? "results_count_one" : "results_count";
  if (!response.total_exact) key = "results_count_about";
  if (response.total == 0) key = "no_results";
  if (response.corrected) key = "showing_corrected";
  std::string out = "<h2 id=\"status\">" +
                    attr(texts.format(key, {{"n", std::to_string(response.total)}, {"q", q}}));
  if (response.corrected) {
    SearchRequest corrected = state.request;
    corrected.query = response.suggestion;
    out += " " + link(page_url(corrected, state.ui, state.ui_chosen), attr(response.suggestion));
  }
  out += "</h2>\n";
  if (!response.suggestion.empty() && !response.corrected) {
    SearchRequest suggested = state.request;
    suggested.query = response.suggestion;
    suggested.page = 1;
    out += "<p class=\"notice\">" + attr(texts.get("did_you_mean")) + " " +
           link(page_url(suggested, state.ui, state.ui_chosen),
                "<strong>" + attr(response.suggestion) + "</strong>") +
           "?</p>\n";
  }
  if (response.relaxed) out += "<p class=\"notice\">" + attr(texts.get("relaxed")) + "</p>\n";
  if (response.total == 0)
    out += "<p class=\"tips\">" + attr(texts.get("no_results_tips")) + "</p>\n";
  return out;
}

std::string render_pages(const PageState& state, const Texts& texts) {
  const std::size_t total = state.response->total;
  const std::size_t pages = std::min(
      kMaxPage, (total + state.request.size - 1) / std::max<std::size_t>(1, state.request.size));
  if (pages <= 1) return "";
  const std::size_t page = state.request.page;
  std::string out =
      "<nav class=\"pages\" aria-label=\"" + attr(texts.get("pagination_label")) + "\">";
  SearchRequest other = state.request;
  if (page > 1) {
    other.page = page - 1;
    out += link(page_url(other, state.ui, state.ui_chosen), attr(texts.get("previous_page")),
                " rel=\"prev\"");
  }
  out +=
      " <span>" +
      attr(texts.format("page_of", {{"p", std::to_string(page)}, {"n", std::to_string(pages)}})) +
      "</span> ";
  if (page < pages) {
    other.page = page + 1;
    out += link(page_url(other, state.ui, state.ui_chosen), attr(texts.get("next_page")),
                " rel=\"next\"");
  }
  return out + "</nav>\n";
}

std::string render_error(const ApiError& error, const Texts& texts) {
  return "<h2 id=\"status\">" + attr(texts.get("error_heading")) + "</h2>\n<p class=\"notice\">" +
         attr(error.message) + "</p>\n";
}

std::string render_result_list(const PageState& state, const Texts& texts) {
  if (state.error) return render_error(*state.error, texts);
  if (!state.response) return "";
  std::string out = "<div class=\"results-head\">" + render_status(state, texts) +
                    render_sort(state, texts) + "</div>\n" + render_chips(state, texts);
  const std::size_t first = (state.request.page - 1) * state.request.size + 1;
  out += render_hits(state.response->hits, first, texts);
  if (state.newest && !state.newest->hits.empty()) {
    out += "<h2>" + attr(texts.get("newest_heading")) + "</h2>\n" +
           render_hits(state.newest->hits, 1, texts);
  }
  return out + render_pages(state, texts);
}

std::string render_form_head(const PageState& state, const Texts& texts) {
  std::string out =
      "<form id=\"search\" action=\"/\" method=\"get\" role=\"search\" data-ui=\"" +
      language_code_of(state.ui) + "\" data-suggestions-label=\"" +
      attr(texts.get("suggestions_count")) + "\" data-loading=\"" + attr(texts.get("loading")) +
      "\">\n<div class=\"box\"><label for=\"q\">" + attr(texts.get("query_label")) +
      "</label>\n<div class=\"field\"><input id=\"q\" name=\"q\" type=\"search\" value=\"" +
      attr(state.request.query) + "\" placeholder=\"" + attr(texts.get("placeholder")) +
      "\" autocomplete=\"off\" spellcheck=\"false\" role=\"combobox\" aria-autocomplete=\"list\" "
      "aria-expanded=\"false\" aria-controls=\"suggestions\">\n<ul id=\"suggestions\" "
      "role=\"listbox\" aria-label=\"" +
      attr(texts.get("suggestions_label")) + "\" hidden></ul></div>\n<button type=\"submit\">" +
      attr(texts.get("search_button")) + "</button></div>\n";
  if (state.ui_chosen) {
    out += "<input type=\"hidden\" name=\"ui\" value=\"" + language_code_of(state.ui) + "\">\n";
  }
  return out;
}

}  // namespace

Texts Texts::load(const std::string& file) {
  std::ifstream in(file);
  if (!in) throw std::runtime_error(file + ": cannot be read");
  nlohmann::json json;
  try {
    json = nlohmann::json::parse(in);
  } catch (const nlohmann::json::parse_error& e) {
    throw std::runtime_error(file + ": not JSON: " + e.what());
  }
  if (!json.is_object()) throw std::runtime_error(file + ": must be a JSON object of texts");
  Texts texts;
  for (const auto& [key, value] : json.items()) {
    if (!value.is_string()) throw std::runtime_error(file + ": \"" + key + "\" must be a string");
    texts.texts_.emplace(key, value.get<std::string>());
  }
  return texts;
}

std::string Texts::get(std::string_view key) const {
  const auto found = texts_.find(key);
  return found == texts_.end() ? std::string(key) : found->second;
}

std::string Texts::format(
    std::string_view key,
    std::initializer_list<std::pair<std::string_view, std::string>> values) const {
  std::string out = get(key);
  for (const auto& [name, value] : values) {
    const std::string hole = "{" + std::string(name) + "}";
    for (auto at = out.find(hole); at != std::string::npos;
         at = out.find(hole, at + value.size())) {
      out.replace(at, hole.size(), value);
    }
  }
  return out;
}

std::vector<std::string> Texts::missing_from(const Texts& other) const {
  std::vector<std::string> missing;
  for (const auto& [key, value] : other.texts_) {
    if (!texts_.count(key)) missing.push_back(key);
  }
  return missing;
}

Language interface_language(std::string_view ui, std::string_view accept_language) {
  if (ui == "sv") return Language::sv;
  if (ui == "en") return Language::en;
  Language best = Language::sv;
  double best_weight = 0;
  std::istringstream items{std::string(accept_language)};
  for (std::string item; std::getline(items, item, ',');) {
    const std::size_t semicolon = item.find(';');
    std::string tag = ascii_lower(item.substr(0, semicolon));
    tag.erase(std::remove(tag.begin(), tag.end(), ' '), tag.end());
    double weight = 1;
    if (semicolon != std::string::npos) {
      const std::size_t q = item.find("q=", semicolon);
      if (q != std::string::npos) weight = std::strtod(item.c_str() + q + 2, nullptr);
    }
    const std::string primary = tag.substr(0, tag.find('-'));
    const bool known = primary == "sv" || primary == "en";
    if (known && weight > best_weight) {
      best = primary == "sv" ? Language::sv : Language::en;
      best_weight = weight;
    }
  }
  return best;
}

Result<SearchRequest> parse_page_params(const RawParams& params, const ParamLimits& limits,
                                        std::string& ui) {
  RawParams kept;
  std::map<std::string, std::string> checked;  // facet → its checkboxes' values, a raw list
  for (const auto& [name, value] : params) {
    const auto decoded_name = percent_decode(name, true);
    if (!decoded_name) continue;
    const std::size_t colon = decoded_name->find(':');
    const std::string list_name = decoded_name->substr(0, colon);
    if (colon != std::string::npos && is_facet(list_name)) {
      std::string& list = checked[list_name];
      list += (list.empty() ? "" : ",") + percent_encode(decoded_name->substr(colon + 1));
    } else if (*decoded_name == "ui") {
      const auto decoded = percent_decode(value, true);
      if (!decoded || (*decoded != "sv" && *decoded != "en" && !decoded->empty())) {
        return invalid_parameter("ui", "ui must be sv or en");
      }
      ui = *decoded;
    } else if (std::find(std::begin(kPageParams), std::end(kPageParams), *decoded_name) !=
               std::end(kPageParams)) {
      kept.emplace_back(*decoded_name, value);
    }
  }
  for (auto& [facet, list] : checked) kept.emplace_back(facet, std::move(list));
  kept.emplace_back("facets", kAllFacets);
  auto request = parse_search_params(kept, limits);
  if (!request.ok()) return request;
  SearchRequest out = std::move(request).value();
  out.size = kHitsPerPage;
  return out;
}

std::string page_url(const SearchRequest& request, Language ui, bool ui_chosen) {
  std::string url = "/?";
  if (!request.query.empty()) add_param(url, "q", request.query);
  for (const std::string_view facet : {"type", "lang", "year", "tag", "partner"}) {
    // A list in one parameter, its values encoded so that a comma inside
    // one is %2C: a parameter given twice would reach searchd once.
    std::string list;
    for (const auto& value : chosen_values(request, facet)) {
      list += (list.empty() ? "" : ",") + percent_encode(value);
    }
    if (!list.empty()) url += (url.size() > 2 ? "&" : "") + std::string(facet) + "=" + list;
  }
  if (request.from) add_param(url, "from", request.from->iso());
  if (request.to) add_param(url, "to", request.to->iso());
  if (request.sort != SortOrder::relevance) add_param(url, "sort", sort_parameter(request.sort));
  if (request.page > 1) add_param(url, "page", std::to_string(request.page));
  if (ui_chosen) add_param(url, "ui", language_code_of(ui));
  return url.size() == 2 ? "/" : url;
}

std::string page_title(const PageState& state, const Texts& texts) {
  const std::string title = texts.get("page_title") + " – " + texts.get("site_name");
  return state.request.query.empty() ? title : state.request.query + " – " + title;
}

std::string render_results(const PageState& state, const Texts& texts) {
  return "<div class=\"layout\" id=\"layout\">\n" + render_facets(state, texts) +
         "<section id=\"results\" class=\"results\" aria-labelledby=\"status\">\n" +
         render_result_list(state, texts) + "</section>\n</div>\n";
}

std::string render_page(const PageState& state, const Texts& texts) {
  const std::string lang = language_code_of(state.ui);
  SearchRequest switched = state.request;
  const Language other = state.ui == Language::sv ? Language::en : Language::sv;
  return "<!doctype html>\n<html lang=\"" + lang +
         "\">\n<head>\n<meta charset=\"utf-8\">\n"
         "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>" +
         attr(page_title(state, texts)) +
         "</title>\n<link rel=\"stylesheet\" href=\"/static/style.css\">\n"
         "<script src=\"/widget.js\" defer></script>\n"
         "<script src=\"/static/app.js\" defer></script>\n</head>\n<body>\n"
         "<a class=\"skip\" href=\"#results\">" +
         attr(texts.get("skip_to_results")) +
         "</a>\n<header class=\"site\"><span class=\"site-name\">" + attr(texts.get("site_name")) +
         "</span> " +
         link(page_url(switched, other, true), attr(texts.get("switch_language")),
              " class=\"switch\" hreflang=\"" + language_code_of(other) + "\" lang=\"" +
                  language_code_of(other) + "\"") +
         "</header>\n<main>\n<h1>" + attr(texts.get("heading")) + "</h1>\n" +
         render_form_head(state, texts) + render_results(state, texts) +
         "</form>\n<div id=\"announce\" class=\"visually-hidden\" aria-live=\"polite\"></div>\n"
         "</main>\n</body>\n</html>\n";
}

}  // namespace sok::searchd
