// The corpus JSON record → Article, with a message a person can act on for
// every way a record can be wrong.
#include <nlohmann/json.hpp>

#include "html_detect.h"
#include "sok/index/sources.h"

namespace sok {
namespace {

constexpr std::size_t kMaxListItemBytes = 200;

using json = nlohmann::json;

std::string type_name(const json& value) {
  return value.type_name();
}

// An optional string field: absent or null is "", another type is an error.
bool read_string(const json& record, const char* field, std::string& out, std::string& error) {
  const auto it = record.find(field);
  if (it == record.end() || it->is_null()) return true;
  if (!it->is_string()) {
    error = std::string(field) + " must be a string, not " + type_name(*it);
    return false;
  }
  out = it->get<std::string>();
  return true;
}

bool read_list(const json& record, const char* field, std::vector<std::string>& out,
               std::string& error) {
  const auto it = record.find(field);
  if (it == record.end() || it->is_null()) return true;
  if (!it->is_array()) {
    error = std::string(field) + " must be an array of strings, not " + type_name(*it);
    return false;
  }
  for (const auto& item : *it) {
    if (!item.is_string()) {
      error = std::string(field) + " must hold strings only, not " + type_name(item);
      return false;
    }
    std::string value = item.get<std::string>();
    if (value.empty()) continue;
    if (value.size() > kMaxListItemBytes) {
      error = std::string(field) + " has an item of " + std::to_string(value.size()) +
              " bytes (at most " + std::to_string(kMaxListItemBytes) + ")";
      return false;
    }
    out.push_back(std::move(value));
  }
  return true;
}

bool read_date(const json& record, const char* field, std::optional<Date>& out,
               std::string& error) {
  std::string text;
  if (!read_string(record, field, text, error)) return false;
  if (text.empty()) return true;
  out = parse_date(text);
  if (!out) {
    error = std::string(field) + " \"" + text +
            "\" is not a date (want YYYY-MM-DD or an ISO 8601 date-time)";
    return false;
  }
  return true;
}

bool read_identity(const json& record, Article& article, std::string& error) {
  if (!record.contains("id") || record["id"].is_null()) {
    error = "missing id";
    return false;
  }
  if (record["id"].is_number_integer()) {  // signed or unsigned, digits as written
    article.id = record["id"].dump();
  } else if (!read_string(record, "id", article.id, error)) {
    return false;
  }
  if (article.id.empty()) {
    error = "id is empty";
    return false;
  }
  if (article.id.size() > kMaxIdBytes) {
    error = "id is " + std::to_string(article.id.size()) + " bytes long (at most " +
            std::to_string(kMaxIdBytes) + ")";
    return false;
  }
  for (unsigned char c : article.id) {
    if (c < 0x20 || c == 0x7F) {
      error = "id contains a control character";
      return false;
    }
  }
  if (!read_string(record, "title", article.title, error)) return false;
  if (article.title.empty()) {
    error = "missing title";
    return false;
  }
  return true;
}

bool read_kind(const json& record, Article& article, std::string& error) {
  std::string type;
  if (!read_string(record, "type", type, error)) return false;
  if (!type.empty()) {
    const auto parsed = parse_article_type(type);
    if (!parsed) {
      error = "unknown type \"" + type + "\" (allowed: news, event, partner, page)";
      return false;
    }
    article.type = *parsed;
  }
  std::string lang;
  if (!read_string(record, "lang", lang, error)) return false;
  if (!lang.empty()) {
    const auto parsed = parse_language(lang);
    if (!parsed) {
      error = "unknown lang \"" + lang + "\" (allowed: sv, en, or leave it out to detect it)";
      return false;
    }
    article.language = *parsed;
  }
  return true;
}

}  // namespace

ParsedArticle article_from_json(const json& record, std::string origin) {
  ParsedArticle parsed;
  if (!record.is_object()) {
    parsed.error = "a record must be a JSON object, not " + type_name(record);
    return parsed;
  }
  Article article;
  article.origin = std::move(origin);
  std::string& error = parsed.error;
  if (!read_identity(record, article, error) || !read_kind(record, article, error) ||
      !read_string(record, "url", article.url, error) ||
      !read_string(record, "summary", article.summary, error) ||
      !read_string(record, "body", article.body, error) ||
      !read_string(record, "author", article.author, error) ||
      !read_date(record, "published", article.published, error) ||
      !read_date(record, "updated", article.updated, error) ||
      !read_list(record, "tags", article.tags, error) ||
      !read_list(record, "partners", article.partners, error)) {
    return parsed;
  }
  if (looks_like_html(article.body)) article.body = html_to_text(article.body);
  if (looks_like_html(article.summary)) article.summary = html_to_text(article.summary);
  parsed.article = std::move(article);
  return parsed;
}

}  // namespace sok
