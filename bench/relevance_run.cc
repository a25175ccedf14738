// Runs judged queries through sok's Searcher and writes a TREC run file, for
// bench/relevance to score.
//
//   relevance_run --index DIR --queries FILE --run FILE [--tag sok] [--size 100]
//                 [--ranking name=value ...]
//
// FILE holds one query a line as JSON: {"_id": "...", "text": "..."}. The
// query's language is identified as searchd does it; no filters, facets or
// highlights. --ranking overrides a RankingOptions default (bm25_k1=1.2).
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <fstream>
#include <map>
#include <stdexcept>
#include <string>
#include <variant>
#include <vector>

#include "sok/index/searcher.h"

namespace {

using Knob = std::variant<double sok::RankingOptions::*, std::size_t sok::RankingOptions::*>;

const std::map<std::string, Knob>& knobs() {
  static const std::map<std::string, Knob> table = {
      {"bm25_k1", &sok::RankingOptions::bm25_k1},
      {"bm25_b", &sok::RankingOptions::bm25_b},
      {"other_language_weight", &sok::RankingOptions::other_language_weight},
      {"compound_parts_weight", &sok::RankingOptions::compound_parts_weight},
      {"letter_fallback_weight", &sok::RankingOptions::letter_fallback_weight},
      {"exact_form_weight", &sok::RankingOptions::exact_form_weight},
      {"all_words_up_to", &sok::RankingOptions::all_words_up_to},
      {"proximity_weight", &sok::RankingOptions::proximity_weight},
      {"proximity_window", &sok::RankingOptions::proximity_window},
      {"proximity_span", &sok::RankingOptions::proximity_span},
      {"proximity_phrase_weight", &sok::RankingOptions::proximity_phrase_weight},
      {"passage_weight", &sok::RankingOptions::passage_weight},
      {"passage_window", &sok::RankingOptions::passage_window},
      {"feedback_articles", &sok::RankingOptions::feedback_articles},
      {"feedback_terms", &sok::RankingOptions::feedback_terms},
      {"feedback_weight", &sok::RankingOptions::feedback_weight},
      {"feedback_kept", &sok::RankingOptions::feedback_kept},
      {"feedback_min_words", &sok::RankingOptions::feedback_min_words},
      {"recency_weight", &sok::RankingOptions::recency_weight},
      {"recency_half_life_days", &sok::RankingOptions::recency_half_life_days},
  };
  return table;
}

// Sets one option from "name=value"; throws std::invalid_argument naming
// what is wrong.
void apply(sok::RankingOptions& options, const std::string& assignment) {
  const auto equals = assignment.find('=');
  const auto knob = knobs().find(assignment.substr(0, equals));
  if (equals == std::string::npos || knob == knobs().end())
    throw std::invalid_argument("unknown ranking option \"" + assignment + "\"");
  const std::string value = assignment.substr(equals + 1);
  if (const auto* real = std::get_if<double sok::RankingOptions::*>(&knob->second)) {
    options.*(*real) = std::stod(value);
  } else {
    options.*std::get<std::size_t sok::RankingOptions::*>(knob->second) = std::stoul(value);
  }
}

struct Query {
  std::string id;
  std::string text;
};

std::vector<Query> read_queries(const std::string& path) {
  std::ifstream in(path);
  std::vector<Query> queries;
  for (std::string line; std::getline(in, line);) {
    if (line.empty()) continue;
    const auto record = nlohmann::json::parse(line);
    queries.push_back({record.at("_id").get<std::string>(), record.at("text").get<std::string>()});
  }
  return queries;
}

// Writes the hits of each query as TREC run lines; returns the queries
// without a hit.
std::size_t write_run(sok::Searcher& searcher, const std::vector<Query>& queries, std::size_t size,
                      const std::string& tag, std::FILE* out) {
  std::size_t empty = 0;
  for (const Query& query : queries) {
    sok::SearchRequest request;
    request.query = query.text;
    request.size = size;
    request.highlights = false;
    const sok::SearchResponse response = searcher.search(request);
    empty += response.hits.empty();
    std::size_t rank = 0;
    for (const sok::Hit& hit : response.hits) {
      std::fprintf(out, "%s Q0 %s %zu %.6f %s\n", query.id.c_str(), hit.id.c_str(), ++rank,
                   hit.score, tag.c_str());
    }
  }
  return empty;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Judged queries through sok's Searcher into a TREC run file"};
  std::string index, queries_path, run_path, tag = "sok";
  std::size_t size = sok::kMaxPageSize;
  std::vector<std::string> ranking;
  app.add_option("--index", index, "Index folder")->required();
  app.add_option("--queries", queries_path, "Queries, JSON Lines with _id and text")
      ->required()
      ->check(CLI::ExistingFile);
  app.add_option("--run", run_path, "TREC run file to write")->required();
  app.add_option("--tag", tag, "Run tag");
  app.add_option("--size", size, "Hits per query")->check(CLI::Range(1, 100));
  app.add_option("--ranking", ranking, "RankingOptions override, name=value");
  CLI11_PARSE(app, argc, argv);

  try {
    sok::RankingOptions options;
    for (const auto& assignment : ranking) apply(options, assignment);
    sok::Searcher searcher(index, options);
    const auto queries = read_queries(queries_path);
    std::FILE* out = std::fopen(run_path.c_str(), "w");
    if (!out) throw std::runtime_error("cannot write " + run_path);
    const std::size_t empty = write_run(searcher, queries, size, tag, out);
    std::fclose(out);
    std::printf("%zu queries, %zu without hits\n", queries.size(), empty);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "relevance_run: %s\n", e.what());
    return 1;
  }
  return 0;
}
