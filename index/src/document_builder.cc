#include "sok/index/document_builder.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>

#include "sok/index/schema.h"
#include "sok/stemming/language_id.h"

namespace sok {
namespace {

constexpr std::size_t kMaxSpellingBytes = 40;
constexpr std::size_t kLanguageSampleBytes = 2048;

// Whether a field's words are also indexed in their exact forms: Swedish
// ones in every field; English ones in titles and summaries only, since
// Porter stems differ from nearly every English form and those terms in the
// body cost a fifth of the time to index Reuters, for no better ranking.
bool exact_forms_of(Language language, std::string_view prefix) {
  return language == Language::sv || !prefix.empty();
}

// Adds one field's tokens: unprefixed for free text and, when `prefix` is
// set, again under it; a word's form too when it is not its stem (see
// exact_forms_of()). Returns the position after the field's last token.
Xapian::termpos add_field(Xapian::Document& doc, const Analysis& analysis, std::string_view prefix,
                          Xapian::termcount weight, Xapian::termpos base) {
  const bool exact_forms = exact_forms_of(analysis.language, prefix);
  Xapian::termpos last = base;
  std::string exact(schema::kExactPrefix);
  for (const Token& token : analysis.tokens) {
    const Xapian::termpos pos = base + token.position;
    last = std::max(last, pos);
    if (token.stop) continue;  // a gap in the positions: see schema.h
    const Xapian::termcount wdf =
        token.kind == TokenKind::compound_part ? weight : weight * schema::kWholeWordScale;
    doc.add_posting(token.term, pos, wdf);
    if (!prefix.empty()) doc.add_posting(std::string(prefix) + token.term, pos, wdf);
    if (exact_forms && token.kind == TokenKind::word && token.form != token.term) {
      exact.resize(schema::kExactPrefix.size());
      exact += token.form;
      doc.add_term(exact, wdf);
    }
  }
  return last + 1;
}

// Whole words worth suggesting: letters only, not stop words, not parts.
// Moves their forms out of `analysis` when it is in `language`.
void take_spelling_words(Analysis& analysis, Language language, std::vector<std::string>& out) {
  if (language == Language::unknown || analysis.language != language) return;
  for (Token& token : analysis.tokens) {
    if (token.kind != TokenKind::word || token.stop || token.form.size() < 3 ||
        token.form.size() > kMaxSpellingBytes) {
      continue;
    }
    out.push_back(std::move(token.form));
  }
}

// A boolean term for a whole value, cut to Xapian's term length limit at a
// letter boundary.
std::string whole_value_term(std::string_view prefix, const std::string& value) {
  constexpr std::size_t kMaxTermBytes = 240;
  std::string term = std::string(prefix) + value;
  if (term.size() <= kMaxTermBytes) return term;
  std::size_t cut = kMaxTermBytes;
  while (cut > 0 && (static_cast<unsigned char>(term[cut]) & 0xC0) == 0x80) --cut;
  term.resize(cut);
  return term;
}

std::string joined(const std::vector<std::string>& values) {
  std::string out;
  for (const auto& value : values) {
    if (!out.empty()) out.push_back(schema::kListSeparator);
    out += value;
  }
  return out;
}

Language language_of(const Article& article) {
  if (article.language != Language::unknown) return article.language;
  std::string sample = article.title + "\n" + article.summary + "\n";
  sample += article.body.substr(0, kLanguageSampleBytes);
  return identify_language(sample);
}

void add_values(Xapian::Document& doc, const Article& article, Language language,
                const std::string& hash) {
  if (article.published) {
    doc.add_value(schema::kPublishedSlot, article.published->sortable());
    doc.add_value(schema::kYearSlot, std::to_string(article.published->year));
  }
  if (article.updated) doc.add_value(schema::kUpdatedSlot, article.updated->sortable());
  doc.add_value(schema::kTypeSlot, std::string(article_type_name(article.type)));
  if (language != Language::unknown)
    doc.add_value(schema::kLanguageSlot, std::string(language_code(language)));
  if (!article.partners.empty()) doc.add_value(schema::kPartnersSlot, joined(article.partners));
  if (!article.tags.empty()) doc.add_value(schema::kTagsSlot, joined(article.tags));
  doc.add_value(schema::kHashSlot, hash);
  if (!article.url.empty()) doc.add_value(schema::kPageSlot, page_key(article.url));
}

void add_filter_terms(Xapian::Document& doc, const Article& article, Language language) {
  doc.add_boolean_term(std::string(schema::kTypePrefix) +
                       std::string(article_type_name(article.type)));
  if (language != Language::unknown) {
    doc.add_boolean_term(std::string(schema::kLanguagePrefix) +
                         std::string(language_code(language)));
  }
  if (article.published)
    doc.add_boolean_term(std::string(schema::kYearPrefix) +
                         std::to_string(article.published->year));
}

}  // namespace

DocumentBuilder::DocumentBuilder(const AnalyzerOptions& options) : analyzer_(options) {}

IndexedDocument DocumentBuilder::build(const Article& article) {
  IndexedDocument out;
  out.language = language_of(article);
  out.hash = content_hash(article);
  out.id_term = std::string(schema::kIdPrefix) + article.id;  // ids are at most 200 bytes
  Xapian::Document& doc = out.document;
  doc.add_boolean_term(out.id_term);
  add_filter_terms(doc, article, out.language);
  add_values(doc, article, out.language, out.hash);

  Analysis title = analyzer_.analyze(article.title, out.language);
  Analysis summary = analyzer_.analyze(article.summary, out.language);
  Analysis body = analyzer_.analyze(article.body, out.language);
  Xapian::termpos pos = add_field(doc, title, schema::kTitlePrefix, schema::kTitleWeight, 1);
  pos = add_field(doc, summary, schema::kSummaryPrefix, schema::kSummaryWeight,
                  pos + schema::kFieldGap);
  pos = add_field(doc, body, "", schema::kBodyWeight, pos + schema::kFieldGap);
  for (const auto& tag : article.tags) {
    pos = add_field(doc, analyzer_.analyze(tag, out.language), "", schema::kTagWeight,
                    pos + schema::kFieldGap);
    doc.add_boolean_term(
        whole_value_term(schema::kTagPrefix, folded_value(analyzer_, tag, out.language)));
  }
  for (const auto& partner : article.partners) {
    pos = add_field(doc, analyzer_.analyze(partner, out.language), "", schema::kTagWeight,
                    pos + schema::kFieldGap);
    doc.add_boolean_term(
        whole_value_term(schema::kPartnerPrefix, folded_value(analyzer_, partner, out.language)));
  }
  if (!article.author.empty()) {
    pos = add_field(doc, analyzer_.analyze(article.author, out.language), "", schema::kBodyWeight,
                    pos + schema::kFieldGap);
    doc.add_boolean_term(whole_value_term(schema::kAuthorPrefix,
                                          folded_value(analyzer_, article.author, out.language)));
  }
  for (Analysis* field : {&title, &summary, &body})
    take_spelling_words(*field, out.language, out.spelling_words);
  doc.set_data(document_data(article, out.language));
  return out;
}

std::string page_key(std::string_view url) {
  url = url.substr(0, url.find('#'));
  if (const auto scheme = url.find("://"); scheme != std::string_view::npos)
    url.remove_prefix(scheme + 3);
  const std::size_t host_end = std::min(url.find_first_of("/?"), url.size());
  std::string key(url.substr(0, host_end));
  std::transform(key.begin(), key.end(), key.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (key.starts_with("www.")) key.erase(0, 4);
  std::string_view rest = url.substr(host_end);
  const std::size_t query = std::min(rest.find('?'), rest.size());
  std::string_view path = rest.substr(0, query);
  while (path.ends_with('/')) path.remove_suffix(1);
  key += path;
  key += rest.substr(query);
  return key;
}

std::string folded_value(Analyzer& analyzer, const std::string& value, Language language) {
  std::string out;
  for (const Token& token : analyzer.analyze(value, language).tokens) {
    if (token.is_part()) continue;
    if (!out.empty()) out.push_back(' ');
    out += token.form;
  }
  return out;
}

std::string document_data(const Article& article, Language language) {
  nlohmann::json data = {
      {"id", article.id},
      {"url", article.url},
      {"title", article.title},
      {"summary", article.summary},
      {"type", article_type_name(article.type)},
      {"lang", language_code(language)},
      {"published", article.published ? article.published->iso() : ""},
      {"updated", article.updated ? article.updated->iso() : ""},
      {"tags", article.tags},
      {"partners", article.partners},
      {"author", article.author},
      {"text", article.body},
  };
  return data.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace sok
