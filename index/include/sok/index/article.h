#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sok/stemming/language.h"

namespace sok {

enum class ArticleType { news, event, partner, page };

// "news", "event", "partner", "page".
std::string_view article_type_name(ArticleType type);
std::optional<ArticleType> parse_article_type(std::string_view name);

// A calendar date (proleptic Gregorian).
struct Date {
  int year = 0;
  int month = 0;
  int day = 0;

  // "2024-03-14".
  std::string iso() const;
  // "20240314": sorts as the dates do (the index's value slot form).
  std::string sortable() const;
  friend bool operator==(const Date&, const Date&) = default;
};

// Parses "2024-03-14" or an ISO 8601 date-time that starts with one
// ("2024-03-14T09:00:00+01:00", "2024-03-14 09:00:00"). nullopt when the text
// is not a real date (month 13, 30 February, years outside 1900–2100).
std::optional<Date> parse_date(std::string_view text);

// One piece of published content, whatever source it came from: the unit
// the index stores, one Xapian document per article.
struct Article {
  std::string id;  // unique across the site; the index replaces by it
  std::string url;
  Language language = Language::unknown;  // unknown: identified from the text
  ArticleType type = ArticleType::page;
  std::string title;
  std::string summary;  // plain text
  std::string body;     // plain text (HTML already reduced to its text)
  std::optional<Date> published;
  std::optional<Date> updated;
  std::vector<std::string> tags;
  std::vector<std::string> partners;
  std::string author;
  std::string origin;  // where it was read: "corpus/news.jsonl:12"
};

// The longest id an article may have, in bytes.
inline constexpr std::size_t kMaxIdBytes = 200;

// `id` as it is when it fits kMaxIdBytes; a longer one (a page's long URL)
// cut short and made unique again with its fingerprint.
std::string bounded_id(const std::string& id);

// A stable 64-bit fingerprint of everything an article shows (not its
// origin), as 16 hex digits: the indexer skips articles whose fingerprint is
// already in the index.
std::string content_hash(const Article& article);

}  // namespace sok
