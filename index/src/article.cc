#include "sok/index/article.h"

#include <charconv>
#include <cstdint>
#include <cstdio>

namespace sok {
namespace {

bool parse_int(std::string_view text, int& out) {
  if (text.empty()) return false;
  const auto result = std::from_chars(text.data(), text.data() + text.size(), out);
  return result.ec == std::errc() && result.ptr == text.data() + text.size();
}

bool is_leap(int year) {
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int days_in_month(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && is_leap(year) ? 29 : kDays[month - 1];
}

// FNV-1a, 64 bits: stable across compilers and runs, unlike std::hash.
class Fingerprint {
 public:
  void add(std::string_view field) {
    for (unsigned char c : field) mix(c);
    mix(0x1F);  // field separator, so "ab"+"c" differs from "a"+"bc"
  }

  std::string hex() const {
    char out[17];
    std::snprintf(out, sizeof out, "%016llx", static_cast<unsigned long long>(hash_));
    return out;
  }

 private:
  void mix(unsigned char c) {
    hash_ ^= c;
    hash_ *= 0x100000001b3ULL;
  }
  std::uint64_t hash_ = 0xcbf29ce484222325ULL;
};

}  // namespace

std::string_view article_type_name(ArticleType type) {
  switch (type) {
    case ArticleType::news:
      return "news";
    case ArticleType::event:
      return "event";
    case ArticleType::partner:
      return "partner";
    case ArticleType::page:
      return "page";
  }
  return "page";
}

std::optional<ArticleType> parse_article_type(std::string_view name) {
  for (ArticleType type :
       {ArticleType::news, ArticleType::event, ArticleType::partner, ArticleType::page}) {
    if (article_type_name(type) == name) return type;
  }
  return std::nullopt;
}

std::string Date::iso() const {
  char out[16];
  std::snprintf(out, sizeof out, "%04d-%02d-%02d", year, month, day);
  return out;
}

std::string Date::sortable() const {
  char out[16];
  std::snprintf(out, sizeof out, "%04d%02d%02d", year, month, day);
  return out;
}

std::optional<Date> parse_date(std::string_view text) {
  if (text.size() < 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  if (text.size() > 10 && text[10] != 'T' && text[10] != ' ') return std::nullopt;
  Date date;
  if (!parse_int(text.substr(0, 4), date.year) || !parse_int(text.substr(5, 2), date.month) ||
      !parse_int(text.substr(8, 2), date.day)) {
    return std::nullopt;
  }
  if (date.year < 1900 || date.year > 2100 || date.month < 1 || date.month > 12)
    return std::nullopt;
  if (date.day < 1 || date.day > days_in_month(date.year, date.month)) return std::nullopt;
  return date;
}

std::string bounded_id(const std::string& id) {
  if (id.size() <= kMaxIdBytes) return id;
  Fingerprint print;
  print.add(id);
  const std::string suffix = "~" + print.hex();
  std::size_t cut = kMaxIdBytes - suffix.size();
  while (cut > 0 && (static_cast<unsigned char>(id[cut]) & 0xC0) == 0x80) --cut;  // whole letters
  return id.substr(0, cut) + suffix;
}

std::string content_hash(const Article& article) {
  Fingerprint print;
  print.add(article.id);
  print.add(article.url);
  print.add(language_code(article.language));
  print.add(article_type_name(article.type));
  print.add(article.title);
  print.add(article.summary);
  print.add(article.body);
  print.add(article.published ? article.published->iso() : "");
  print.add(article.updated ? article.updated->iso() : "");
  for (const auto& tag : article.tags) print.add(tag);
  print.add("");
  for (const auto& partner : article.partners) print.add(partner);
  print.add("");
  print.add(article.author);
  return print.hex();
}

}  // namespace sok
