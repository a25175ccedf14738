#include "sok/index/searcher.h"

#include <xapian.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <stdexcept>
#include <unordered_map>

#include "completions.h"
#include "facets.h"
#include "index_folder.h"
#include "recency.h"
#include "sok/index/document_builder.h"
#include "sok/index/index_error.h"
#include "sok/index/query_syntax.h"
#include "sok/index/schema.h"
#include "sok/index/snippet.h"
#include "sok/stemming/analyzer.h"
#include "sok/stemming/language_id.h"

namespace sok {
namespace {

constexpr Xapian::termcount kMaxWildcardTerms = 100;

std::string prefixed(std::string_view prefix, const std::string& term) {
  return std::string(prefix) + term;
}

Xapian::Query any_of(std::vector<Xapian::Query> queries) {
  if (queries.empty()) return Xapian::Query();
  if (queries.size() == 1) return queries.front();
  return Xapian::Query(Xapian::Query::OP_OR, queries.begin(), queries.end());
}

// Words spelled with å, ä or ö, by their spelling without them
// ("malmo" → "malmö"): the fallback for visitors without Swedish letters.
using LetterFolds = std::unordered_multimap<std::string, std::string>;

// `word` with å, ä, ö written a, a, o.
std::string without_swedish_letters(const std::string& word) {
  std::string out;
  for (std::size_t i = 0; i < word.size(); ++i) {
    if (static_cast<unsigned char>(word[i]) == 0xC3 && i + 1 < word.size()) {
      const unsigned char next = static_cast<unsigned char>(word[i + 1]);
      if (next == 0xA5 || next == 0xA4) {  // å ä
        out.push_back('a');
        ++i;
        continue;
      }
      if (next == 0xB6) {  // ö
        out.push_back('o');
        ++i;
        continue;
      }
    }
    out.push_back(word[i]);
  }
  return out;
}

// Words to find in the text (free, or in title, summary or body).
bool is_free_text(const QueryClause& clause) {
  return clause.field.empty() || clause.field == "title" || clause.field == "summary" ||
         clause.field == "body";
}

// Turns clauses into Xapian queries with the analysis chain, in one
// language (the stems differ by language).
class ClauseTranslator {
 public:
  // Adds the terms of the words it translates to `marked` (for highlighting).
  // `folds` maps spellings without å, ä, ö to the index's words with them.
  ClauseTranslator(Analyzer& analyzer, Language language, TermSet& marked, const LetterFolds& folds,
                   const RankingOptions& ranking)
      : analyzer_(analyzer),
        language_(language),
        marked_(marked),
        folds_(folds),
        ranking_(ranking) {}

  // The query for a clause, empty when nothing in it can be searched (stop words only).
  Xapian::Query translate(const QueryClause& clause) {
    const Xapian::Query query = translate_clause(clause);
    if (!clause.excluded && is_free_text(clause)) {
      for (const Token& token : analyzer_.analyze(clause.text, language_).tokens) {
        if (!token.stop) marked_.insert(token.term);
      }
    }
    return query;
  }

 private:
  Xapian::Query translate_clause(const QueryClause& clause) {
    if (clause.field == "tag" || clause.field == "partner" || clause.field == "author")
      return whole_value(clause);
    if (clause.field == "type")
      return Xapian::Query(prefixed(schema::kTypePrefix, lower(clause.text)));
    if (clause.field == "lang")
      return Xapian::Query(prefixed(schema::kLanguagePrefix, lower(clause.text)));
    if (clause.field == "year") return Xapian::Query(prefixed(schema::kYearPrefix, clause.text));
    const std::string_view prefix = clause.field == "title"     ? schema::kTitlePrefix
                                    : clause.field == "summary" ? schema::kSummaryPrefix
                                                                : std::string_view();
    const Analysis analysis = analyzer_.analyze(clause.text, language_);
    if (clause.prefix) return wildcard(analysis, prefix);
    if (clause.kind == QueryClause::Kind::phrase) return phrase(analysis, prefix);
    return words(analysis, prefix);
  }

  static std::string lower(const std::string& s) {
    std::string out = s;
    for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
  }

  // tag:, partner:, author: match the whole folded value, as indexed.
  Xapian::Query whole_value(const QueryClause& clause) {
    const std::string_view prefix = clause.field == "tag"       ? schema::kTagPrefix
                                    : clause.field == "partner" ? schema::kPartnerPrefix
                                                                : schema::kAuthorPrefix;
    return Xapian::Query(prefixed(prefix, folded_value(analyzer_, clause.text, language_)));
  }

  // Each word (or unit) of the clause is required; a word matches its own
  // term or, a little less, all the parts of a compound or unit.
  Xapian::Query words(const Analysis& analysis, std::string_view prefix) {
    std::vector<Xapian::Query> required;
    const auto& tokens = analysis.tokens;
    for (std::size_t i = 0; i < tokens.size(); ++i) {
      if (tokens[i].is_part() || tokens[i].stop) continue;
      std::vector<Xapian::Query> parts;
      std::size_t j = i + 1;
      for (; j < tokens.size() && tokens[j].is_part(); ++j) {
        if (!tokens[j].stop) parts.push_back(Xapian::Query(prefixed(prefix, tokens[j].term)));
      }
      Xapian::Query whole = with_letter_fallback(tokens[i], prefix);
      if (!parts.empty()) {
        const auto op =
            tokens[i].kind == TokenKind::unit ? Xapian::Query::OP_PHRASE : Xapian::Query::OP_AND;
        Xapian::Query together(op, parts.begin(), parts.end());
        whole = Xapian::Query(Xapian::Query::OP_OR, whole,
                              Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, together,
                                            ranking_.compound_parts_weight));
      }
      required.push_back(whole);
    }
    if (required.empty()) return Xapian::Query();
    return Xapian::Query(Xapian::Query::OP_AND, required.begin(), required.end());
  }

  // A word's term, or, weighing much less, the same word with or without
  // å, ä, ö: "malmo" finds "Malmö" below any exact "malmo", and the other way.
  Xapian::Query with_letter_fallback(const Token& token, std::string_view prefix) {
    Xapian::Query exact(prefixed(prefix, token.term));
    if (token.kind != TokenKind::word) return exact;
    std::vector<Xapian::Query> others;
    const std::string plain = without_swedish_letters(token.form);
    if (plain != token.form) {
      others.push_back(Xapian::Query(prefixed(prefix, analyzer_.stem(plain, language_))));
    } else {
      const auto [first, last] = folds_.equal_range(token.form);
      for (auto it = first; it != last; ++it) {
        others.push_back(Xapian::Query(prefixed(prefix, analyzer_.stem(it->second, language_))));
        marked_.insert(analyzer_.stem(it->second, language_));
      }
    }
    if (others.empty()) return exact;
    return Xapian::Query(Xapian::Query::OP_OR, exact,
                         Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, any_of(std::move(others)),
                                       ranking_.letter_fallback_weight));
  }

  // The words in order, stop words left out but their gaps allowed for.
  Xapian::Query phrase(const Analysis& analysis, std::string_view prefix) {
    std::vector<Xapian::Query> terms;
    Xapian::termpos first = 0, last = 0;
    for (const Token& token : analysis.tokens) {
      if (token.stop || token.kind == TokenKind::compound_part) continue;
      if (token.kind == TokenKind::unit) continue;  // its parts follow, one position each
      if (terms.empty()) first = token.position;
      last = token.position;
      terms.push_back(Xapian::Query(prefixed(prefix, token.term)));
    }
    if (terms.size() < 2) return terms.empty() ? Xapian::Query() : terms.front();
    return Xapian::Query(Xapian::Query::OP_PHRASE, terms.begin(), terms.end(), last - first + 1);
  }

  // forskn* matches the index terms that begin with the folded prefix.
  Xapian::Query wildcard(const Analysis& analysis, std::string_view prefix) {
    for (const Token& token : analysis.tokens) {
      if (token.is_part()) continue;
      return Xapian::Query(Xapian::Query::OP_WILDCARD, prefixed(prefix, token.form),
                           kMaxWildcardTerms, Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT);
    }
    return Xapian::Query();
  }

  Analyzer& analyzer_;
  Language language_;
  TermSet& marked_;
  const LetterFolds& folds_;
  const RankingOptions& ranking_;
};

Language other(Language language) {
  return language == Language::en ? Language::sv : Language::en;
}

// The query's clauses combined: AND (or OR where the visitor said OR),
// exclusions removed. `all` false: any positive clause will do.
Xapian::Query combine(const std::vector<QueryClause>& clauses,
                      std::vector<Xapian::Query>& translated, bool all) {
  std::vector<Xapian::Query> groups;
  std::vector<Xapian::Query> excluded;
  std::vector<Xapian::Query> alternatives;
  for (std::size_t i = 0; i < clauses.size(); ++i) {
    if (translated[i].empty()) continue;
    if (clauses[i].excluded) {
      excluded.push_back(translated[i]);
      continue;
    }
    alternatives.push_back(translated[i]);
    if (!clauses[i].or_next) {
      groups.push_back(any_of(std::move(alternatives)));
      alternatives.clear();
    }
  }
  if (!alternatives.empty()) groups.push_back(any_of(std::move(alternatives)));
  Xapian::Query positive;
  if (groups.empty()) {
    // Not Xapian::Query::MatchAll: that one object is shared by every
    // thread, and copying it changes its reference count without a lock.
    positive = Xapian::Query(std::string());
  } else {
    positive = Xapian::Query(all ? Xapian::Query::OP_AND : Xapian::Query::OP_OR, groups.begin(),
                             groups.end());
  }
  if (excluded.empty()) return positive;
  return Xapian::Query(Xapian::Query::OP_AND_NOT, positive, any_of(std::move(excluded)));
}

template <typename T, typename ToTerm>
Xapian::Query filter_of(const std::vector<T>& values, ToTerm to_term) {
  std::vector<Xapian::Query> terms;
  for (const auto& value : values) terms.push_back(Xapian::Query(to_term(value)));
  return any_of(std::move(terms));
}

std::vector<std::string> strings_of(const nlohmann::json& value) {
  std::vector<std::string> out;
  if (value.is_array()) {
    for (const auto& item : value) {
      if (item.is_string()) out.push_back(item.get<std::string>());
    }
  }
  return out;
}

// A hit from its document data; the text snippets are cut from goes to
// `text` when it is given.
Hit hit_of(const Xapian::MSetIterator& it, std::string* text = nullptr) {
  Hit hit;
  hit.score = it.get_weight();
  const auto data = nlohmann::json::parse(it.get_document().get_data(), nullptr, false);
  if (!data.is_object()) return hit;
  hit.id = data.value("id", "");
  hit.url = data.value("url", "");
  hit.title = data.value("title", "");
  hit.summary = data.value("summary", "");
  hit.type = data.value("type", "");
  hit.language = data.value("lang", "");
  hit.published = data.value("published", "");
  hit.tags = strings_of(data.value("tags", nlohmann::json::array()));
  hit.partners = strings_of(data.value("partners", nlohmann::json::array()));
  if (text) *text = data.value("text", "");
  return hit;
}

constexpr std::array<std::string_view, 5> kFacets = {"type", "lang", "year", "tag", "partner"};

Xapian::valueno slot_of_facet(std::string_view facet) {
  if (facet == "type") return schema::kTypeSlot;
  if (facet == "lang") return schema::kLanguageSlot;
  if (facet == "year") return schema::kYearSlot;
  if (facet == "tag") return schema::kTagsSlot;
  return schema::kPartnersSlot;
}

Xapian::doccount matches_of(const Xapian::MSet& mset) {
  return mset.get_matches_estimated();
}

Xapian::BM25Weight bm25(const RankingOptions& ranking) {
  return Xapian::BM25Weight(ranking.bm25_k1, 0, 1, ranking.bm25_b, 0.5);
}

void validate(const SearchRequest& request) {
  for (const auto& facet : request.facets) {
    if (!is_facet(facet)) {
      throw std::invalid_argument("unknown facet \"" + facet +
                                  "\" (allowed: type, lang, year, tag, partner)");
    }
  }
  if (request.size < 1 || request.size > kMaxPageSize) {
    throw std::invalid_argument("size must be between 1 and " + std::to_string(kMaxPageSize));
  }
  if (request.snippet_bytes < kMinSnippetBytes || request.snippet_bytes > kMaxSnippetBytes) {
    throw std::invalid_argument("snippet must be between " + std::to_string(kMinSnippetBytes) +
                                " and " + std::to_string(kMaxSnippetBytes) + " bytes");
  }
  if (request.page < 1 || request.page > 10000)
    throw std::invalid_argument("page must be between 1 and 10000");
  if (request.from && request.to && request.from->sortable() > request.to->sortable()) {
    throw std::invalid_argument("from must not be after to");
  }
}

}  // namespace

// The Swedish words of the spelling list that have å, ä or ö, by their
// spelling without.
LetterFolds letter_folds(const Xapian::Database& db) {
  LetterFolds folds;
  const std::string prefix(schema::kSwedishSpelling);
  for (auto it = db.spellings_begin(); it != db.spellings_end(); ++it) {
    const std::string word = *it;
    if (word.rfind(prefix, 0) != 0) continue;
    const std::string form = word.substr(prefix.size());
    const std::string plain = without_swedish_letters(form);
    if (plain != form) folds.emplace(plain, form);
  }
  return folds;
}

bool is_facet(std::string_view name) {
  return std::find(kFacets.begin(), kFacets.end(), name) != kFacets.end();
}

struct Searcher::Impl {
  std::string dir;
  std::string build;  // the live build when opened
  Xapian::Database db;
  Analyzer analyzer;
  Completions completions;
  LetterFolds folds;
  RankingOptions ranking;

  void open();
  TermSet marked;  // the terms of the current query, to highlight

  Xapian::Query filters(const SearchRequest& r, std::string_view skip = "");
  Hit hit_with_highlights(const Xapian::MSetIterator& it, std::size_t snippet_bytes);
  void execute(const ParsedQuery& parsed, const SearchRequest& request, SearchResponse& response);
  Xapian::Query with_recency(const Xapian::Query& query);
  std::optional<ParsedQuery> spelling_correction(const ParsedQuery& parsed, Language language);
  std::optional<std::string> corrected_word(const std::string& word, Language language);
  std::vector<FacetCount> count_facet(const Xapian::Query& query, const SearchRequest& r,
                                      const std::string& facet);
  Language language_of(const SearchRequest& r) const;
  Xapian::Query query_for(const ParsedQuery& parsed, Language language, bool all);
  std::size_t searchable_words(const ParsedQuery& parsed, Language language);
  struct Page {
    Xapian::doccount first = 0;
    Xapian::doccount size = 0;
  };
  Xapian::MSet matches(Xapian::Enquire& enquire, const Xapian::Query& query,
                       const Xapian::Query& filter, Page page);
  std::vector<Xapian::MSet> all_then_fewer(Xapian::Enquire& enquire, const Xapian::Query& all,
                                           const Xapian::Query& any, const Xapian::Query& filter,
                                           Page page);
  // The query as read: with every word, with any, and how to rank them.
  struct Reading {
    Xapian::Query all, any;
    bool one_tier = false;    // `all` is `any` (one word, or words joined by OR)
    bool long_query = false;  // more words than ranking.all_words_up_to
    bool by_date = false;
  };
  std::vector<Xapian::MSet> ranked(Xapian::Enquire& enquire, const Reading& reading,
                                   const Xapian::Query& filter, Page page);
};

// The query's free-text words that are not stop words in `language` (a
// phrase counts as one).
std::size_t Searcher::Impl::searchable_words(const ParsedQuery& parsed, Language language) {
  std::size_t count = 0;
  for (const auto& clause : parsed.clauses) {
    if (clause.excluded || !is_free_text(clause)) continue;
    std::size_t words = 0;
    for (const Token& token : analyzer.analyze(clause.text, language).tokens)
      words += !token.is_part() && !token.stop;
    count += clause.kind == QueryClause::Kind::phrase ? std::min<std::size_t>(words, 1) : words;
  }
  return count;
}

// All the request's filters but the one of facet `skip` ("" for none).
Xapian::Query Searcher::Impl::filters(const SearchRequest& r, std::string_view skip) {
  std::vector<Xapian::Query> all;
  auto add = [&](std::string_view facet, Xapian::Query q) {
    if (facet != skip && !q.empty()) all.push_back(std::move(q));
  };
  add("lang", filter_of(r.languages, [](Language l) {
        return prefixed(schema::kLanguagePrefix, std::string(language_code(l)));
      }));
  add("type", filter_of(r.types, [](ArticleType t) {
        return prefixed(schema::kTypePrefix, std::string(article_type_name(t)));
      }));
  add("year",
      filter_of(r.years, [](int y) { return prefixed(schema::kYearPrefix, std::to_string(y)); }));
  add("tag", filter_of(r.tags, [&](const std::string& t) {
        return prefixed(schema::kTagPrefix, folded_value(analyzer, t, Language::sv));
      }));
  add("partner", filter_of(r.partners, [&](const std::string& p) {
        return prefixed(schema::kPartnerPrefix, folded_value(analyzer, p, Language::sv));
      }));
  if (r.from || r.to) {
    add("published", Xapian::Query(Xapian::Query::OP_VALUE_RANGE, schema::kPublishedSlot,
                                   r.from ? r.from->sortable() : "00000000",
                                   r.to ? r.to->sortable() : "99999999"));
  }
  if (all.empty()) return Xapian::Query();
  return Xapian::Query(Xapian::Query::OP_AND, all.begin(), all.end());
}

// Exact counts of one facet's values over `query` restricted by every
// filter but the facet's own.
std::vector<FacetCount> Searcher::Impl::count_facet(const Xapian::Query& query,
                                                    const SearchRequest& r,
                                                    const std::string& facet) {
  const Xapian::Query filter = filters(r, facet);
  Xapian::Enquire enquire(db);
  enquire.set_query(filter.empty() ? query
                                   : Xapian::Query(Xapian::Query::OP_FILTER, query, filter));
  ListValueCounter counter(slot_of_facet(facet));
  enquire.add_matchspy(&counter);
  enquire.get_mset(0, 0, db.get_doccount());
  std::vector<FacetCount> counts;
  for (const auto& [value, count] : counter.counts()) counts.push_back({value, count});
  std::stable_sort(counts.begin(), counts.end(),
                   [](const FacetCount& a, const FacetCount& b) { return a.count > b.count; });
  return counts;
}

// A hit from its document data, with the query's words marked in its title
// and in a passage of its text (of its summary when the text has none).
Hit Searcher::Impl::hit_with_highlights(const Xapian::MSetIterator& it, std::size_t snippet_bytes) {
  std::string text;
  Hit hit = hit_of(it, &text);
  const Language language = parse_language(hit.language).value_or(Language::unknown);
  hit.title_html = highlight(analyzer, hit.title, language, marked);
  if (text.empty()) text = hit.summary;
  hit.snippet_html = snippet(analyzer, text, language, marked, snippet_bytes);
  return hit;
}

Language Searcher::Impl::language_of(const SearchRequest& r) const {
  if (r.languages.size() == 1) return r.languages.front();
  const Language identified = identify_language(r.query);
  return identified == Language::unknown ? Language::sv : identified;
}

// The query in `language`, with the other language's reading as a weaker
// alternative: a two-word query is too short to be sure of its language.
Xapian::Query Searcher::Impl::query_for(const ParsedQuery& parsed, Language language, bool all) {
  ClauseTranslator main(analyzer, language, marked, folds, ranking);
  ClauseTranslator second(analyzer, other(language), marked, folds, ranking);
  std::vector<Xapian::Query> mains, seconds;
  for (const auto& clause : parsed.clauses) {
    mains.push_back(main.translate(clause));
    seconds.push_back(second.translate(clause));
  }
  const Xapian::Query first = combine(parsed.clauses, mains, all);
  const Xapian::Query alternative = combine(parsed.clauses, seconds, all);
  if (first.get_description() == alternative.get_description()) return first;
  return Xapian::Query(
      Xapian::Query::OP_OR, first,
      Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, alternative, ranking.other_language_weight));
}

// `query` with a mild boost for recent news that only reorders its matches.
Xapian::Query Searcher::Impl::with_recency(const Xapian::Query& query) {
  if (query.empty() || ranking.recency_weight <= 0) return query;
  auto* source = new RecencySource(schema::kPublishedSlot, RecencySource::today(),
                                   ranking.recency_weight, ranking.recency_half_life_days);
  const Xapian::Query boost(Xapian::Query::OP_FILTER, Xapian::Query(source->release()),
                            Xapian::Query(prefixed(schema::kTypePrefix, "news")));
  return Xapian::Query(Xapian::Query::OP_AND_MAYBE, query, boost);
}

// Opens the live build of `dir` and reads its completions.
void Searcher::Impl::open() {
  Xapian::Database opened;
  const std::string live = IndexFolder::live_build_of(dir);
  try {
    opened = Xapian::Database(dir);
  } catch (const Xapian::Error& e) {
    throw IndexError("cannot open the index " + dir + ": " + e.get_description());
  }
  const std::string version = opened.get_metadata(std::string(schema::kVersionKey));
  if (version != std::to_string(schema::kVersion)) {
    throw IndexError("the index " + dir + " has schema version \"" + version +
                     "\"; this program reads " + std::to_string(schema::kVersion) +
                     " (rebuild it with this indexer)");
  }
  completions = Completions(opened, analyzer);
  folds = letter_folds(opened);
  db = std::move(opened);
  build = live;
}

Searcher::Searcher(const std::string& index_dir, const RankingOptions& ranking)
    : impl_(std::make_unique<Impl>()) {
  impl_->dir = index_dir;
  impl_->ranking = ranking;
  impl_->open();
}

bool Searcher::refresh() {
  if (IndexFolder::live_build_of(impl_->dir) != impl_->build) {
    impl_->open();
    return true;
  }
  try {
    if (!impl_->db.reopen()) return false;
  } catch (const Xapian::Error& e) {
    throw IndexError("cannot reopen the index " + impl_->dir + ": " + e.get_description());
  }
  impl_->completions = Completions(impl_->db, impl_->analyzer);
  impl_->folds = letter_folds(impl_->db);
  return true;
}

IndexInfo Searcher::info() const {
  IndexInfo info;
  info.documents = impl_->db.get_doccount();
  const std::string build_name = impl_->build.substr(impl_->build.find_last_of('/') + 1);
  info.revision = build_name + "#" + std::to_string(impl_->db.get_revision());
  info.built_at = impl_->db.get_metadata(std::string(schema::kBuiltAtKey));
  info.updated_at = impl_->db.get_metadata(std::string(schema::kUpdatedAtKey));
  return info;
}

std::vector<Suggestion> Searcher::suggest(std::string_view typed, Language language,
                                          std::size_t limit) {
  const Analysis analysis =
      impl_->analyzer.analyze(typed, language == Language::unknown ? Language::sv : language);
  std::string all, last;
  for (const Token& token : analysis.tokens) {
    if (token.is_part()) continue;
    all += (all.empty() ? "" : " ") + token.form;
    last = token.form;
  }
  if (last.empty()) return {};
  // Names and tags of several words complete on everything typed
  // ("karolinska inst"); words on the last one.
  std::vector<Suggestion> out;
  if (all != last) out = impl_->completions.complete(all, language, limit);
  for (auto& suggestion : impl_->completions.complete(last, language, limit)) {
    if (out.size() >= limit) break;
    out.push_back(std::move(suggestion));
  }
  return out;
}

std::optional<Hit> Searcher::document(const std::string& id) {
  const std::string term = std::string(schema::kIdPrefix) + id;
  Xapian::Enquire enquire(impl_->db);
  enquire.set_query(Xapian::Query(term));
  const Xapian::MSet mset = enquire.get_mset(0, 1);
  if (mset.empty()) return std::nullopt;
  return hit_of(mset.begin());
}

Searcher::~Searcher() = default;
Searcher::Searcher(Searcher&&) noexcept = default;
Searcher& Searcher::operator=(Searcher&&) noexcept = default;

std::size_t Searcher::documents() const {
  return impl_->db.get_doccount();
}

SearchResponse Searcher::search(const SearchRequest& request) {
  validate(request);
  SearchResponse response;
  const ParsedQuery parsed = parse_query_syntax(request.query);
  response.notes = parsed.notes;
  response.query_language = impl_->language_of(request);
  impl_->execute(parsed, request, response);
  const std::optional<ParsedQuery> correction =
      impl_->spelling_correction(parsed, response.query_language);
  if (!correction) return response;
  SearchResponse corrected;
  corrected.query_language = response.query_language;
  impl_->execute(*correction, request, corrected);
  if (corrected.total == 0) return response;
  const std::string suggestion = query_text(*correction);
  if (response.total > 0) {
    response.suggestion = suggestion;
    return response;
  }
  corrected.notes = parsed.notes;
  corrected.notes.push_back("no article matches \"" + request.query + "\": showing results for \"" +
                            suggestion + "\"");
  corrected.suggestion = suggestion;
  corrected.corrected = true;
  return corrected;
}

// Runs `parsed` with the request's filters, paging and facets into `response`.
void Searcher::Impl::execute(const ParsedQuery& parsed, const SearchRequest& request,
                             SearchResponse& response) {
  marked.clear();
  Xapian::Enquire enquire(db);
  enquire.set_weighting_scheme(bm25(ranking));
  Reading reading;
  reading.by_date = parsed.clauses.empty() || request.sort != SortOrder::relevance;
  if (reading.by_date) {
    enquire.set_sort_by_value_then_relevance(schema::kPublishedSlot,
                                             request.sort != SortOrder::oldest);
  }
  reading.all = query_for(parsed, response.query_language, true);
  reading.any = query_for(parsed, response.query_language, false);
  reading.one_tier = reading.all.get_description() == reading.any.get_description();
  reading.long_query = searchable_words(parsed, response.query_language) > ranking.all_words_up_to;
  const Xapian::Query filter = filters(request);
  const Page page{static_cast<Xapian::doccount>((request.page - 1) * request.size),
                  static_cast<Xapian::doccount>(request.size)};
  const std::vector<Xapian::MSet> tiers = ranked(enquire, reading, filter, page);
  const bool all_words_wanted = !reading.long_query && !reading.one_tier;
  response.relaxed = all_words_wanted && matches_of(tiers.front()) == 0 && !tiers.back().empty();
  if (response.relaxed) {
    response.notes.push_back("no article has all the words: showing those with most of them");
  }
  const Xapian::Query& read = all_words_wanted && !response.relaxed ? reading.all : reading.any;
  response.understood = read.get_description();
  response.total_exact = true;
  for (const Xapian::MSet& tier : tiers) {
    response.total += matches_of(tier);
    response.total_exact =
        response.total_exact && tier.get_matches_lower_bound() == tier.get_matches_upper_bound();
    for (auto it = tier.begin(); it != tier.end(); ++it) {
      response.hits.push_back(request.highlights ? hit_with_highlights(it, request.snippet_bytes)
                                                 : hit_of(it));
    }
  }
  for (const auto& facet : request.facets)
    response.facets.emplace_back(facet, count_facet(read, request, facet));
}

// One page of the reading's matches, in one tier or two: a long query's
// articles with any word, ranked; a shorter one's with every word and then,
// ranked apart and after them, those with fewer (sorted by date: those with
// fewer only when none has every word).
std::vector<Xapian::MSet> Searcher::Impl::ranked(Xapian::Enquire& enquire, const Reading& reading,
                                                 const Xapian::Query& filter, Page page) {
  if (reading.long_query || reading.one_tier) return {matches(enquire, reading.any, filter, page)};
  if (!reading.by_date) return all_then_fewer(enquire, reading.all, reading.any, filter, page);
  Xapian::MSet with_all = matches(enquire, reading.all, filter, page);
  if (!with_all.empty()) return {with_all};
  return {matches(enquire, reading.any, filter, page)};
}

// One page of `query`'s matches with the filter and the recency boost;
// counts exactly up to kExactTotalUpTo matches (a visitor sees "24 hits"
// beside facet counts that add up to 24, not "about 30"), estimates beyond.
// An empty page (a tier wanted for its count only) is estimated at once.
Xapian::MSet Searcher::Impl::matches(Xapian::Enquire& enquire, const Xapian::Query& query,
                                     const Xapian::Query& filter, Page page) {
  Xapian::Query boosted = with_recency(query);
  if (!filter.empty()) boosted = Xapian::Query(Xapian::Query::OP_FILTER, boosted, filter);
  enquire.set_query(boosted);
  constexpr Xapian::doccount kExactTotalUpTo = 1000;
  const Xapian::doccount check =
      page.size == 0 ? 0 : std::max(page.first + page.size, kExactTotalUpTo);
  return enquire.get_mset(page.first, page.size, check);
}

// The articles with every word, then those with fewer, each tier ranked on
// its own: one page across the two.
std::vector<Xapian::MSet> Searcher::Impl::all_then_fewer(Xapian::Enquire& enquire,
                                                         const Xapian::Query& all,
                                                         const Xapian::Query& any,
                                                         const Xapian::Query& filter, Page page) {
  Xapian::MSet first = matches(enquire, all, filter, page);
  const Xapian::doccount with_all = matches_of(first);  // exact when the page reaches past it
  const Page rest{page.first > with_all ? page.first - with_all : 0, page.size - first.size()};
  Xapian::MSet fewer =
      matches(enquire, Xapian::Query(Xapian::Query::OP_AND_NOT, any, all), filter, rest);
  return {std::move(first), std::move(fewer)};
}

// The query with each word the index does not know replaced by the closest
// word of the spelling list (one typo in words of 5–8 letters, two from 9),
// in the query's language first; nullopt when every word is known or none
// can be corrected.
std::optional<ParsedQuery> Searcher::Impl::spelling_correction(const ParsedQuery& parsed,
                                                               Language language) {
  ParsedQuery corrected = parsed;
  bool changed = false;
  for (QueryClause& clause : corrected.clauses) {
    if (clause.kind != QueryClause::Kind::word || clause.prefix || clause.excluded ||
        !is_free_text(clause)) {
      continue;
    }
    if (auto better = corrected_word(clause.text, language)) {
      clause.text = *better;
      changed = true;
    }
  }
  return changed ? std::optional<ParsedQuery>(corrected) : std::nullopt;
}

std::optional<std::string> Searcher::Impl::corrected_word(const std::string& word,
                                                          Language language) {
  const Analysis analysis = analyzer.analyze(word, language);
  if (analysis.tokens.size() != 1 || analysis.tokens[0].kind != TokenKind::word ||
      analysis.tokens[0].stop) {
    return std::nullopt;
  }
  const Token& token = analysis.tokens[0];
  if (db.term_exists(token.term) || db.term_exists(analyzer.stem(token.form, other(language))))
    return std::nullopt;
  std::size_t letters = 0;
  for (unsigned char c : token.form) letters += (c & 0xC0) != 0x80;
  if (letters < 5) return std::nullopt;
  const unsigned max_edits = letters >= 9 ? 2 : 1;
  for (Language l : {language, other(language)}) {
    const std::string_view prefix =
        l == Language::sv ? schema::kSwedishSpelling : schema::kEnglishSpelling;
    const std::string suggestion =
        db.get_spelling_suggestion(std::string(prefix) + token.form, max_edits);
    if (suggestion.size() > prefix.size()) return suggestion.substr(prefix.size());
  }
  return std::nullopt;
}

}  // namespace sok
