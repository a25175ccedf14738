#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "sok/index/article.h"

namespace sok {

// Something wrong with one record: where ("corpus/news.jsonl:12",
// "site/about.html", "wp/posts.json: item 3 (id 17)") and what.
struct SourceIssue {
  std::string origin;
  std::string message;
};

// Either an article or what is wrong with the record it came from.
struct ParsedArticle {
  std::optional<Article> article;
  std::string error;  // set when article is empty
};

// Receives what the readers find, in file order.
class ArticleSink {
 public:
  virtual ~ArticleSink() = default;
  virtual void accept(Article article) = 0;
  virtual void reject(SourceIssue issue) = 0;
  // How many bytes of the sources have been read so far, after each record.
  virtual void progress(std::size_t /*bytes_read*/) {}
};

// The bytes read_sources() will read for `paths` (for progress reports).
std::size_t source_bytes(const std::vector<std::string>& paths);

struct SourceLimits {
  // A record (JSON line, HTML page, WordPress item) larger than this is
  // rejected without being parsed.
  std::size_t max_record_bytes = 8u << 20;
};

// One record of the corpus JSON format (corpus/README.md) as an article.
// Checks every field's type and form; a body with HTML tags is reduced to
// its text. `origin` goes into the article.
ParsedArticle article_from_json(const nlohmann::json& record, std::string origin);

// A web page as an article: title, language (<html lang>), date (meta
// article:published_time, <time datetime> or other date metas), canonical
// URL, and the text of its main content without navigation, header, footer,
// cookie and newsletter boxes, scripts and styles.
ParsedArticle article_from_html(std::string_view html, std::string origin);

// The text of an HTML fragment or page: block elements end lines, entities
// are decoded, scripts, styles and page furniture are left out.
std::string html_to_text(std::string_view html);

// Reads each path — a JSON Lines file (.jsonl, .ndjson), an HTML page
// (.html, .htm), a WordPress REST export (.json: an array of /wp/v2/posts or
// /pages items), or a folder of such files, read recursively in name order —
// and hands every article or issue to `sink`. A path that cannot be read is
// an issue too; reading goes on with the next one.
void read_sources(const std::vector<std::string>& paths, ArticleSink& sink,
                  const SourceLimits& limits = {});

}  // namespace sok
