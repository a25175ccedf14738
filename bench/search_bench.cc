// In-process Searcher latency: p50/p99 of 1–3-word queries with snippets
// and exact facet counts (and with the counts but no snippets), drawn
// from the index's own frequent words or read from a file (one query a
// line, as bench/search_peers.py gives every system).
//
//   search_bench --index DIR [--queries 1000] [--facets type,year,tag]
//                [--query-file FILE]
//
// Prints a table; asserts nothing.
#include <xapian.h>
#include <CLI/CLI.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "sok/index/schema.h"
#include "sok/index/searcher.h"

namespace {

// Words of the index's spelling lists seen at least `min_count` times.
std::vector<std::string> frequent_words(const std::string& index, unsigned min_count) {
  Xapian::Database db(index);
  std::vector<std::string> words;
  for (auto it = db.spellings_begin(); it != db.spellings_end(); ++it) {
    const std::string word = sok::schema::spelling_form(*it);
    if (it.get_termfreq() >= min_count && word.size() > 2) words.push_back(word);
  }
  return words;
}

// `count` queries of 1–3 frequent words.
std::vector<std::string> random_queries(const std::vector<std::string>& words, int count) {
  std::mt19937 random(42);
  std::uniform_int_distribution<std::size_t> pick(0, words.size() - 1);
  std::uniform_int_distribution<int> length(1, 3);
  std::vector<std::string> queries;
  for (int i = 0; i < count; ++i) {
    std::string query;
    for (int w = length(random); w > 0; --w) query += words[pick(random)] + " ";
    queries.push_back(query);
  }
  return queries;
}

std::vector<std::string> read_queries(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::string> queries;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) queries.push_back(line);
  }
  return queries;
}

double percentile(std::vector<double> values, double p) {
  std::sort(values.begin(), values.end());
  return values[std::min(values.size() - 1, static_cast<std::size_t>(p * values.size()))];
}

void print_slowest(const std::vector<std::string>& texts, const std::vector<double>& ms,
                   const std::vector<std::size_t>& totals, std::size_t count) {
  std::vector<std::size_t> order(ms.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  count = std::min(count, order.size());
  std::partial_sort(order.begin(), order.begin() + count, order.end(),
                    [&](std::size_t a, std::size_t b) { return ms[a] > ms[b]; });
  std::printf("\n%9s %9s  %s\n", "ms", "matches", "slowest queries");
  for (std::size_t i = 0; i < count; ++i)
    std::printf("%9.2f %9zu  %s\n", ms[order[i]], totals[order[i]], texts[order[i]].c_str());
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"In-process search latency"};
  std::string index;
  int queries = 1000;
  std::vector<std::string> facets = {"type", "year", "tag"};
  std::string query_file;
  std::size_t slowest = 0;
  app.add_option("--index", index, "Index folder")->required();
  app.add_option("--queries", queries, "Queries to time")->check(CLI::Range(10, 1000000));
  app.add_option("--facets", facets, "Facets to count")->delimiter(',');
  app.add_option("--query-file", query_file, "Queries to time, one a line")
      ->check(CLI::ExistingFile);
  app.add_option("--slowest", slowest, "Also list the N slowest queries with facets");
  CLI11_PARSE(app, argc, argv);

  sok::Searcher searcher(index);
  const auto texts = query_file.empty() ? random_queries(frequent_words(index, 5), queries)
                                        : read_queries(query_file);
  if (texts.empty()) {
    std::fprintf(stderr, "search_bench: no queries (no frequent words in %s, or an empty file)\n",
                 index.c_str());
    return 1;
  }
  std::printf("%-34s %9s %9s %9s %9s %9s\n", "setting", "queries", "p50 ms", "p99 ms", "q/s",
              "hits/q");
  struct Setting {
    const char* name;
    bool facets;
    bool snippets;
  };
  for (const Setting setting : {Setting{"top 10 + snippets", false, true},
                                Setting{"top 10 + snippets + exact facets", true, true},
                                Setting{"top 10, no snippets, exact facets", true, false}}) {
    std::vector<double> ms;
    std::vector<std::size_t> totals;
    std::size_t hits = 0;
    for (const auto& text : texts) {
      sok::SearchRequest request;
      request.query = text;
      if (setting.facets) request.facets = facets;
      request.highlights = setting.snippets;
      const auto start = std::chrono::steady_clock::now();
      const sok::SearchResponse response = searcher.search(request);
      ms.push_back(
          std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
              .count());
      hits += response.hits.size();
      totals.push_back(response.total);
    }
    double total_ms = 0;
    for (double m : ms) total_ms += m;
    std::printf("%-34s %9zu %9.2f %9.2f %9.0f %9.1f\n", setting.name, ms.size(),
                percentile(ms, 0.5), percentile(ms, 0.99), 1000.0 * ms.size() / total_ms,
                static_cast<double>(hits) / ms.size());
    if (setting.facets && setting.snippets && slowest > 0)
      print_slowest(texts, ms, totals, slowest);
  }
  return 0;
}
