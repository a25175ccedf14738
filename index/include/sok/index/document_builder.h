#pragma once

#include <string>
#include <utility>
#include <vector>

#include <xapian.h>

#include "sok/index/article.h"
#include "sok/stemming/analyzer.h"

namespace sok {

// An article turned into what the index stores.
struct IndexedDocument {
  Xapian::Document document;
  std::string id_term;                    // "Q<id>": replace by this
  std::string hash;                       // content_hash(article)
  Language language = Language::unknown;  // as given, or identified
  // Words for the spelling list of `language` (folded forms, not stemmed),
  // once per occurrence; none when the language is unknown.
  std::vector<std::string> spelling_words;
};

// Lays an article out as schema.h says: terms with positions per field,
// boolean filter terms, value slots, and the document data a hit shows.
// Not thread-safe (it owns an Analyzer): one per thread.
class DocumentBuilder {
 public:
  explicit DocumentBuilder(const AnalyzerOptions& options = {});

  IndexedDocument build(const Article& article);

 private:
  Analyzer analyzer_;
};

// A whole value as the index stores it for tag:, partner: and author:
// filters: its folded words, space-joined ("Life Science" → "life science").
std::string folded_value(Analyzer& analyzer, const std::string& value, Language language);

// The page a URL names, as one key for all the ways of writing it: without
// its scheme, "www.", fragment and trailing slash, the host in lower case
// ("https://www.Example.se/nyheter/a/#top" → "example.se/nyheter/a"). ""
// for "".
std::string page_key(std::string_view url);

// The document data: a JSON object with id, url, title, summary, type, lang,
// published, updated, tags, partners, author and text (the body, which
// snippets are cut from).
std::string document_data(const Article& article, Language language);

}  // namespace sok
