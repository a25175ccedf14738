#include "wordpress.h"

#include <nlohmann/json.hpp>

#include <initializer_list>
#include <string>
#include <utility>

#include "json_errors.h"

namespace sok {
namespace {

using json = nlohmann::json;

std::string rendered(const json& item, const char* field) {
  const auto it = item.find(field);
  if (it == item.end()) return "";
  if (it->is_string()) return it->get<std::string>();
  if (it->is_object() && it->contains("rendered") && (*it)["rendered"].is_string()) {
    return (*it)["rendered"].get<std::string>();
  }
  return "";
}

// Reads each of `fields` (a name and where its text goes) from `item`; an
// absent or null one is left as it is. Returns "" or an error naming the
// first that is not a string.
std::string read_strings(const json& item,
                         std::initializer_list<std::pair<const char*, std::string*>> fields) {
  for (const auto& [name, out] : fields) {
    const auto it = item.find(name);
    if (it == item.end() || it->is_null()) continue;
    if (!it->is_string()) return std::string(name) + " must be a string, not " + it->type_name();
    *out = it->get<std::string>();
  }
  return "";
}

ArticleType type_of(const std::string& wp_type) {
  if (wp_type == "page") return ArticleType::page;
  if (wp_type.find("event") != std::string::npos) return ArticleType::event;
  if (wp_type.find("partner") != std::string::npos) return ArticleType::partner;
  return ArticleType::news;
}

// Term names from an export made with ?_embed: _embedded["wp:term"] is a
// list of lists of {taxonomy, name}.
std::vector<std::string> embedded_terms(const json& item) {
  std::vector<std::string> names;
  const auto embedded = item.find("_embedded");
  if (embedded == item.end() || !embedded->is_object() || !embedded->contains("wp:term"))
    return names;
  for (const auto& group : (*embedded)["wp:term"]) {
    if (!group.is_array()) continue;
    for (const auto& term : group) {
      if (term.is_object() && term.contains("name") && term["name"].is_string()) {
        names.push_back(html_to_text(term["name"].get<std::string>()));
      }
    }
  }
  return names;
}

ParsedArticle article_from_item(const json& item, const std::string& origin) {
  ParsedArticle parsed;
  if (!item.is_object()) {
    parsed.error = "an item must be a JSON object, not " + std::string(item.type_name());
    return parsed;
  }
  if (!item.contains("id") || !(item["id"].is_number_integer() || item["id"].is_string())) {
    parsed.error = "missing id";
    return parsed;
  }
  std::string wp_type = "post", link, date, modified;
  parsed.error = read_strings(
      item, {{"type", &wp_type}, {"link", &link}, {"date", &date}, {"modified", &modified}});
  if (!parsed.error.empty()) return parsed;
  const std::string wp_id =
      item["id"].is_string() ? item["id"].get<std::string>() : item["id"].dump();
  json record = {
      {"id", "wp-" + wp_type + "-" + wp_id},
      {"url", link},
      {"title", html_to_text(rendered(item, "title"))},
      {"summary", html_to_text(rendered(item, "excerpt"))},
      {"body", html_to_text(rendered(item, "content"))},
      {"published", date},
      {"updated", modified},
      {"tags", embedded_terms(item)},
  };
  if (item.contains("lang") && item["lang"].is_string() &&
      !item["lang"].get<std::string>().empty()) {
    record["lang"] = item["lang"];
  }
  parsed = article_from_json(record, origin);
  if (parsed.article) parsed.article->type = type_of(wp_type);
  return parsed;
}

}  // namespace

void read_wordpress_export(std::string_view text, const std::string& file, ArticleSink& sink,
                           const SourceLimits& limits) {
  json items;
  try {
    items = json::parse(text);
  } catch (const json::exception& e) {
    sink.reject({file, "not valid JSON: " + plain_json_message(e)});
    return;
  }
  if (!items.is_array()) {
    sink.reject({file, "a WordPress export must be a JSON array of posts or pages"});
    return;
  }
  for (std::size_t i = 0; i < items.size(); ++i) {
    const json& item = items[i];
    std::string origin = file + ": item " + std::to_string(i + 1);
    if (item.is_object() && item.contains("id")) origin += " (id " + item["id"].dump() + ")";
    if (item.dump().size() > limits.max_record_bytes) {
      sink.reject({origin, "item is larger than " + std::to_string(limits.max_record_bytes >> 20) +
                               " MiB"});
      continue;
    }
    ParsedArticle parsed = article_from_item(item, origin);
    if (parsed.article) {
      sink.accept(std::move(*parsed.article));
    } else {
      sink.reject({origin, parsed.error});
    }
  }
}

}  // namespace sok
