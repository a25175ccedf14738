// Web pages → text and articles, with gumbo (the only file that includes it).
#include <gumbo.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstring>
#include <memory>

#include "html_detect.h"
#include "sok/index/sources.h"

namespace sok {
namespace {

struct GumboDeleter {
  void operator()(GumboOutput* output) const {
    gumbo_destroy_output(&kGumboDefaultOptions, output);
  }
};
using ParsedHtml = std::unique_ptr<GumboOutput, GumboDeleter>;

ParsedHtml parse(std::string_view html) {
  return ParsedHtml(gumbo_parse_with_options(&kGumboDefaultOptions, html.data(), html.size()));
}

const char* attribute(const GumboNode* node, const char* name) {
  if (node->type != GUMBO_NODE_ELEMENT) return nullptr;
  const GumboAttribute* attr = gumbo_get_attribute(&node->v.element.attributes, name);
  return attr ? attr->value : nullptr;
}

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  return out;
}

// A canonical URL as a browser reads an href (the URL standard): without
// leading and trailing spaces and controls, and without tabs and line
// breaks anywhere. "" when other control characters remain: such a URL
// cannot be an article's id.
std::string canonical_url(std::string_view href) {
  const auto blank = [](unsigned char c) { return c <= 0x20; };
  while (!href.empty() && blank(href.front())) href.remove_prefix(1);
  while (!href.empty() && blank(href.back())) href.remove_suffix(1);
  std::string url;
  for (const unsigned char c : href) {
    if (c == '\t' || c == '\n' || c == '\r') continue;
    if (c < 0x20 || c == 0x7F) return "";
    url += static_cast<char>(c);
  }
  return url;
}

// Whether a class, id or role value names page furniture by one of its
// words ("cookie-banner", "site_menu", "sidebar"), not by a part of a word
// ("shareholders", "multimodal-imaging").
bool has_furniture_word(const std::string& value) {
  static const std::array<std::string_view, 19> kWords = {
      "cookie",      "cookies", "newsletter",  "banner", "navbar",    "navigation", "breadcrumb",
      "breadcrumbs", "share",   "sharing",     "social", "subscribe", "popup",      "modal",
      "sidebar",     "menu",    "contentinfo", "skip",   "advert"};
  std::size_t start = 0;
  while (start < value.size()) {
    std::size_t end = value.find_first_of(" \t\n-_", start);
    if (end == std::string::npos) end = value.size();
    const std::string_view word(value.data() + start, end - start);
    for (std::string_view furniture : kWords) {
      if (word == furniture) return true;
    }
    start = end + 1;
  }
  return false;
}

// Page furniture: elements whose text is not the article's.
bool is_furniture(const GumboNode* node) {
  switch (node->v.element.tag) {
    case GUMBO_TAG_SCRIPT:
    case GUMBO_TAG_STYLE:
    case GUMBO_TAG_NOSCRIPT:
    case GUMBO_TAG_TEMPLATE:
    case GUMBO_TAG_NAV:
    case GUMBO_TAG_HEADER:
    case GUMBO_TAG_FOOTER:
    case GUMBO_TAG_ASIDE:
    case GUMBO_TAG_FORM:
    case GUMBO_TAG_IFRAME:
    case GUMBO_TAG_SVG:
    case GUMBO_TAG_BUTTON:
    case GUMBO_TAG_SELECT:
    case GUMBO_TAG_HEAD:
    case GUMBO_TAG_OBJECT:
    case GUMBO_TAG_CANVAS:
      return true;
    default:
      break;
  }
  // The structural elements themselves never count as furniture, whatever
  // their classes say (WordPress puts "has-sidebar" on <body>).
  const GumboTag tag = node->v.element.tag;
  if (tag == GUMBO_TAG_BODY || tag == GUMBO_TAG_MAIN || tag == GUMBO_TAG_ARTICLE ||
      tag == GUMBO_TAG_HTML) {
    return false;
  }
  for (const char* name : {"class", "id", "role"}) {
    const char* value = attribute(node, name);
    if (value && has_furniture_word(lower(value))) return true;
  }
  return false;
}

bool is_block(GumboTag tag) {
  switch (tag) {
    case GUMBO_TAG_P:
    case GUMBO_TAG_DIV:
    case GUMBO_TAG_H1:
    case GUMBO_TAG_H2:
    case GUMBO_TAG_H3:
    case GUMBO_TAG_H4:
    case GUMBO_TAG_H5:
    case GUMBO_TAG_H6:
    case GUMBO_TAG_LI:
    case GUMBO_TAG_UL:
    case GUMBO_TAG_OL:
    case GUMBO_TAG_TABLE:
    case GUMBO_TAG_TR:
    case GUMBO_TAG_BR:
    case GUMBO_TAG_SECTION:
    case GUMBO_TAG_ARTICLE:
    case GUMBO_TAG_BLOCKQUOTE:
    case GUMBO_TAG_PRE:
    case GUMBO_TAG_DD:
    case GUMBO_TAG_DT:
    case GUMBO_TAG_FIGCAPTION:
    case GUMBO_TAG_MAIN:
    case GUMBO_TAG_HR:
    case GUMBO_TAG_ADDRESS:
    case GUMBO_TAG_DL:
    case GUMBO_TAG_FIGURE:
      return true;
    default:
      return false;
  }
}

// Appends text with runs of white space folded to one space and block ends
// to one line break.
class TextBuilder {
 public:
  void text(std::string_view s) {
    for (char c : s) {
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f') {
        pending_space_ = !out_.empty();
      } else {
        flush();
        out_.push_back(c);
      }
    }
  }
  void block_end() {
    if (!out_.empty()) pending_break_ = true;
  }
  std::string take() { return std::move(out_); }

 private:
  void flush() {
    if (pending_break_) {
      out_.push_back('\n');
    } else if (pending_space_) {
      out_.push_back(' ');
    }
    pending_break_ = pending_space_ = false;
  }
  std::string out_;
  bool pending_space_ = false;
  bool pending_break_ = false;
};

void collect_text(const GumboNode* node, TextBuilder& out, bool skip_furniture) {
  if (node->type == GUMBO_NODE_TEXT || node->type == GUMBO_NODE_CDATA ||
      node->type == GUMBO_NODE_WHITESPACE) {
    out.text(node->v.text.text);
    return;
  }
  if (node->type != GUMBO_NODE_ELEMENT && node->type != GUMBO_NODE_TEMPLATE) return;
  if (skip_furniture && is_furniture(node)) return;
  const GumboTag tag = node->v.element.tag;
  const bool block = is_block(tag);
  const bool cell = tag == GUMBO_TAG_TD || tag == GUMBO_TAG_TH;
  if (block) out.block_end();
  const GumboVector& children = node->v.element.children;
  for (unsigned i = 0; i < children.length; ++i) {
    collect_text(static_cast<const GumboNode*>(children.data[i]), out, skip_furniture);
  }
  if (block) out.block_end();
  if (cell) out.text(" ");  // cells of a row are words apart
}

// The length of the well-formed UTF-8 sequence at `at`, 0 when there is none.
std::size_t utf8_sequence(std::string_view text, std::size_t at) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char lead = byte(at);
  if (lead < 0x80) return 1;
  const std::size_t length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC2 ? 2 : 0;
  if (length == 0 || lead > 0xF4 || at + length > text.size()) return 0;
  for (std::size_t i = 1; i < length; ++i) {
    if ((byte(at + i) & 0xC0) != 0x80) return 0;
  }
  const unsigned char second = byte(at + 1);
  if (lead == 0xE0 && second < 0xA0) return 0;   // overlong
  if (lead == 0xED && second >= 0xA0) return 0;  // a surrogate
  if (lead == 0xF0 && second < 0x90) return 0;   // overlong
  if (lead == 0xF4 && second >= 0x90) return 0;  // beyond U+10FFFF
  return length;
}

// `text` with each ill-formed UTF-8 byte replaced by U+FFFD: gumbo decodes a
// character reference beyond U+10FFFF ("&#2222…;") into bytes that are not
// UTF-8.
std::string well_formed(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t at = 0; at < text.size();) {
    const std::size_t length = utf8_sequence(text, at);
    if (length == 0) {
      out += "\xEF\xBF\xBD";
      ++at;
    } else {
      out.append(text.substr(at, length));
      at += length;
    }
  }
  return out;
}

std::string text_of(const GumboNode* node, bool skip_furniture = true) {
  TextBuilder out;
  collect_text(node, out, skip_furniture);
  return well_formed(out.take());
}

// Depth-first search for the first element with `tag` (not inside furniture
// when `skip_furniture`).
const GumboNode* find_element(const GumboNode* node, GumboTag tag, bool skip_furniture = false) {
  if (node->type != GUMBO_NODE_ELEMENT) return nullptr;
  if (node->v.element.tag == tag) return node;
  if (skip_furniture && is_furniture(node)) return nullptr;
  const GumboVector& children = node->v.element.children;
  for (unsigned i = 0; i < children.length; ++i) {
    if (auto found =
            find_element(static_cast<const GumboNode*>(children.data[i]), tag, skip_furniture)) {
      return found;
    }
  }
  return nullptr;
}

// The date of the first <time datetime> that holds one.
std::optional<Date> first_time_date(const GumboNode* node) {
  if (node->type != GUMBO_NODE_ELEMENT) return std::nullopt;
  if (node->v.element.tag == GUMBO_TAG_TIME) {
    if (const char* datetime = attribute(node, "datetime")) {
      if (auto date = parse_date(datetime)) return date;
    }
  }
  const GumboVector& children = node->v.element.children;
  for (unsigned i = 0; i < children.length; ++i) {
    if (auto date = first_time_date(static_cast<const GumboNode*>(children.data[i]))) return date;
  }
  return std::nullopt;
}

// What the page's <head> says in <meta> and <link> elements.
struct HeadFacts {
  std::string title, description, canonical, published, modified, author, og_title, og_type;
  std::vector<std::string> tags;
};

void read_meta(const GumboNode* node, HeadFacts& facts) {
  const std::string key = lower(attribute(node, "property") ? attribute(node, "property")
                                : attribute(node, "name")   ? attribute(node, "name")
                                                            : "");
  const char* content = attribute(node, "content");
  if (key.empty() || !content) return;
  if (key == "description" || key == "og:description") {
    if (facts.description.empty()) facts.description = content;
  } else if (key == "article:published_time" || key == "date" || key == "dc.date" ||
             key == "pubdate") {
    if (facts.published.empty()) facts.published = content;
  } else if (key == "article:modified_time" || key == "og:updated_time") {
    facts.modified = content;
  } else if (key == "author" || key == "article:author") {
    facts.author = content;
  } else if (key == "article:tag" || key == "keywords") {
    facts.tags.emplace_back(content);
  } else if (key == "og:title") {
    facts.og_title = content;
  } else if (key == "og:type") {
    facts.og_type = content;
  } else if (key == "og:url" && facts.canonical.empty()) {
    facts.canonical = canonical_url(content);
  }
}

void read_head(const GumboNode* node, HeadFacts& facts) {
  if (node->type != GUMBO_NODE_ELEMENT) return;
  const GumboTag tag = node->v.element.tag;
  if (tag == GUMBO_TAG_META) read_meta(node, facts);
  if (tag == GUMBO_TAG_TITLE && facts.title.empty()) facts.title = text_of(node, false);
  if (tag == GUMBO_TAG_LINK) {
    const char* rel = attribute(node, "rel");
    const char* href = attribute(node, "href");
    if (rel && href && lower(rel) == "canonical") facts.canonical = canonical_url(href);
  }
  const GumboVector& children = node->v.element.children;
  for (unsigned i = 0; i < children.length; ++i)
    read_head(static_cast<const GumboNode*>(children.data[i]), facts);
}

ArticleType type_from(const std::string& url, bool dated) {
  const std::string u = lower(url);
  if (u.find("/evenemang/") != std::string::npos || u.find("/events/") != std::string::npos)
    return ArticleType::event;
  if (u.find("/partner") != std::string::npos) return ArticleType::partner;
  if (u.find("/nyheter/") != std::string::npos || u.find("/news/") != std::string::npos)
    return ArticleType::news;
  return dated ? ArticleType::news : ArticleType::page;
}

void split_keywords(std::vector<std::string>& tags) {
  std::vector<std::string> out;
  for (const auto& entry : tags) {
    std::size_t start = 0;
    while (start <= entry.size()) {
      std::size_t comma = entry.find(',', start);
      if (comma == std::string::npos) comma = entry.size();
      std::string tag = entry.substr(start, comma - start);
      tag.erase(0, tag.find_first_not_of(' '));
      tag.erase(tag.find_last_not_of(' ') + 1);
      if (!tag.empty()) out.push_back(tag);
      start = comma + 1;
    }
  }
  tags = std::move(out);
}

}  // namespace

bool looks_like_html(std::string_view text) {
  if (text.find("&amp;") != std::string_view::npos ||
      text.find("&nbsp;") != std::string_view::npos || text.find("&#") != std::string_view::npos) {
    return true;
  }
  // A tag counts when it names an HTML element: "<GM>" in a news wire is a
  // ticker symbol, not markup. Upper-case names count only beside a closing
  // tag, as "<B>" is a ticker too.
  const bool has_closing_tag = text.find("</") != std::string_view::npos;
  for (auto open = text.find('<'); open != std::string_view::npos;
       open = text.find('<', open + 1)) {
    std::size_t at = open + 1;
    if (at < text.size() && text[at] == '!') return true;  // a comment or a doctype
    const bool closing = at < text.size() && text[at] == '/';
    if (closing) ++at;
    const std::size_t name_begin = at;
    while (at < text.size() && std::isalnum(static_cast<unsigned char>(text[at]))) ++at;
    if (at == name_begin || at == text.size() || text[at] == '\0' ||
        !std::strchr(" \t\r\n/>", text[at])) {
      continue;
    }
    const std::string_view name = text.substr(name_begin, at - name_begin);
    if (gumbo_tagn_enum(name.data(), static_cast<unsigned>(name.size())) == GUMBO_TAG_UNKNOWN)
      continue;
    const bool lower_case = std::none_of(name.begin(), name.end(), [](char c) {
      return std::isupper(static_cast<unsigned char>(c));
    });
    if (closing || lower_case || has_closing_tag) return true;
  }
  return false;
}

std::string html_to_text(std::string_view html) {
  const ParsedHtml output = parse(html);
  return text_of(output->root);
}

ParsedArticle article_from_html(std::string_view html, std::string origin) {
  ParsedArticle parsed;
  if (html.find('\0') != std::string_view::npos || html.find('<') == std::string_view::npos) {
    parsed.error = "not an HTML page (no markup, or binary data)";
    return parsed;
  }
  const ParsedHtml output = parse(html);
  const GumboNode* root = output->root;
  HeadFacts facts;
  read_head(root, facts);
  const GumboNode* main = find_element(root, GUMBO_TAG_MAIN);
  if (!main) main = find_element(root, GUMBO_TAG_ARTICLE, true);
  if (!main) main = find_element(root, GUMBO_TAG_BODY);
  const GumboNode* h1 = main ? find_element(main, GUMBO_TAG_H1) : nullptr;

  Article article;
  article.origin = origin;
  article.title = well_formed(h1                        ? text_of(h1, false)
                              : !facts.og_title.empty() ? facts.og_title
                                                        : facts.title);
  article.body = main ? text_of(main) : "";
  if (article.title.empty()) {
    parsed.error = "not an HTML page with content: no <title> or <h1>";
    return parsed;
  }
  if (const char* lang = attribute(root, "lang"))
    article.language = parse_language(lang).value_or(Language::unknown);
  if (facts.published.empty() && main) {
    // A <time> may hold a time of day ("09:00"): take the first that is a date.
    if (auto date = first_time_date(main)) facts.published = date->iso();
  }
  if (!facts.published.empty()) {
    article.published = parse_date(facts.published);
    if (!article.published) {
      parsed.error =
          "its date \"" + facts.published + "\" is not a date (want YYYY-MM-DD or ISO 8601)";
      return parsed;
    }
  }
  if (!facts.modified.empty()) article.updated = parse_date(facts.modified);
  article.url = well_formed(facts.canonical);
  article.id = bounded_id(!article.url.empty() ? article.url : origin);
  article.type =
      type_from(article.url.empty() ? origin : article.url, article.published.has_value());
  article.summary = well_formed(facts.description);
  article.author = well_formed(facts.author);
  for (const auto& tag : facts.tags) article.tags.push_back(well_formed(tag));
  split_keywords(article.tags);
  parsed.article = std::move(article);
  return parsed;
}

}  // namespace sok
