#include "sok/index/searcher.h"

#include <xapian.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <map>
#include <memory>
#include <stdexcept>
#include <unordered_map>
#include <unordered_set>

#include "completions.h"
#include "facets.h"
#include "index_folder.h"
#include "recency.h"
#include "sok/index/document_builder.h"
#include "sok/index/index_error.h"
#include "sok/index/query_syntax.h"
#include "sok/index/schema.h"
#include "sok/index/shards.h"
#include "sok/index/snippet.h"
#include "sok/stemming/analyzer.h"
#include "sok/stemming/language_id.h"
#include "sok/stemming/stop_words.h"

namespace sok {
namespace {

constexpr Xapian::termcount kMaxWildcardTerms = 100;
// A search's matches are counted exactly up to this many, unless its facets
// count them all (Searcher::Impl::matches()).
constexpr Xapian::doccount kExactTotalUpTo = 1000;

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
// The folded values of the whole-value fields (tags, partners, authors) in
// the index, by their term prefix.
using WholeValues = std::unordered_map<std::string_view, std::vector<std::string>>;

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

// Whether the visitor asked in words ("Vad gör en platschef?", "how do
// cells divide"): the query ends with a question mark or begins with an
// interrogative of either language.
bool phrased_as_question(const ParsedQuery& parsed, Analyzer& analyzer, Language language) {
  if (parsed.clauses.empty()) return false;
  const std::string& last = parsed.clauses.back().text;
  if (!last.empty() && last.back() == '?') return true;
  const Analysis first = analyzer.analyze(parsed.clauses.front().text, language);
  return !first.tokens.empty() && is_interrogative(first.tokens.front().form, Language::unknown);
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
  // `parts_alone`: the parts of a compound or unit count one by one (in a
  // question, which matches any of its words).
  // `values`: what tag:, partner: and author: clauses may match.
  // `together`: the parts of its compounds, to mark only near each other
  // where they match only so (not in a question).
  ClauseTranslator(Analyzer& analyzer, Language language, TermSet& marked, PartGroups& together,
                   const LetterFolds& folds, const WholeValues& values,
                   const RankingOptions& ranking, bool parts_alone)
      : analyzer_(analyzer),
        language_(language),
        marked_(marked),
        together_(together),
        folds_(folds),
        values_(values),
        ranking_(ranking),
        parts_alone_(parts_alone) {}

  // The query for a clause, empty when nothing in it can be searched (stop words only).
  Xapian::Query translate(const QueryClause& clause) {
    const Xapian::Query query = translate_clause(clause);
    if (!clause.excluded && is_free_text(clause)) mark(clause);
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

  // Adds what the clause's words match to the terms to mark: its words and,
  // as they match (see parts_together()), their parts: alone in a question,
  // near each other otherwise, not at all for a prefix (whole words).
  void mark(const QueryClause& clause) {
    std::vector<std::string> parts;
    auto end_of_word = [&] {
      if (parts.size() > 1) together_.push_back(std::move(parts));
      parts.clear();
    };
    for (const Token& token : analyzer_.analyze(clause.text, language_).tokens) {
      if (!token.is_part()) end_of_word();
      if (token.stop || (token.is_part() && clause.prefix)) continue;
      if (token.is_part() && !parts_alone_) {
        parts.push_back(token.term);
      } else {
        marked_.insert(token.term);
      }
    }
    end_of_word();
  }

  // tag:, partner:, author: match each value that has the clause's words
  // in a row ("partner:karolinska" finds "Karolinska Institutet" and
  // "Karolinska Universitetssjukhuset"), folded as indexed.
  Xapian::Query whole_value(const QueryClause& clause) {
    const std::string_view prefix = clause.field == "tag"       ? schema::kTagPrefix
                                    : clause.field == "partner" ? schema::kPartnerPrefix
                                                                : schema::kAuthorPrefix;
    const std::string words = folded_value(analyzer_, clause.text, language_);
    std::vector<Xapian::Query> matches;
    if (const auto values = values_.find(prefix); values != values_.end() && !words.empty()) {
      for (const std::string& value : values->second) {
        if (has_words_in_a_row(value, words)) matches.emplace_back(prefixed(prefix, value));
      }
    }
    if (matches.empty()) return Xapian::Query(prefixed(prefix, words));
    return Xapian::Query(Xapian::Query::OP_OR, matches.begin(), matches.end());
  }

  // Whether the space-separated `words` are whole words of `value`, in a row.
  static bool has_words_in_a_row(const std::string& value, const std::string& words) {
    for (std::size_t at = value.find(words); at != std::string::npos;
         at = value.find(words, at + 1)) {
      const std::size_t end = at + words.size();
      if ((at == 0 || value[at - 1] == ' ') && (end == value.size() || value[end] == ' '))
        return true;
    }
    return false;
  }

  // Each word (or unit) of the clause is required; a word matches its own
  // term or, a little less, the parts of a compound or unit (parts_together()).
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
        whole = Xapian::Query(
            Xapian::Query::OP_OR, whole,
            Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, parts_together(tokens[i], parts),
                          ranking_.compound_parts_weight));
      }
      required.push_back(whole);
    }
    if (required.empty()) return Xapian::Query();
    return Xapian::Query(Xapian::Query::OP_AND, required.begin(), required.end());
  }

  // A compound's or unit's parts as they stand for the whole word: in a
  // question each part on its own ("shock-sound" asks about sound too);
  // otherwise all of them, a unit's in order ("covid 19") and a compound's
  // near each other ("chef på plats" for "platschef", not "plats" in one
  // paragraph and "chef" in another).
  Xapian::Query parts_together(const Token& whole, const std::vector<Xapian::Query>& parts) const {
    if (parts_alone_) return Xapian::Query(Xapian::Query::OP_OR, parts.begin(), parts.end());
    if (whole.kind == TokenKind::unit)
      return Xapian::Query(Xapian::Query::OP_PHRASE, parts.begin(), parts.end());
    return Xapian::Query(Xapian::Query::OP_NEAR, parts.begin(), parts.end(),
                         parts.size() + kCompoundPartsSlack);
  }

  // A word's term, or, weighing much less, the same word with or without
  // å, ä, ö: "malmo" finds "Malmö" below any exact "malmo", and the other way.
  Xapian::Query with_letter_fallback(const Token& token, std::string_view prefix) {
    Xapian::Query exact = with_exact_form(token, prefix);
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

  // A word's term and, in free text, a bonus for the articles that have the
  // form it was typed in as an inflection (schema::kExactPrefix). Asked for
  // even when the form is its stem in this reading: in the other language it
  // may be an inflection ("information" of "inform").
  Xapian::Query with_exact_form(const Token& token, std::string_view prefix) {
    Xapian::Query stem(prefixed(prefix, token.term));
    if (token.kind != TokenKind::word || !prefix.empty() || ranking_.exact_form_weight <= 0) {
      return stem;
    }
    const Xapian::Query form(prefixed(schema::kExactPrefix, token.form));
    return Xapian::Query(
        Xapian::Query::OP_OR, stem,
        Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, form, ranking_.exact_form_weight));
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

  // Positions a compound's parts may stand apart beyond their number.
  static constexpr Xapian::termcount kCompoundPartsSlack = 3;

  Analyzer& analyzer_;
  Language language_;
  TermSet& marked_;
  PartGroups& together_;
  const LetterFolds& folds_;
  const WholeValues& values_;
  const RankingOptions& ranking_;
  bool parts_alone_;
};

// The free-text terms of an article (unprefixed: schema.h), which
// pseudo-relevance feedback may add to a question: not its id, fields or
// exact forms.
class FreeTextTerms : public Xapian::ExpandDecider {
 public:
  bool operator()(const std::string& term) const override {
    return !term.empty() && !(term.front() >= 'A' && term.front() <= 'Z');
  }
};

Language other(Language language) {
  return language == Language::en ? Language::sv : Language::en;
}

// The id term of `document`, "" when it has none.
std::string id_term_of(const Xapian::Database& db, Xapian::docid document) {
  Xapian::TermIterator term = db.termlist_begin(document);
  term.skip_to(std::string(schema::kIdPrefix));
  if (term == db.termlist_end(document) || (*term).rfind(schema::kIdPrefix, 0) != 0) return "";
  return *term;
}

// An article hidden as another's duplicate: its content hash and id term.
struct Duplicate {
  std::string hash;
  std::string id_term;
};

// The articles of each page that more than one article is of, by page.
// Locally read from one pass over the value stream; a remote shard's value
// stream costs an exchange a document, so each such page is asked for.
std::map<std::string, std::vector<Xapian::docid>> pages_given_twice(const Xapian::Database& db,
                                                                    bool remote) {
  std::map<std::string, std::vector<Xapian::docid>> articles;
  for (const auto& [page, count] : value_counts(db, schema::kPageSlot, remote)) {
    if (count > 1) articles[page];
  }
  if (articles.empty()) return articles;
  if (!remote) {
    for (auto it = db.valuestream_begin(schema::kPageSlot);
         it != db.valuestream_end(schema::kPageSlot); ++it) {
      const auto page = articles.find(*it);
      if (page != articles.end()) page->second.push_back(it.get_docid());
    }
    return articles;
  }
  for (auto& [page, documents] : articles) {
    Xapian::Enquire enquire(db);
    enquire.set_query(Xapian::Query(Xapian::Query::OP_VALUE_RANGE, schema::kPageSlot, page, page));
    const Xapian::MSet found = enquire.get_mset(0, db.get_doccount());
    for (auto it = found.begin(); it != found.end(); ++it) documents.push_back(*it);
  }
  return articles;
}

// The articles that another article of the same page (schema::kPageSlot)
// stands for: of each page given by two sources or more, all but the most
// recently updated (then published), by smallest id among equals.
std::vector<Duplicate> duplicate_articles(const Xapian::Database& db, bool remote) {
  std::vector<Duplicate> hidden;
  for (const auto& [page, documents] : pages_given_twice(db, remote)) {
    struct Dated {
      std::string date;  // updated, else published
      Duplicate article;
    };
    std::vector<Dated> dated;
    for (const Xapian::docid document : documents) {
      const Xapian::Document doc = db.get_document(document);
      std::string date = doc.get_value(schema::kUpdatedSlot);
      if (date.empty()) date = doc.get_value(schema::kPublishedSlot);
      dated.push_back(
          {std::move(date), {doc.get_value(schema::kHashSlot), id_term_of(db, document)}});
    }
    // The one to keep last.
    std::sort(dated.begin(), dated.end(), [](const Dated& a, const Dated& b) {
      return a.date != b.date ? a.date < b.date : a.article.id_term > b.article.id_term;
    });
    for (std::size_t i = 0; i + 1 < dated.size(); ++i) hidden.push_back(dated[i].article);
  }
  return hidden;
}

// Lets through the articles whose content hash (schema::kHashSlot, which
// covers the id) is not in `hidden`. By hash, not document id: a match
// decider sees the ids of each shard apart. Local shards only: a match
// decider cannot go to a remote one.
class NotHidden : public Xapian::MatchDecider {
 public:
  explicit NotHidden(std::unordered_set<std::string> hidden) : hidden_(std::move(hidden)) {}
  bool operator()(const Xapian::Document& doc) const override {
    return hidden_.count(doc.get_value(schema::kHashSlot)) == 0;
  }

 private:
  std::unordered_set<std::string> hidden_;
};

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

// The string at `key` of a parsed object, moved out of it; empty when
// there is none.
std::string take_string(nlohmann::json& object, const char* key) {
  const auto it = object.find(key);
  if (it == object.end() || !it->is_string()) return {};
  return std::move(it->get_ref<std::string&>());
}

std::vector<std::string> take_strings(nlohmann::json& object, const char* key) {
  std::vector<std::string> out;
  const auto it = object.find(key);
  if (it == object.end() || !it->is_array()) return out;
  for (auto& item : *it) {
    if (item.is_string()) out.push_back(std::move(item.get_ref<std::string&>()));
  }
  return out;
}

// A hit from its document data; the text snippets are cut from goes to
// `text` when it is given.
Hit hit_of(const Xapian::MSetIterator& it, std::string* text = nullptr) {
  Hit hit;
  hit.score = it.get_weight();
  auto data = nlohmann::json::parse(it.get_document().get_data(), nullptr, false);
  if (!data.is_object()) return hit;
  hit.id = take_string(data, "id");
  hit.url = take_string(data, "url");
  hit.title = take_string(data, "title");
  hit.summary = take_string(data, "summary");
  hit.type = take_string(data, "type");
  hit.language = take_string(data, "lang");
  hit.published = take_string(data, "published");
  hit.tags = take_strings(data, "tags");
  hit.partners = take_strings(data, "partners");
  if (text) *text = take_string(data, "text");
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

// BM25 over wdf counted in schema::kWholeWordScale units a word: k1 is
// scaled alike, so ranking.bm25_k1 means what it says.
Xapian::BM25Weight bm25(const RankingOptions& ranking) {
  return Xapian::BM25Weight(ranking.bm25_k1 * schema::kWholeWordScale, 0, 1, ranking.bm25_b, 0.5);
}

// How many times larger bm25()'s weights are than those of BM25 over one wdf
// a word: the recency boost, added to them, is scaled alike.
double bm25_scale(const RankingOptions& ranking) {
  return (ranking.bm25_k1 * schema::kWholeWordScale + 1) / (ranking.bm25_k1 + 1);
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

using Clock = std::chrono::steady_clock;

// One shard of the index: a local folder or a remote one.
struct Shard {
  std::string location;  // the folder, or tcp://HOST:PORT
  std::optional<RemoteShard> remote;
  std::string build;  // local: the live build when opened
  Xapian::Database db;
  bool up = false;
  Clock::time_point retry_at{};
  std::chrono::milliseconds backoff{0};
};

// The shards of `locations`: a sharded folder gives its shard folders.
std::vector<Shard> shards_of(const std::vector<std::string>& locations) {
  std::vector<Shard> shards;
  for (const auto& location : locations) {
    if (location.rfind("tcp://", 0) == 0) {
      const auto remote = parse_remote_shard(location);
      if (!remote) {
        throw IndexError("the index " + location + " is not a tcp://HOST:PORT address");
      }
      shards.push_back(Shard{location, remote, "", {}, false, {}, {}});
      continue;
    }
    const auto folders = shard_dirs(location);
    if (folders.empty()) shards.push_back(Shard{location, std::nullopt, "", {}, false, {}, {}});
    for (const auto& folder : folders)
      shards.push_back(Shard{folder, std::nullopt, "", {}, false, {}, {}});
  }
  if (shards.empty()) throw IndexError("no index to search");
  return shards;
}

std::vector<std::string> locations_of(const std::vector<Shard>& shards) {
  std::vector<std::string> out;
  for (const auto& shard : shards) out.push_back(shard.location);
  return out;
}

// Opens `shard`: "" when it is up, else why not. Throws IndexError when its
// schema version is not this program's.
std::string open_shard(Shard& shard, const ShardOptions& options) {
  Xapian::Database opened;
  std::string build, version;
  try {
    if (shard.remote) {
      opened = Xapian::Remote::open(shard.remote->host, shard.remote->port,
                                    static_cast<unsigned>(options.timeout.count()),
                                    static_cast<unsigned>(options.connect_timeout.count()));
    } else {
      build = IndexFolder::live_build_of(shard.location);
      opened = Xapian::Database(shard.location);
    }
    version = opened.get_metadata(std::string(schema::kVersionKey));
  } catch (const Xapian::Error& e) {
    return "cannot open the index " + shard.location + ": " + e.get_description();
  }
  if (version != std::to_string(schema::kVersion)) {
    throw IndexError("the index " + shard.location + " has schema version \"" + version +
                     "\"; this program reads " + std::to_string(schema::kVersion) +
                     " (rebuild it with this indexer)");
  }
  shard.db = std::move(opened);
  shard.build = build;
  shard.up = true;
  shard.backoff = std::chrono::milliseconds(0);
  return "";
}

// The published dates of the news articles of `db`: all the dates the
// recency boost is asked about.
std::vector<std::string> dates_of_news(const Xapian::Database& db) {
  Xapian::Enquire enquire(db);
  enquire.set_query(Xapian::Query(prefixed(schema::kTypePrefix, "news")));
  Xapian::ValueCountMatchSpy spy(schema::kPublishedSlot);
  enquire.add_matchspy(&spy);
  enquire.get_mset(0, 0, db.get_doccount());
  std::vector<std::string> dates;
  for (auto it = spy.values_begin(); it != spy.values_end(); ++it) dates.push_back(*it);
  return dates;
}

// One article's position lists, each read once.
class ArticlePositions {
 public:
  ArticlePositions(const Xapian::Database& db, Xapian::docid document)
      : db_(db), document_(document) {}

  const std::vector<Xapian::termpos>& of(const std::string& term) {
    auto [at, added] = lists_.try_emplace(term);
    if (added) {
      for (auto p = db_.positionlist_begin(document_, term);
           p != db_.positionlist_end(document_, term); ++p) {
        at->second.push_back(*p);
      }
    }
    return at->second;
  }

 private:
  const Xapian::Database& db_;
  Xapian::docid document_;
  std::unordered_map<std::string, std::vector<Xapian::termpos>> lists_;
};

// A word of a question as one reading of it matches it.
struct QuestionTerm {
  std::string term;
  Xapian::termpos position = 0;  // in the question
  double rarity = 1;             // its idf over the highest idf there can be
};

// The largest share of the rarity of `terms` (each once) that one passage
// of `window` positions of the article holds.
double best_passage_share(ArticlePositions& positions, const std::vector<QuestionTerm>& terms,
                          Xapian::termpos window) {
  double total = 0;
  std::vector<std::pair<Xapian::termpos, std::size_t>> found;  // (position, term)
  for (std::size_t t = 0; t < terms.size(); ++t) {
    total += terms[t].rarity;
    for (const Xapian::termpos at : positions.of(terms[t].term)) found.push_back({at, t});
  }
  if (total <= 0) return 0;
  std::sort(found.begin(), found.end());
  // A passage from found[from] to found[to]: how often it has each term.
  std::vector<unsigned> times(terms.size(), 0);
  double held = 0, best = 0;
  for (std::size_t from = 0, to = 0; to < found.size(); ++to) {
    if (times[found[to].second]++ == 0) held += terms[found[to].second].rarity;
    while (from < to && found[to].first - found[from].first >= window) {
      if (--times[found[from].second] == 0) held -= terms[found[from].second].rarity;
      ++from;
    }
    best = std::max(best, held);
  }
  return best / total;
}

}  // namespace

std::optional<RemoteShard> parse_remote_shard(std::string_view location) {
  constexpr std::string_view kScheme = "tcp://";
  if (location.substr(0, kScheme.size()) != kScheme) return std::nullopt;
  const std::string_view rest = location.substr(kScheme.size());
  const std::size_t colon = rest.rfind(':');
  if (colon == std::string_view::npos || colon == 0) return std::nullopt;
  std::string_view host = rest.substr(0, colon);
  const std::string_view port = rest.substr(colon + 1);
  if (host.front() == '[') {
    if (host.size() < 3 || host.back() != ']') return std::nullopt;
    host = host.substr(1, host.size() - 2);
  }
  if (host.find_first_of("/[]@ ") != std::string_view::npos) return std::nullopt;
  if (port.empty() || port.size() > 5 ||
      port.find_first_not_of("0123456789") != std::string_view::npos)
    return std::nullopt;
  const unsigned number = static_cast<unsigned>(std::stoul(std::string(port)));
  if (number < 1 || number > 65535) return std::nullopt;
  return RemoteShard{std::string(host), number};
}

// The Swedish words of the spelling list that have å, ä or ö, by their
// spelling without.
LetterFolds letter_folds(const Xapian::Database& db) {
  LetterFolds folds;
  for (auto it = db.spellings_begin(); it != db.spellings_end(); ++it) {
    const std::string word = *it;
    if (schema::spelling_mark(word) != schema::kSwedishSpelling) continue;
    const std::string form = schema::spelling_form(word);
    const std::string plain = without_swedish_letters(form);
    if (plain != form) folds.emplace(plain, form);
  }
  return folds;
}

WholeValues whole_values_of(const Xapian::Database& db) {
  WholeValues values;
  for (const std::string_view prefix :
       {schema::kTagPrefix, schema::kPartnerPrefix, schema::kAuthorPrefix}) {
    std::vector<std::string>& list = values[prefix];
    const std::string start(prefix);
    for (auto it = db.allterms_begin(start); it != db.allterms_end(start); ++it)
      list.push_back((*it).substr(prefix.size()));
  }
  return values;
}

// Whether `query` holds a NEAR or a PHRASE.
bool has_positions(const Xapian::Query& query) {
  const auto type = query.get_type();
  if (type == Xapian::Query::OP_NEAR || type == Xapian::Query::OP_PHRASE) return true;
  for (std::size_t i = 0; i < query.get_num_subqueries(); ++i) {
    if (has_positions(query.get_subquery(i))) return true;
  }
  return false;
}

// `query` restricted to the articles `filter` matches, weighing as without
// it. Under OP_FILTER, Xapian 1.4 adds the weight of a NEAR or PHRASE inside
// an OR for articles whose positions it has not checked: "cell NEAR terapi"
// (a compound's parts) for every article with "cellterapi", the parts at
// one position, and a ranking that stops early drops them instead. Such a
// query is filtered by an AND_NOT of what the filter leaves out, which
// checks them; it reads every match of the query, where OP_FILTER follows
// a rare filter's few articles, so other queries keep OP_FILTER.
Xapian::Query filtered(const Xapian::Query& query, const Xapian::Query& filter) {
  if (filter.empty()) return query;
  if (!has_positions(query)) return Xapian::Query(Xapian::Query::OP_FILTER, query, filter);
  return Xapian::Query(Xapian::Query::OP_AND_NOT, query,
                       Xapian::Query(Xapian::Query::OP_AND_NOT, Xapian::Query::MatchAll, filter));
}

// Whether `query` matches every document: a match-all leaf, or an OR, an
// AND_MAYBE's left side or a scaled query that holds one.
bool matches_every_document(const Xapian::Query& query) {
  switch (query.get_type()) {
    case Xapian::Query::LEAF_MATCH_ALL:
      return true;
    case Xapian::Query::OP_OR:
      for (std::size_t i = 0; i < query.get_num_subqueries(); ++i) {
        if (matches_every_document(query.get_subquery(i))) return true;
      }
      return false;
    case Xapian::Query::OP_AND_MAYBE:
    case Xapian::Query::OP_SCALE_WEIGHT:
      return matches_every_document(query.get_subquery(0));
    default:
      return false;
  }
}

bool is_facet(std::string_view name) {
  return std::find(kFacets.begin(), kFacets.end(), name) != kFacets.end();
}

struct Searcher::Impl {
  std::vector<std::string> locations;  // as given
  ShardOptions shard_options;
  std::vector<Shard> shards;  // of `locations`
  // `db` and what is read from it must be made again from the shards up.
  bool stale = true;
  Xapian::Database db;  // the shards up, as one
  Analyzer analyzer;
  Completions completions;
  LetterFolds folds;
  WholeValues whole_values;
  RankingOptions ranking;
  // With a remote shard up: the dates the recency boost's value map needs.
  std::vector<std::string> news_dates;
  // The articles of a page that another article of it stands for, left
  // out of every search so that a visitor sees each page once: by a match
  // decider, which costs a lookup a match; with a remote shard up, by
  // their id terms, which cost each search a posting list apiece.
  std::unique_ptr<NotHidden> not_duplicate;  // null: none, or a remote shard up
  Xapian::Query duplicate_ids;               // empty but with a remote shard up
  Xapian::Query without_duplicates(const Xapian::Query& query) const;
  bool remote_up = false;

  void open();
  void join_shards();
  void mark_down(Shard& shard, const std::string& why);
  void reconnect_remotes();
  bool retry_due();
  bool refresh_shard(Shard& shard);
  std::size_t shards_down() const;
  // Runs `f` over the shards up; when a remote shard fails (Xapian's whole
  // search fails with it) the remote shards are reconnected, those that
  // fail left out, and `f` runs again over the rest.
  template <typename F>
  auto with_failover(F f) -> decltype(f());
  SearchResponse search(const SearchRequest& request);
  TermSet marked;       // the terms of the current query, to highlight
  PartGroups together;  // and the parts of its words to highlight near each other

  Xapian::Query filters(const SearchRequest& r, std::string_view skip = "");
  Hit hit_with_highlights(const Xapian::MSetIterator& it, std::size_t snippet_bytes);
  void execute(const ParsedQuery& parsed, const SearchRequest& request, SearchResponse& response);
  Xapian::Query with_recency(const Xapian::Query& query);
  // Two words of a question and how far apart it has them (positions).
  struct WordPair {
    std::string first;
    std::string second;
    Xapian::termpos gap = 1;
    double rarity = 1;  // of the commoner word: its idf over the highest idf there can be
  };
  // What the proximity and passage boosts look for in an article.
  struct QuestionWords {
    std::vector<WordPair> pairs;  // none when the proximity boost is off
    // The words of each reading of the question (see query_for()), each
    // once; none when the passage boost is off.
    std::vector<std::vector<QuestionTerm>> passages;
    bool empty() const { return pairs.empty() && passages.empty(); }
  };
  std::vector<QuestionTerm> question_terms(const ParsedQuery& parsed, Language reading);
  QuestionWords question_words(const ParsedQuery& parsed, Language language);
  static void add_passage_words(const std::vector<QuestionTerm>& terms,
                                std::vector<std::vector<QuestionTerm>>& passages);
  void add_pairs(const std::vector<QuestionTerm>& terms, std::vector<WordPair>& pairs);
  std::optional<ParsedQuery> spelling_correction(const ParsedQuery& parsed, Language language);
  std::optional<std::string> corrected_word(const std::string& word, Language language);
  std::optional<std::string> two_words_of(const std::string& form, Language language) const;
  using FacetCounts = std::unordered_map<std::string, std::vector<FacetCount>>;
  std::vector<std::pair<std::string, std::vector<FacetCount>>> count_facets(
      const Xapian::Query& query, const SearchRequest& r, std::optional<Xapian::doccount>& matches);
  Xapian::doccount count_values(const Xapian::Query& query, const Xapian::Query& filter,
                                const std::vector<std::string>& facets, FacetCounts& out);
  // Per facet, its whole values' counts over one pass; and the matches.
  struct ValueCounts {
    std::vector<std::map<std::string, std::size_t>> per_facet;
    Xapian::doccount matches = 0;
  };
  ValueCounts value_counts_of(const Xapian::Query& query, const std::vector<std::string>& facets);
  std::vector<FacetCount> counts_of(const std::map<std::string, std::size_t>& values,
                                    const std::string& facet);
  // Tags and partners as their filters match them: folded (folded_value()),
  // each folded once per state of `db`.
  std::unordered_map<std::string, std::string> folded_items;
  const std::string& folded_item(const std::string& item);
  // A facet's counts over the whole index (for a query of stop words only,
  // or none, unfiltered): counted once per state of `db`.
  FacetCounts whole_index_facets;
  Xapian::doccount whole_index_matches = 0;  // with whole_index_facets
  // A page's matches counted exactly up to this many (matches()).
  Xapian::doccount exact_total_up_to = kExactTotalUpTo;
  // The query's language: the one asked for, else by language_the_index_uses(),
  // else by identify_language(), else Swedish.
  Language language_of(const SearchRequest& r, const ParsedQuery& parsed);
  Language language_the_index_uses(const ParsedQuery& parsed);
  // How a query's words must match: every one; any one (a keyword query's
  // tier with fewer words); any one, a compound's parts counting alone.
  enum class Matching { every_word, any_word, question };
  Xapian::Query query_for(const ParsedQuery& parsed, Language language, Matching matching);
  std::size_t searchable_words(const ParsedQuery& parsed, Language language);
  // A question is matched by any of its words, ranked, and reordered by
  // their proximity: a query of more than ranking.all_words_up_to words, or
  // one asked in words (phrased_as_question()).
  bool is_question(const ParsedQuery& parsed, Language language);
  bool is_question(const ParsedQuery& parsed, Language language, std::size_t words);
  struct Page {
    Xapian::doccount first = 0;
    Xapian::doccount size = 0;
  };
  struct Scored {
    Xapian::MSetIterator match;
    double score = 0;
  };
  // One tier of a page: its hits, and how many articles it has.
  struct Tier {
    std::vector<Scored> hits;
    Xapian::doccount total = 0;
    bool exact = true;  // `total` is counted, not estimated
  };
  static Tier tier_of(Xapian::MSet mset);
  Xapian::MSet matches(Xapian::Enquire& enquire, const Xapian::Query& query,
                       const Xapian::Query& filter, Page page);
  std::vector<Tier> all_then_fewer(Xapian::Enquire& enquire, const Xapian::Query& all,
                                   const Xapian::Query& any, const Xapian::Query& filter,
                                   Page page);
  // The query as read: with every word, with any, and how to rank them.
  struct Reading {
    Xapian::Query all, any;
    QuestionWords nearby;   // what a question's words near each other add, or none
    bool one_tier = false;  // `all` is `any` (one word, or words joined by OR)
    bool question = false;  // is_question()
    bool feedback = false;  // a question long enough for pseudo-relevance feedback
    bool by_date = false;
  };
  Tier reranked(Xapian::Enquire& enquire, const Reading& reading, const Xapian::Query& filter,
                Page page);
  // What a question's words near each other add, by article (nearness()).
  using Nearness = std::unordered_map<Xapian::docid, double>;
  void reorder_by_proximity(Tier& tier, const QuestionWords& words, Nearness& near);
  Xapian::Query only(const std::vector<Scored>& hits);
  double nearness(Xapian::docid document, const QuestionWords& words);
  void rerank_with_feedback(Xapian::Enquire& enquire, const Reading& reading, Nearness& near,
                            Tier& tier);
  std::vector<Tier> ranked(Xapian::Enquire& enquire, const Reading& reading,
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

bool Searcher::Impl::is_question(const ParsedQuery& parsed, Language language) {
  return is_question(parsed, language, searchable_words(parsed, language));
}

// `words`: searchable_words() of `parsed`.
bool Searcher::Impl::is_question(const ParsedQuery& parsed, Language language, std::size_t words) {
  return words > ranking.all_words_up_to || phrased_as_question(parsed, analyzer, language);
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

namespace {

// Whether the request has a filter of `facet` (which its counts ignore).
bool filters_by(const SearchRequest& r, std::string_view facet) {
  if (facet == "type") return !r.types.empty();
  if (facet == "lang") return !r.languages.empty();
  if (facet == "year") return !r.years.empty();
  if (facet == "tag") return !r.tags.empty();
  return facet == "partner" && !r.partners.empty();
}

}  // namespace

// Exact counts of the request's facets over `query`, each restricted by
// every filter but its own, in the request's order. The facets the request
// does not filter by see the same matches: they are counted in one pass,
// which counts `matches` (of `query` and every filter) too.
std::vector<std::pair<std::string, std::vector<FacetCount>>> Searcher::Impl::count_facets(
    const Xapian::Query& query, const SearchRequest& r, std::optional<Xapian::doccount>& matches) {
  FacetCounts counts;
  std::vector<std::string> unfiltered;
  for (const auto& facet : r.facets) {
    if (filters_by(r, facet)) {
      count_values(query, filters(r, facet), {facet}, counts);
    } else {
      unfiltered.push_back(facet);
    }
  }
  if (!unfiltered.empty()) matches = count_values(query, filters(r), unfiltered, counts);
  std::vector<std::pair<std::string, std::vector<FacetCount>>> out;
  for (const auto& facet : r.facets) out.emplace_back(facet, counts[facet]);
  return out;
}

// Exact counts of `facets`' values over the matches of `query` restricted
// by `filter`, in one pass, into `out`; returns how many articles match.
// Counts over the whole index (a query of stop words only, or none,
// unfiltered) are kept.
Xapian::doccount Searcher::Impl::count_values(const Xapian::Query& query,
                                              const Xapian::Query& filter,
                                              const std::vector<std::string>& facets,
                                              FacetCounts& out) {
  const bool whole_index = filter.empty() && matches_every_document(query);
  std::vector<std::string> uncounted;
  for (const auto& facet : facets) {
    const auto cached = whole_index_facets.find(facet);
    if (whole_index && cached != whole_index_facets.end()) {
      out[facet] = cached->second;
    } else {
      uncounted.push_back(facet);
    }
  }
  if (uncounted.empty()) return whole_index_matches;
  const ValueCounts values = value_counts_of(filtered(query, filter), uncounted);
  for (std::size_t i = 0; i < uncounted.size(); ++i) {
    out[uncounted[i]] = counts_of(values.per_facet[i], uncounted[i]);
    if (whole_index) whole_index_facets[uncounted[i]] = out[uncounted[i]];
  }
  if (whole_index) whole_index_matches = values.matches;
  return values.matches;
}

// For each of `facets`, how many of `query`'s matches hold each whole value
// of its slot; in one pass over the matches, which it counts.
Searcher::Impl::ValueCounts Searcher::Impl::value_counts_of(
    const Xapian::Query& query, const std::vector<std::string>& facets) {
  Xapian::Enquire enquire(db);
  enquire.set_query(without_duplicates(query));
  enquire.set_weighting_scheme(Xapian::BoolWeight());  // counted, not ranked
  ValueCounts values;
  if (remote_up || db.size() != 1) {
    std::vector<std::unique_ptr<Xapian::ValueCountMatchSpy>> spies;
    for (const auto& facet : facets) {
      spies.push_back(std::make_unique<Xapian::ValueCountMatchSpy>(slot_of_facet(facet)));
      enquire.add_matchspy(spies.back().get());
    }
    values.matches = enquire.get_mset(0, 0, db.get_doccount(), nullptr, not_duplicate.get())
                         .get_matches_estimated();  // exact: every match is checked
    enquire.clear_matchspies();
    for (const auto& spy : spies) values.per_facet.push_back(value_counts(*spy));
    return values;
  }
  MatchingDocuments matching;
  enquire.add_matchspy(&matching);
  enquire.get_mset(0, 0, db.get_doccount(), nullptr, not_duplicate.get());
  enquire.clear_matchspies();
  std::sort(matching.ids.begin(), matching.ids.end());
  values.matches = static_cast<Xapian::doccount>(matching.ids.size());
  for (const auto& facet : facets)
    values.per_facet.push_back(value_counts(db, slot_of_facet(facet), matching.ids));
  return values;
}

// A facet's items with their counts, from the counts of its whole values;
// most first.
std::vector<FacetCount> Searcher::Impl::counts_of(const std::map<std::string, std::size_t>& values,
                                                  const std::string& facet) {
  auto items = item_counts(values);
  if (facet == "tag" || facet == "partner")
    items = merged_items(items, [this](const std::string& item) { return folded_item(item); });
  std::vector<FacetCount> counts;
  for (const auto& [value, count] : items) counts.push_back({value, count});
  std::stable_sort(counts.begin(), counts.end(),
                   [](const FacetCount& a, const FacetCount& b) { return a.count > b.count; });
  return counts;
}

const std::string& Searcher::Impl::folded_item(const std::string& item) {
  auto [it, added] = folded_items.try_emplace(item);
  if (added) it->second = folded_value(analyzer, item, Language::sv);
  return it->second;
}

// A hit from its document data, with the query's words marked in its title
// and in a passage of its text; of its summary when the text has none of
// them and the summary has (or the article has no text).
Hit Searcher::Impl::hit_with_highlights(const Xapian::MSetIterator& it, std::size_t snippet_bytes) {
  std::string text;
  Hit hit = hit_of(it, &text);
  const Language language = parse_language(hit.language).value_or(Language::unknown);
  hit.title_html = highlight(analyzer, hit.title, language, marked, together);
  const auto has_marks = [](const std::string& html) {
    return html.find("<mark>") != std::string::npos;
  };
  if (!text.empty()) {
    hit.snippet_html = snippet(analyzer, text, language, marked, snippet_bytes, together);
    if (has_marks(hit.snippet_html)) return hit;
  }
  std::string from_summary =
      snippet(analyzer, hit.summary, language, marked, snippet_bytes, together);
  if (text.empty() || has_marks(from_summary)) hit.snippet_html = std::move(from_summary);
  return hit;
}

// The language whose articles use the words of a query of one or two words
// (too short for language identification: "hospital", "open house") much
// more often than the other's, by the spelling lists; unknown when none.
Language Searcher::Impl::language_the_index_uses(const ParsedQuery& parsed) {
  constexpr std::size_t kMaxWords = 2;
  constexpr double kClearly = 4;  // times as often, relative to each language's words
  std::vector<std::string> words;
  for (const auto& clause : parsed.clauses) {
    if (clause.excluded || !is_free_text(clause)) continue;
    for (const Token& token : analyzer.analyze(clause.text, Language::unknown).tokens) {
      if (token.kind == TokenKind::word && !token.is_part()) words.push_back(token.form);
    }
  }
  const double swedish_words = completions.words_seen(Language::sv);
  const double english_words = completions.words_seen(Language::en);
  if (words.empty() || words.size() > kMaxWords || swedish_words == 0 || english_words == 0)
    return Language::unknown;
  int votes = 0;  // Swedish minus English
  for (const std::string& word : words) {
    const double swedish = completions.times_seen(word, Language::sv) / swedish_words;
    const double english = completions.times_seen(word, Language::en) / english_words;
    if (swedish > kClearly * english) ++votes;
    if (english > kClearly * swedish) --votes;
  }
  return votes > 0 ? Language::sv : votes < 0 ? Language::en : Language::unknown;
}

Language Searcher::Impl::language_of(const SearchRequest& r, const ParsedQuery& parsed) {
  if (r.languages.size() == 1) return r.languages.front();
  if (const Language used = language_the_index_uses(parsed); used != Language::unknown) return used;
  const Language identified = identify_language(r.query);
  return identified == Language::unknown ? Language::sv : identified;
}

// The query in `language`, with the other language's reading as a weaker
// alternative: a two-word query is too short to be sure of its language.
Xapian::Query Searcher::Impl::query_for(const ParsedQuery& parsed, Language language,
                                        Matching matching) {
  const bool parts_alone = matching == Matching::question;
  ClauseTranslator main(analyzer, language, marked, together, folds, whole_values, ranking,
                        parts_alone);
  ClauseTranslator second(analyzer, other(language), marked, together, folds, whole_values, ranking,
                          parts_alone);
  std::vector<Xapian::Query> mains, seconds;
  for (const auto& clause : parsed.clauses) mains.push_back(main.translate(clause));
  const bool searchable =
      std::any_of(mains.begin(), mains.end(), [](const Xapian::Query& q) { return !q.empty(); });
  for (std::size_t i = 0; i < parsed.clauses.size(); ++i) {
    // A stop word of the query's language ("how", "och") is no word of its
    // other reading either, unless the query has nothing else.
    const bool stop_word = searchable && mains[i].empty() && is_free_text(parsed.clauses[i]);
    seconds.push_back(stop_word ? Xapian::Query() : second.translate(parsed.clauses[i]));
  }
  const bool all = matching == Matching::every_word;
  const Xapian::Query first = combine(parsed.clauses, mains, all);
  const Xapian::Query alternative = combine(parsed.clauses, seconds, all);
  if (first.get_description() == alternative.get_description()) return first;
  return Xapian::Query(
      Xapian::Query::OP_OR, first,
      Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, alternative, ranking.other_language_weight));
}

// The words of a question the proximity and passage boosts look for at
// most, and the articles reranked() reorders: each word costs a position
// list an article.
constexpr std::size_t kMaxProximityWords = 17;
constexpr Xapian::doccount kRerankDepth = 50;

// The free-text words of a question in one reading, its first
// kMaxProximityWords, with their positions in it.
std::vector<QuestionTerm> Searcher::Impl::question_terms(const ParsedQuery& parsed,
                                                         Language reading) {
  std::vector<QuestionTerm> terms;
  Xapian::termpos base = 0;  // clauses follow each other, a position apart
  for (const auto& clause : parsed.clauses) {
    if (clause.excluded || clause.prefix || clause.kind != QueryClause::Kind::word ||
        !clause.field.empty()) {
      continue;
    }
    Xapian::termpos last = base;
    for (const Token& token : analyzer.analyze(clause.text, reading).tokens) {
      last = std::max(last, base + token.position);
      if (!token.stop && !token.is_part()) terms.push_back({token.term, base + token.position});
    }
    base = last + 1;
  }
  terms.resize(std::min(terms.size(), kMaxProximityWords));
  return terms;
}

// What the boosts for a question's words near each other look for, in both
// readings of the question (as it is matched, see query_for()): its words
// (two at least) for the passage boost, and their pairs at most
// ranking.proximity_span words apart in it for the proximity boost; none
// for a boost that is off.
Searcher::Impl::QuestionWords Searcher::Impl::question_words(const ParsedQuery& parsed,
                                                             Language language) {
  QuestionWords words;
  if (ranking.proximity_weight <= 0 && ranking.passage_weight <= 0) return words;
  const double documents = std::max<double>(db.get_doccount(), 2);
  const auto rarity_of = [&](const std::string& term) {
    const double frequency = std::max<double>(db.get_termfreq(term), 1);
    return std::log(documents / frequency) / std::log(documents);
  };
  for (const Language reading : {language, other(language)}) {
    std::vector<QuestionTerm> terms = question_terms(parsed, reading);
    for (QuestionTerm& term : terms) term.rarity = rarity_of(term.term);
    if (ranking.passage_weight > 0) add_passage_words(terms, words.passages);
    if (ranking.proximity_weight > 0) add_pairs(terms, words.pairs);
  }
  return words;
}

// `terms` as one reading's words, each once, when there are two at least.
void Searcher::Impl::add_passage_words(const std::vector<QuestionTerm>& terms,
                                       std::vector<std::vector<QuestionTerm>>& passages) {
  std::vector<QuestionTerm> passage;
  for (const QuestionTerm& term : terms) {
    const bool seen = std::any_of(passage.begin(), passage.end(),
                                  [&](const QuestionTerm& t) { return t.term == term.term; });
    if (!seen) passage.push_back(term);
  }
  if (passage.size() >= 2) passages.push_back(std::move(passage));
}

// The pairs of `terms` at most ranking.proximity_span words apart, each once.
void Searcher::Impl::add_pairs(const std::vector<QuestionTerm>& terms,
                               std::vector<WordPair>& pairs) {
  for (std::size_t j = 1; j < terms.size(); ++j) {
    for (std::size_t i = j > ranking.proximity_span ? j - ranking.proximity_span : 0; i < j; ++i) {
      WordPair pair{terms[i].term, terms[j].term, terms[j].position - terms[i].position,
                    std::min(terms[i].rarity, terms[j].rarity)};
      const bool seen = std::any_of(pairs.begin(), pairs.end(), [&](const WordPair& p) {
        return p.first == pair.first && p.second == pair.second;
      });
      if (pair.first != pair.second && !seen) pairs.push_back(std::move(pair));
    }
  }
}

// `query` with a mild boost for recent news that only reorders its matches.
Xapian::Query Searcher::Impl::with_recency(const Xapian::Query& query) {
  if (query.empty() || ranking.recency_weight <= 0) return query;
  // Remote shards know only Xapian's own posting sources: there the same
  // weights come from a value map of the dates the news articles have.
  const double weight = ranking.recency_weight * bm25_scale(ranking);
  Xapian::PostingSource* source =
      remote_up ? static_cast<Xapian::PostingSource*>(RecencySource::value_map(
                      schema::kPublishedSlot, news_dates, RecencySource::today(), weight,
                      ranking.recency_half_life_days))
                : new RecencySource(schema::kPublishedSlot, RecencySource::today(), weight,
                                    ranking.recency_half_life_days);
  const Xapian::Query boost(Xapian::Query::OP_FILTER, Xapian::Query(source->release()),
                            Xapian::Query(prefixed(schema::kTypePrefix, "news")));
  return Xapian::Query(Xapian::Query::OP_AND_MAYBE, query, boost);
}

// Opens the shards; remote ones that do not answer are left out for now.
void Searcher::Impl::open() {
  std::vector<Shard> opened = shards_of(locations);
  std::string problem;
  for (Shard& shard : opened) {
    const std::string why = open_shard(shard, shard_options);
    if (why.empty()) continue;
    if (!shard.remote) throw IndexError(why);
    mark_down(shard, why);
    if (problem.empty()) problem = why;
  }
  if (std::none_of(opened.begin(), opened.end(), [](const Shard& s) { return s.up; }))
    throw IndexError("no shard of the index answers: " + problem);
  shards = std::move(opened);
  stale = true;
  with_failover([] { return 0; });
}

// Joins the shards up into `db` and reads its completions.
void Searcher::Impl::join_shards() {
  Xapian::Database all;
  bool remote = false;
  for (const Shard& shard : shards) {
    if (!shard.up) continue;
    all.add_database(shard.db);
    remote = remote || shard.remote.has_value();
  }
  completions = Completions(all, analyzer, remote);
  folds = letter_folds(all);
  whole_values = whole_values_of(all);
  news_dates = remote ? dates_of_news(all) : std::vector<std::string>();
  std::unordered_set<std::string> hashes;
  std::vector<Xapian::Query> ids;
  for (const Duplicate& hidden : duplicate_articles(all, remote)) {
    hashes.insert(hidden.hash);
    ids.emplace_back(hidden.id_term);
  }
  not_duplicate = hashes.empty() || remote ? nullptr : std::make_unique<NotHidden>(hashes);
  duplicate_ids =
      remote ? Xapian::Query(Xapian::Query::OP_OR, ids.begin(), ids.end()) : Xapian::Query();
  whole_index_facets.clear();
  folded_items.clear();
  remote_up = remote;
  db = std::move(all);
  stale = false;
}

void Searcher::Impl::mark_down(Shard& shard, const std::string& why) {
  const bool was_up = shard.up || shard.backoff.count() == 0;
  shard.up = false;
  shard.db = Xapian::Database();
  const auto base = shard_options.retry_after;
  shard.backoff = shard.backoff.count() == 0 ? base : std::min(shard.backoff * 2, base * 8);
  shard.retry_at = Clock::now() + shard.backoff;
  stale = true;
  if (was_up && shard_options.on_down) shard_options.on_down(shard.location, why);
}

// After a failed exchange every remote connection is in doubt: each remote
// shard up is opened again, and left out when that fails.
void Searcher::Impl::reconnect_remotes() {
  for (Shard& shard : shards) {
    if (!shard.remote || !shard.up) continue;
    shard.up = false;
    if (const std::string why = open_shard(shard, shard_options); !why.empty()) {
      shard.up = true;  // it was up until now
      mark_down(shard, why);
    }
  }
  stale = true;
}

// Tries the shards down whose back-off has passed; returns whether one came back.
bool Searcher::Impl::retry_due() {
  bool back = false;
  const auto now = Clock::now();
  for (Shard& shard : shards) {
    if (shard.up || now < shard.retry_at) continue;
    if (const std::string why = open_shard(shard, shard_options); !why.empty()) {
      mark_down(shard, why);
      continue;
    }
    back = true;
    stale = true;
    if (shard_options.on_up) shard_options.on_up(shard.location);
  }
  return back;
}

std::size_t Searcher::Impl::shards_down() const {
  return static_cast<std::size_t>(
      std::count_if(shards.begin(), shards.end(), [](const Shard& s) { return !s.up; }));
}

template <typename F>
auto Searcher::Impl::with_failover(F f) -> decltype(f()) {
  for (std::size_t attempt = 0;; ++attempt) {
    try {
      if (stale) join_shards();
      return f();
    } catch (const Xapian::NetworkError& e) {
      const bool any_remote = std::any_of(shards.begin(), shards.end(),
                                          [](const Shard& s) { return s.remote && s.up; });
      if (!any_remote || attempt > shards.size()) throw;
      reconnect_remotes();
      if (shards_down() == shards.size())
        throw IndexError("no shard of the index answers: " + e.get_description());
    }
  }
}

// Moves one shard up to its newest state; returns whether it moved. A
// remote shard that fails is left out; a local one throws IndexError.
bool Searcher::Impl::refresh_shard(Shard& shard) {
  if (!shard.remote && IndexFolder::live_build_of(shard.location) != shard.build) {
    Shard reopened = shard;
    if (const std::string why = open_shard(reopened, shard_options); !why.empty())
      throw IndexError(why);
    shard = std::move(reopened);
    return true;
  }
  try {
    return shard.db.reopen();
  } catch (const Xapian::Error& e) {
    if (!shard.remote) {
      throw IndexError("cannot reopen the index " + shard.location + ": " + e.get_description());
    }
    // A restarted xapian-tcpsrv (after a rebuild) closed the connection:
    // connect again before counting the shard down.
    Shard reconnected = shard;
    reconnected.up = false;
    if (open_shard(reconnected, shard_options).empty()) {
      shard = std::move(reconnected);
      return true;
    }
    mark_down(shard, e.get_description());
    return true;
  }
}

Searcher::Searcher(const std::string& index_dir, const RankingOptions& ranking)
    : Searcher(std::vector<std::string>{index_dir}, ranking) {}

Searcher::Searcher(const std::vector<std::string>& indexes, const RankingOptions& ranking,
                   ShardOptions shards)
    : impl_(std::make_unique<Impl>()) {
  impl_->locations = indexes;
  impl_->ranking = ranking;
  impl_->shard_options = std::move(shards);
  impl_->open();
}

bool Searcher::refresh() {
  if (locations_of(shards_of(impl_->locations)) != locations_of(impl_->shards)) {
    impl_->open();  // a sharded folder was rebuilt with another number of shards
    return true;
  }
  bool moved = impl_->retry_due();
  for (Shard& shard : impl_->shards) {
    if (shard.up && impl_->refresh_shard(shard)) moved = true;
  }
  if (moved) impl_->stale = true;
  impl_->with_failover([] { return 0; });
  return moved;
}

// One local index: "<build>#<Xapian revision>". Several shards: each
// local one's "<shard folder>/<build>@<revision>" and each remote one's
// address (the remote protocol does not tell revisions), joined by commas,
// then "#" and the sum of the local revisions.
IndexInfo Searcher::info() const {
  IndexInfo info;
  info.documents = impl_->db.get_doccount();
  info.shards = impl_->shards.size();
  info.shards_down = impl_->shards_down();
  std::string pieces;
  Xapian::rev sum = 0;
  const Xapian::Database* first = nullptr;
  for (const Shard& shard : impl_->shards) {
    if (!shard.up) continue;
    if (!first) first = &shard.db;
    std::string piece = shard.location;
    if (!shard.remote) {
      const Xapian::rev revision = shard.db.get_revision();
      sum += revision;
      const std::string build_name = shard.build.substr(shard.build.find_last_of('/') + 1);
      if (impl_->shards.size() == 1) {
        info.revision = build_name + "#" + std::to_string(revision);
      }
      const std::string folder = shard.location.substr(shard.location.find_last_of('/') + 1);
      piece = folder + "/" + build_name + "@" + std::to_string(revision);
    }
    pieces += (pieces.empty() ? "" : ",") + piece;
  }
  if (impl_->shards.size() > 1 || impl_->shards.front().remote)
    info.revision = pieces + "#" + std::to_string(sum);
  if (first) {
    info.built_at = first->get_metadata(std::string(schema::kBuiltAtKey));
    info.updated_at = first->get_metadata(std::string(schema::kUpdatedAtKey));
  }
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
  if (all != last) out = impl_->completions.complete(all, language, limit, impl_->analyzer);
  for (auto& suggestion : impl_->completions.complete(last, language, limit, impl_->analyzer)) {
    if (out.size() >= limit) break;
    out.push_back(std::move(suggestion));
  }
  return out;
}

std::optional<Hit> Searcher::document(const std::string& id) {
  const std::string term = std::string(schema::kIdPrefix) + id;
  return impl_->with_failover([&]() -> std::optional<Hit> {
    Xapian::Enquire enquire(impl_->db);
    enquire.set_query(Xapian::Query(term));
    const Xapian::MSet mset = enquire.get_mset(0, 1);
    if (mset.empty()) return std::nullopt;
    return hit_of(mset.begin());
  });
}

Searcher::~Searcher() = default;
Searcher::Searcher(Searcher&&) noexcept = default;
Searcher& Searcher::operator=(Searcher&&) noexcept = default;

std::size_t Searcher::documents() const {
  return impl_->db.get_doccount();
}

SearchResponse Searcher::search(const SearchRequest& request) {
  validate(request);
  impl_->retry_due();
  if (impl_->shards_down() == impl_->shards.size())
    throw IndexError("no shard of the index answers; they are tried again after a back-off");
  SearchResponse response = impl_->with_failover([&] { return impl_->search(request); });
  response.shards = impl_->shards.size();
  response.shards_failed = impl_->shards_down();
  return response;
}

SearchResponse Searcher::Impl::search(const SearchRequest& request) {
  SearchResponse response;
  const ParsedQuery parsed = parse_query_syntax(request.query);
  response.notes = parsed.notes;
  response.query_language = language_of(request, parsed);
  execute(parsed, request, response);
  const std::optional<ParsedQuery> correction =
      spelling_correction(parsed, response.query_language);
  if (!correction) return response;
  const std::string suggestion = query_text(*correction);
  SearchResponse corrected;
  SearchRequest as_corrected = request;  // its words may tell its language better
  as_corrected.query = suggestion;
  corrected.query_language = language_of(as_corrected, *correction);
  execute(*correction, request, corrected);
  if (corrected.total == 0) return response;
  // A question matches any of its words, so a misspelt one simply matches
  // nothing: it is read as its correction, as when nothing matches at all.
  const bool question = is_question(parsed, response.query_language);
  if (response.total > 0 && !question) {
    response.suggestion = suggestion;
    return response;
  }
  corrected.notes = parsed.notes;
  const std::string why = response.total == 0
                              ? "no article matches \"" + request.query + "\""
                              : "some words of \"" + request.query + "\" are in no article";
  corrected.notes.push_back(why + ": showing results for \"" + suggestion + "\"");
  corrected.suggestion = suggestion;
  corrected.corrected = true;
  return corrected;
}

// Runs `parsed` with the request's filters, paging and facets into `response`.
void Searcher::Impl::execute(const ParsedQuery& parsed, const SearchRequest& request,
                             SearchResponse& response) {
  marked.clear();
  together.clear();
  Xapian::Enquire enquire(db);
  enquire.set_weighting_scheme(bm25(ranking));
  // Pseudo-relevance feedback's k, like k1, in the units of a word's wdf.
  enquire.set_expansion_scheme("trad", schema::kWholeWordScale);
  Reading reading;
  reading.by_date = parsed.clauses.empty() || request.sort != SortOrder::relevance;
  if (reading.by_date) {
    enquire.set_sort_by_value_then_relevance(schema::kPublishedSlot,
                                             request.sort != SortOrder::oldest);
  }
  const std::size_t words = searchable_words(parsed, response.query_language);
  reading.question = is_question(parsed, response.query_language, words);
  reading.all = query_for(parsed, response.query_language, Matching::every_word);
  reading.any = query_for(parsed, response.query_language,
                          reading.question ? Matching::question : Matching::any_word);
  reading.one_tier = reading.all.get_description() == reading.any.get_description();
  // Only a question is reranked: keywords are wanted all together anyway.
  // Remote shards would send every article's positions and term lists.
  if (reading.question && !reading.by_date && !remote_up) {
    reading.nearby = question_words(parsed, response.query_language);
    reading.feedback = ranking.feedback_articles > 0 && ranking.feedback_weight > 0 &&
                       words >= ranking.feedback_min_words;
  }
  const Xapian::Query filter = filters(request);
  // A facet the request does not filter by is counted over every match, and
  // so is the total then: the ranking need not count beyond the page.
  const bool facets_count_matches =
      std::any_of(request.facets.begin(), request.facets.end(),
                  [&](const std::string& facet) { return !filters_by(request, facet); });
  exact_total_up_to = facets_count_matches ? 0 : kExactTotalUpTo;
  const Page page{static_cast<Xapian::doccount>((request.page - 1) * request.size),
                  static_cast<Xapian::doccount>(request.size)};
  const std::vector<Tier> tiers = ranked(enquire, reading, filter, page);
  const bool all_words_wanted = !reading.question && !reading.one_tier;
  response.relaxed = all_words_wanted && tiers.front().total == 0 && !tiers.back().hits.empty();
  if (response.relaxed) {
    response.notes.push_back("no article has all the words: showing those with most of them");
  }
  const Xapian::Query& read = all_words_wanted && !response.relaxed ? reading.all : reading.any;
  response.understood = read.get_description();
  response.total_exact = true;
  for (const Tier& tier : tiers) {
    response.total += tier.total;
    response.total_exact = response.total_exact && tier.exact;
    for (const Scored& scored : tier.hits) {
      response.hits.push_back(request.highlights
                                  ? hit_with_highlights(scored.match, request.snippet_bytes)
                                  : hit_of(scored.match));
      response.hits.back().score = scored.score;
    }
  }
  // The facets count what the total counts: with a second tier, the
  // articles with fewer of the words too.
  const Xapian::Query& counted = tiers.size() > 1 ? reading.any : read;
  std::optional<Xapian::doccount> matches;
  response.facets = count_facets(counted, request, matches);
  if (matches) {
    response.total = *matches;
    response.total_exact = true;
  }
}

// One page of the reading's matches, in one tier or two: a question's
// articles with any word, ranked; a keyword query's with every word and
// then, ranked apart and after them, those with fewer (sorted by date:
// those with fewer only when none has every word).
std::vector<Searcher::Impl::Tier> Searcher::Impl::ranked(Xapian::Enquire& enquire,
                                                         const Reading& reading,
                                                         const Xapian::Query& filter, Page page) {
  if (!reading.nearby.empty() || reading.feedback)
    return {reranked(enquire, reading, filter, page)};
  if (reading.question || reading.one_tier)
    return {tier_of(matches(enquire, reading.any, filter, page))};
  if (!reading.by_date) return all_then_fewer(enquire, reading.all, reading.any, filter, page);
  Xapian::MSet with_all = matches(enquire, reading.all, filter, page);
  if (matches_of(with_all) > 0) return {tier_of(std::move(with_all))};
  // None has every word: those with fewer, as a second tier, so the
  // response says so and counts them (total and facets) as it shows them.
  return {tier_of(std::move(with_all)), tier_of(matches(enquire, reading.any, filter, page))};
}

Searcher::Impl::Tier Searcher::Impl::tier_of(Xapian::MSet mset) {
  Tier tier;
  tier.total = matches_of(mset);
  tier.exact = mset.get_matches_lower_bound() == mset.get_matches_upper_bound();
  for (auto it = mset.begin(); it != mset.end(); ++it) tier.hits.push_back({it, it.get_weight()});
  return tier;
}

// A question's page: its best kRerankDepth matches (or as many as the page
// needs) reordered by the proximity of its words and, for a long question,
// ranked again with pseudo-relevance feedback. Only the best are looked at:
// the positions and term lists of every match would cost too much.
Searcher::Impl::Tier Searcher::Impl::reranked(Xapian::Enquire& enquire, const Reading& reading,
                                              const Xapian::Query& filter, Page page) {
  const Xapian::doccount end = page.first + page.size;
  const Xapian::doccount depth = std::max(end, kRerankDepth);
  Tier tier = tier_of(matches(enquire, reading.any, filter, {0, depth}));
  Nearness near;
  reorder_by_proximity(tier, reading.nearby, near);
  if (reading.feedback) rerank_with_feedback(enquire, reading, near, tier);
  const auto from = std::min<std::size_t>(page.first, tier.hits.size());
  const auto to = std::min<std::size_t>(end, tier.hits.size());
  tier.hits = std::vector<Scored>(tier.hits.begin() + static_cast<std::ptrdiff_t>(from),
                                  tier.hits.begin() + static_cast<std::ptrdiff_t>(to));
  return tier;
}

// A question's words near each other in an article add their nearness()
// share of its weight.
void Searcher::Impl::reorder_by_proximity(Tier& tier, const QuestionWords& words, Nearness& near) {
  if (words.empty()) return;
  for (Scored& scored : tier.hits) {
    auto [at, added] = near.try_emplace(*scored.match);
    if (added) at->second = nearness(*scored.match, words);
    scored.score += at->second * scored.score;
  }
  std::stable_sort(tier.hits.begin(), tier.hits.end(),
                   [](const Scored& a, const Scored& b) { return a.score > b.score; });
}

// Pseudo-relevance feedback: the words that best set the first
// ranking.feedback_articles of `tier` apart from the rest of the index
// (Xapian's expand set, at most ranking.feedback_terms of them, the best at
// ranking.feedback_weight of a question word and the others in proportion)
// rank the tier's articles after the first ranking.feedback_kept again.
// Scores never rise down the page: the reranked ones are scaled alike to
// fall below the kept ones.
void Searcher::Impl::rerank_with_feedback(Xapian::Enquire& enquire, const Reading& reading,
                                          Nearness& near, Tier& tier) {
  Xapian::RSet top;
  for (std::size_t i = 0; i < std::min(ranking.feedback_articles, tier.hits.size()); ++i)
    top.add_document(*tier.hits[i].match);
  const FreeTextTerms free_text;
  const Xapian::ESet words =
      enquire.get_eset(static_cast<Xapian::termcount>(ranking.feedback_terms), top, &free_text);
  if (words.empty() || words.begin().get_weight() <= 0) return;
  std::vector<Xapian::Query> added;
  const double best = words.begin().get_weight();
  for (auto word = words.begin(); word != words.end() && word.get_weight() > 0; ++word) {
    added.push_back(Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, Xapian::Query(*word),
                                  ranking.feedback_weight * word.get_weight() / best));
  }
  const Xapian::Query expanded(Xapian::Query::OP_AND_MAYBE, reading.any,
                               Xapian::Query(Xapian::Query::OP_OR, added.begin(), added.end()));
  const auto depth = static_cast<Xapian::doccount>(tier.hits.size());
  Tier again = tier_of(matches(enquire, expanded, only(tier.hits), {0, depth}));
  reorder_by_proximity(again, reading.nearby, near);
  const std::size_t kept = std::min(ranking.feedback_kept, tier.hits.size());
  std::unordered_set<Xapian::docid> shown;
  for (std::size_t i = 0; i < kept; ++i) shown.insert(*tier.hits[i].match);
  tier.hits.resize(kept);
  double scale = 1;  // the reranked scores, scaled to fall below the kept ones
  for (Scored& scored : again.hits) {
    if (shown.count(*scored.match)) continue;
    if (tier.hits.size() == kept && kept > 0 && scored.score > tier.hits.back().score)
      scale = tier.hits.back().score / scored.score;
    scored.score *= scale;
    tier.hits.push_back(std::move(scored));
  }
}

// A filter that lets only `hits` through (their id terms): a second ranking
// of them costs little more than their own postings.
Xapian::Query Searcher::Impl::only(const std::vector<Scored>& hits) {
  std::vector<Xapian::Query> ids;
  for (const Scored& hit : hits) {
    const std::string id = id_term_of(db, *hit.match);
    if (!id.empty()) ids.push_back(Xapian::Query(id));
  }
  return any_of(std::move(ids));
}

// The share of an article's weight a question's words near each other in
// `document` add: ranking.proximity_weight for each of its pairs that
// stands within ranking.proximity_window positions somewhere, and
// ranking.proximity_phrase_weight more when it stands as in the question;
// and ranking.passage_weight times the fourth power of the share of a
// reading's rarity its best passage holds (best_passage_share()).
double Searcher::Impl::nearness(Xapian::docid document, const QuestionWords& words) {
  ArticlePositions positions(db, document);
  const auto window = static_cast<Xapian::termpos>(ranking.proximity_window);
  double share = 0;
  for (const auto& pair : words.pairs) {
    const auto& a = positions.of(pair.first);
    const auto& b = positions.of(pair.second);
    // Both sorted: walk them together, looking at the closest of each.
    std::size_t i = 0, j = 0;
    bool near = false;
    while (!near && i < a.size() && j < b.size()) {
      const Xapian::termpos distance = a[i] > b[j] ? a[i] - b[j] : b[j] - a[i];
      near = distance < window;
      (a[i] < b[j] ? i : j)++;
    }
    if (near) share += ranking.proximity_weight;
    if (ranking.proximity_phrase_weight <= 0) continue;
    const bool as_asked = std::any_of(a.begin(), a.end(), [&](Xapian::termpos at) {
      return std::binary_search(b.begin(), b.end(), at + pair.gap);
    });
    if (as_asked) share += ranking.proximity_phrase_weight * pair.rarity;
  }
  double passage = 0;
  for (const auto& reading : words.passages) {
    passage =
        std::max(passage, best_passage_share(positions, reading,
                                             static_cast<Xapian::termpos>(ranking.passage_window)));
  }
  return share + ranking.passage_weight * std::pow(passage, 4);
}

// One page of `query`'s matches with the filter and the recency boost;
// counts exactly up to exact_total_up_to matches (a visitor sees "24 hits"
// beside facet counts that add up to 24, not "about 30"), estimates beyond.
// An empty page (a tier wanted for its count only) is estimated at once.
Xapian::MSet Searcher::Impl::matches(Xapian::Enquire& enquire, const Xapian::Query& query,
                                     const Xapian::Query& filter, Page page) {
  const Xapian::Query boosted = with_recency(query);
  enquire.set_query(without_duplicates(filtered(boosted, filter)));
  const Xapian::doccount check =
      page.size == 0 ? 0 : std::max(page.first + page.size, exact_total_up_to);
  return enquire.get_mset(page.first, page.size, check, nullptr, not_duplicate.get());
}

Xapian::Query Searcher::Impl::without_duplicates(const Xapian::Query& query) const {
  if (duplicate_ids.empty()) return query;
  return Xapian::Query(Xapian::Query::OP_AND_NOT, query, duplicate_ids);
}

// The articles with every word, then those with fewer, each tier ranked on
// its own: one page across the two.
std::vector<Searcher::Impl::Tier> Searcher::Impl::all_then_fewer(Xapian::Enquire& enquire,
                                                                 const Xapian::Query& all,
                                                                 const Xapian::Query& any,
                                                                 const Xapian::Query& filter,
                                                                 Page page) {
  Xapian::MSet first = matches(enquire, all, filter, page);
  const Xapian::doccount with_all = matches_of(first);  // exact when the page reaches past it
  const Page rest{page.first > with_all ? page.first - with_all : 0, page.size - first.size()};
  // A full page needs the second tier's size only for the total, which the
  // facet pass counts when it runs (exact_total_up_to is then 0).
  if (rest.size == 0 && exact_total_up_to == 0) return {tier_of(std::move(first)), Tier{}};
  Xapian::MSet fewer =
      matches(enquire, Xapian::Query(Xapian::Query::OP_AND_NOT, any, all), filter, rest);
  return {tier_of(std::move(first)), tier_of(std::move(fewer))};
}

// The query with each word the index does not know replaced by the closest
// word of the spelling list (one typo in words of 5–8 letters, two from 9),
// in the query's language first; nullopt when every word is known or none
// can be corrected.
std::optional<ParsedQuery> Searcher::Impl::spelling_correction(const ParsedQuery& parsed,
                                                               Language language) {
  ParsedQuery corrected = parsed;
  corrected.clauses.clear();
  bool changed = false;
  for (const QueryClause& clause : parsed.clauses) {
    corrected.clauses.push_back(clause);
    if (clause.kind != QueryClause::Kind::word || clause.prefix || clause.excluded ||
        !is_free_text(clause)) {
      continue;
    }
    const std::optional<std::string> better = corrected_word(clause.text, language);
    if (!better) continue;
    changed = true;
    // Two words run together become two clauses, as if typed apart.
    const std::size_t space = better->find(' ');
    corrected.clauses.back().text = better->substr(0, space);
    if (space == std::string::npos) continue;
    corrected.clauses.push_back(clause);
    corrected.clauses.back().text = better->substr(space + 1);
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
  // A stop word of the other language is a word, not a typo ("could" read
  // as Swedish).
  if (is_stop_word(token.form, other(language))) return std::nullopt;
  if (db.term_exists(token.term) || db.term_exists(analyzer.stem(token.form, other(language))))
    return std::nullopt;
  std::size_t letters = 0;
  for (unsigned char c : token.form) letters += (c & 0xC0) != 0x80;
  if (letters < 5) return std::nullopt;
  // Two words run together are one typo (a missing space), fewer than most
  // that the spelling list could mend.
  if (auto words = two_words_of(token.form, language)) return words;
  const unsigned max_edits = letters >= 9 ? 2 : 1;
  // A word of the other language comes back when it is closer by more than
  // the edit its mark costs: it is then the other language's suggestion.
  for (Language l : {language, other(language)}) {
    const char mark = l == Language::sv ? schema::kSwedishSpelling : schema::kEnglishSpelling;
    const std::string suggestion =
        db.get_spelling_suggestion(schema::spelling_entry(token.form, mark), max_edits);
    if (schema::spelling_mark(suggestion) == mark) return schema::spelling_form(suggestion);
  }
  return two_words_of(token.form, other(language));
}

// Two words of `language`'s spelling list that run together make `form`
// ("lifescience": "life science"), the split whose rarer word is commonest;
// none when no split has two such words of 3 bytes or more.
std::optional<std::string> Searcher::Impl::two_words_of(const std::string& form,
                                                        Language language) const {
  constexpr std::size_t kMinBytes = 3;
  std::uint64_t best = 0;
  std::size_t best_cut = 0;
  const std::string_view text(form);
  for (std::size_t cut = kMinBytes; cut + kMinBytes <= form.size(); ++cut) {
    if ((static_cast<unsigned char>(form[cut]) & 0xC0) == 0x80) continue;  // inside a letter
    const std::uint64_t rarer = std::min(completions.times_seen(text.substr(0, cut), language),
                                         completions.times_seen(text.substr(cut), language));
    if (rarer > best) {
      best = rarer;
      best_cut = cut;
    }
  }
  if (best == 0) return std::nullopt;
  return form.substr(0, best_cut) + " " + form.substr(best_cut);
}

}  // namespace sok
