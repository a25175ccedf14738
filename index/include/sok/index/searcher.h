#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sok/index/article.h"
#include "sok/stemming/language.h"

namespace sok {

enum class SortOrder { relevance, newest, oldest };

// What a visitor or a developer asks for (GET /api/search's parameters).
struct SearchRequest {
  std::string query;  // the query language of query_syntax.h; "" lists the newest articles
  std::vector<Language> languages;  // empty: both
  std::vector<ArticleType> types;   // each filter: any of its values (OR), all filters (AND)
  std::vector<std::string> tags;
  std::vector<std::string> partners;
  std::vector<int> years;
  std::optional<Date> from;  // published on or after
  std::optional<Date> to;    // published on or before
  SortOrder sort = SortOrder::relevance;
  std::size_t page = 1;   // 1-based
  std::size_t size = 10;  // hits per page, at most kMaxPageSize
  // Facets to count: "type", "lang", "year", "tag", "partner". A facet's
  // counts ignore its own filter (choosing type=news still counts events)
  // and honour all the others.
  std::vector<std::string> facets;
  std::size_t snippet_bytes = 240;  // kMinSnippetBytes to kMaxSnippetBytes
  // false: hits come without title_html and snippet_html (cheaper, for
  // evaluations that read ids and scores only).
  bool highlights = true;
};

inline constexpr std::size_t kMinSnippetBytes = 40;
inline constexpr std::size_t kMaxSnippetBytes = 1000;

// The facets a request may ask for.
bool is_facet(std::string_view name);

inline constexpr std::size_t kMaxPageSize = 100;

struct Hit {
  std::string id;
  std::string url;
  std::string title;
  std::string title_html;    // the title, escaped, with the query's words in <mark>
  std::string snippet_html;  // a passage of the text around the query's words, likewise
  std::string summary;
  std::string type;
  std::string language;
  std::string published;  // YYYY-MM-DD or ""
  std::vector<std::string> tags;
  std::vector<std::string> partners;
  double score = 0;
};

struct FacetCount {
  std::string value;
  std::size_t count = 0;
};

struct SearchResponse {
  std::size_t total = 0;    // matching articles
  bool total_exact = true;  // false: `total` is Xapian's estimate
  std::vector<Hit> hits;
  std::string understood;          // the query as read, e.g. `cellterapi AND (forskning OR …)`
  std::vector<std::string> notes;  // how the query was read where it was not as typed
  bool relaxed = false;            // no article had every word: most of them are shown
  // "Did you mean": the query with its unknown words corrected, when that
  // query has hits; "" otherwise.
  std::string suggestion;
  bool corrected = false;  // the query had no hits: the hits are the suggestion's
  // Per requested facet, its values by falling count (exact counts).
  std::vector<std::pair<std::string, std::vector<FacetCount>>> facets;
  Language query_language = Language::unknown;
  // The shards searched: all of them but `shards_failed`, which were down
  // or too slow; the response is partial when that is not 0.
  std::size_t shards = 1;
  std::size_t shards_failed = 0;
};

// A remote shard's address, from "tcp://HOST:PORT" (HOST a name, an IPv4
// address or an IPv6 one in brackets; PORT 1–65535); nullopt when `location`
// is not such a URL.
struct RemoteShard {
  std::string host;
  unsigned port = 0;
};
std::optional<RemoteShard> parse_remote_shard(std::string_view location);

// A completion for search-as-you-type.
struct Suggestion {
  enum class Kind { word, partner, tag };
  std::string text;  // as shown: "forskning", "Karolinska Institutet"
  Kind kind = Kind::word;
  Language language = Language::unknown;  // of a word; unknown for names and tags
  std::size_t weight = 0;                 // how often it occurs: the order
};

// What GET /readyz reports of the open index.
struct IndexInfo {
  std::size_t documents = 0;
  std::string revision;         // "<build>#<Xapian revision>": changes with every build and update
  std::string built_at;         // ISO 8601, UTC
  std::string updated_at;       // ISO 8601, UTC, or ""
  std::size_t shards = 1;       // of the index, local and remote
  std::size_t shards_down = 0;  // not answering at the moment
};

// How a Searcher over several shards treats remote ones (tcp://HOST:PORT,
// served by xapian-tcpsrv) that fail.
struct ShardOptions {
  // How long one exchange with a remote shard may take, and connecting to one.
  std::chrono::milliseconds timeout{1000};
  std::chrono::milliseconds connect_timeout{1000};
  // A shard that failed is left out, and tried again after this back-off,
  // doubled at each failure up to 8 times as long.
  std::chrono::milliseconds retry_after{1000};
  // Told when a shard stops answering (its location and why) and when it
  // answers again. Called from the searching thread.
  std::function<void(const std::string& shard, const std::string& why)> on_down;
  std::function<void(const std::string& shard)> on_up;
};

// How matches are weighed. The defaults are what the relevance evaluation
// (bench/relevance: Cranfield and CISI in English, SweQUAD-MC in Swedish)
// measured best across its sets; README.md, "Relevance", has the table.
struct RankingOptions {
  // BM25 (Xapian::BM25Weight) over the whole document: title, summary and
  // body together, each occurrence counted with its field's weight of
  // schema.h. 1.2 and 0.75, the textbook values, were within 0.01 of the best
  // on every set (k1 0.6–2.2, b 0.3–0.9); Xapian's 1.0 and 0.5 lost 0.005 in
  // English.
  double bm25_k1 = 1.2;
  double bm25_b = 0.75;
  // A match of the query read in the other language (a query of two words
  // may be either), against a match in the query's language.
  double other_language_weight = 0.5;
  // A match of a compound's or unit's parts instead of the whole word: in
  // keywords all its parts, near each other (a unit's in order); in a
  // question each part on its own.
  double compound_parts_weight = 0.5;
  // A match of the word written with(out) å, ä, ö ("malmo" for "malmö").
  double letter_fallback_weight = 0.3;
  // A match of a query word in the very form it was typed in, when that is
  // not its stem ("forskningen"), added to the stem's match: the exact form
  // ranks above the other forms of the word (schema::kExactPrefix says
  // where forms are indexed). bench/relevance (0 → 0.25): nDCG@10 Cranfield
  // 0.376 → 0.387, CISI 0.405 → 0.410, SweQUAD-MC 0.847 → 0.856; MRR@10
  // 0.562 → 0.576, 0.668 → 0.674, 0.811 → 0.823. 0.2 to 0.3 measured alike;
  // 0.1 gains half as much, and from 0.5 CISI loses 0.03.
  double exact_form_weight = 0.25;
  // A query of at most this many words (stop words aside) is read as
  // keywords: the articles with every word first, then, ranked apart, those
  // with fewer. A longer one is a question or a sentence, and requiring all
  // its words loses the answer: any word matches, ranked by BM25. 2 to 5
  // measured alike once the articles with fewer words follow. A query asked
  // in words (ending with "?", or beginning with "vad", "hur", "what",
  // "how" …) is a question however short: SweQUAD-MC nDCG@10 0.859 → 0.867.
  std::size_t all_words_up_to = 3;
  // A question's best 50 matches (more when the page goes further) are
  // reordered: each pair of its words at most `proximity_span` words apart
  // in the question (among its first 17 words, in both language readings)
  // found within `proximity_window` positions of each other in an article
  // adds this share of the article's weight. Keywords (up to all_words_up_to
  // words) are left as they are. 0 turns it off. bench/relevance (0.05, 8,
  // 3): nDCG@10 Cranfield 0.363 → 0.377, CISI 0.408 → 0.413, SweQUAD-MC
  // 0.836 → 0.844; MRR@10 0.533 → 0.568, 0.652 → 0.681, 0.799 → 0.809.
  // Spans 1–4, weights 0.02–0.1 and windows 4–12 all helped every set; a
  // weight of 0.1 and more starts to cost CISI.
  double proximity_weight = 0.05;
  std::size_t proximity_window = 8;
  std::size_t proximity_span = 3;
  // A pair of those found in an article in the question's order and at its
  // distance (a phrase of the question) adds this share more, times the
  // rarity of its commoner word (idf over the highest idf, log N): a phrase
  // of common words ("heat transfer") says little. bench/relevance (0 →
  // 0.07): nDCG@10 Cranfield 0.4082 → 0.4091, CISI 0.4115 → 0.4130,
  // SweQUAD-MC 0.8686 → 0.8700; MRR@10 0.5770 → 0.5780, 0.6734 → 0.6745,
  // 0.8365 → 0.8384. 0.07 to 0.14 measured alike; without the rarity,
  // Swedish gained more (0.1: +0.007) and Cranfield lost (MRR@10 −0.006).
  double proximity_phrase_weight = 0.07;
  // A question's words found together in one passage of an article, any
  // `passage_window` positions (about a sentence), add this share of its
  // weight times the fourth power of the share of their rarity (idf) the
  // best such passage holds: an answer's sentence tends to repeat the
  // question, while the words spread over a long article say less; a
  // passage with nearly all of them counts, one with half hardly. Among the
  // same 50 matches and 17 words as the proximity boost; 0 turns it off.
  // bench/relevance (0 → 0.5, 20): nDCG@10 Cranfield 0.4091 → 0.4089, CISI
  // 0.4130 → 0.4154, SweQUAD-MC 0.8700 → 0.8751; MRR@10 0.5780 → 0.5802,
  // 0.6745 → 0.6800, 0.8384 → 0.8440. Weights 0.3–1 and windows 16–30
  // measured within 0.0012 of that on SweQUAD-MC.
  double passage_weight = 0.5;
  std::size_t passage_window = 20;
  // Pseudo-relevance feedback for a question of at least
  // `feedback_min_words` words (stop words aside): the
  // `feedback_terms` words that best set its first `feedback_articles`
  // articles apart (Xapian's expand set) rank its matches after the first
  // `feedback_kept` again, the best word at `feedback_weight` of a question
  // word and the others in proportion. Only the articles with a word of the
  // question match, as before. 0 articles or weight turns it off.
  // bench/relevance (off → 5, 20, 0.5, 2, 5): nDCG@10 Cranfield 0.394 →
  // 0.408, CISI 0.410 → 0.411, SweQUAD-MC 0.8714 → 0.8709; MRR@10 0.576 →
  // 0.577, 0.675 → 0.673, 0.8393 → 0.8390; Cranfield's MAP@100 0.317 →
  // 0.335. Reranking the first two as well cost MRR@10 0.011 (Cranfield),
  // 0.032 (CISI) and 0.012 (SweQUAD-MC, whose questions each ask after one
  // passage); feedback for questions of any length cost SweQUAD-MC 0.002
  // (two thirds of its questions have 1 to 4 words). Articles 3–10, words 10–30
  // and weights 0.3–0.7 measured within 0.005 of these.
  std::size_t feedback_articles = 5;
  std::size_t feedback_terms = 20;
  double feedback_weight = 0.5;
  std::size_t feedback_kept = 2;
  std::size_t feedback_min_words = 5;
  // The recency boost for news: at most this weight for an article
  // published today (where a body match weighs about 1), halving every
  // half-life. 0 turns it off.
  double recency_weight = 0.15;
  double recency_half_life_days = 365;

  bool operator==(const RankingOptions&) const = default;
};

// Searches one index folder (its live build, through the XAPIANDB stub), or
// several shards as one index: local folders (a sharded folder counts as
// its shards) and remote shards, tcp://HOST:PORT, served by xapian-tcpsrv.
// Ranking, totals and facet counts over shards are those of one index of
// the same articles (Xapian shares the statistics; the recency boost and
// the facet counters are Xapian's own classes, which remote shards run).
// The remote protocol does not carry spelling data: suggestions of words,
// "did you mean" and the å/ä/ö fallback use the local shards' only.
// A remote shard that fails is left out (the response says so) and tried
// again after a back-off. Not thread-safe: one Searcher per thread, each
// with its own Xapian handles.
class Searcher {
 public:
  // Opens the index; throws IndexError when there is none or it cannot be
  // read, or when its schema version is not this program's.
  explicit Searcher(const std::string& index_dir, const RankingOptions& ranking = {});
  // Opens the shards of `indexes` (folders or tcp://HOST:PORT). Throws
  // IndexError when a location is malformed, a shard's schema version is
  // not this program's, a local one cannot be opened, or no shard answers.
  explicit Searcher(const std::vector<std::string>& indexes, const RankingOptions& ranking = {},
                    ShardOptions shards = {});
  ~Searcher();
  Searcher(Searcher&&) noexcept;
  Searcher& operator=(Searcher&&) noexcept;

  // Throws std::invalid_argument naming the parameter when the request is
  // out of range (size, page, from after to).
  SearchResponse search(const SearchRequest& request);

  // Up to `limit` completions of the last word of `typed`, most frequent
  // first: words of the spelling lists (of `language` only, unless it is
  // unknown), partner names and tags.
  std::vector<Suggestion> suggest(std::string_view typed, Language language = Language::unknown,
                                  std::size_t limit = 8);

  // The article with this id as a hit (without highlights), or nullopt.
  std::optional<Hit> document(const std::string& id);

  // Moves to the index's newest state when an update was committed or a new
  // build made live since the last call, and tries shards that are down
  // again when their back-off has passed; returns whether it moved. Throws
  // IndexError when a local index can no longer be opened (the old handle stays).
  bool refresh();

  IndexInfo info() const;
  std::size_t documents() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace sok
