// Where a build's time goes, one phase at a time: reading the sources, the
// analysis (DocumentBuilder, one thread a shard), then Xapian alone on the
// documents analysed before: writing the shards in parallel, their spelling
// words, and the compaction into one index. `indexer build` overlaps the
// reading and the analysis with the writing; here each runs on its own, so
// "Xapian total" is what the writing costs however fast the analysis were.
//
//   index_phases --source FILE [--source FILE ...] --work DIR [--runs 3]
//
// Prints a table of medians; asserts nothing.
#include <xapian.h>
#include <CLI/CLI.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "sok/index/document_builder.h"
#include "sok/index/indexing.h"
#include "sok/index/sources.h"
#include "writer.h"

namespace {

using Clock = std::chrono::steady_clock;

class Collect : public sok::ArticleSink {
 public:
  std::vector<sok::Article> articles;
  std::size_t rejected = 0;
  void accept(sok::Article article) override { articles.push_back(std::move(article)); }
  void reject(sok::SourceIssue) override { ++rejected; }
};

double seconds_of(const std::function<void()>& phase) {
  const auto start = Clock::now();
  phase();
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// Runs `work(i)` for i in [0, n) on n threads.
void in_parallel(unsigned n, const std::function<void(unsigned)>& work) {
  std::vector<std::thread> threads;
  for (unsigned i = 0; i < n; ++i) threads.emplace_back(work, i);
  for (auto& thread : threads) thread.join();
}

// One build, phase by phase: seconds per phase name.
std::map<std::string, double> one_run(const std::vector<std::string>& sources,
                                      const std::string& work, unsigned shards,
                                      std::size_t& documents, std::size_t& rejected) {
  const sok::IndexingOptions options;
  std::map<std::string, double> seconds;
  Collect read;
  seconds["1 read"] = seconds_of([&] { sok::read_sources(sources, read, options.limits); });
  documents = read.articles.size();
  rejected = read.rejected;

  std::vector<std::vector<sok::IndexedDocument>> analysed(shards);
  seconds["2 analysis"] = seconds_of([&] {
    in_parallel(shards, [&](unsigned shard) {
      sok::DocumentBuilder builder(options.analyzer);
      for (std::size_t i = shard; i < read.articles.size(); i += shards)
        analysed[shard].push_back(builder.build(read.articles[i]));
    });
  });

  std::filesystem::remove_all(work);
  std::filesystem::create_directories(work);
  std::vector<std::unique_ptr<Xapian::WritableDatabase>> dbs(shards);
  std::vector<sok::SpellingCounts> spellings(shards);
  seconds["3 xapian: shards"] = seconds_of([&] {
    in_parallel(shards, [&](unsigned shard) {
      dbs[shard] = std::make_unique<Xapian::WritableDatabase>(
          work + "/shard" + std::to_string(shard),
          Xapian::DB_CREATE | Xapian::DB_BACKEND_GLASS | Xapian::DB_NO_SYNC | Xapian::DB_DANGEROUS);
      sok::IndexingReport report;
      sok::Writer writer(*dbs[shard], /*fresh=*/true, options.batch_size, report);
      for (auto& doc : analysed[shard]) writer.write(doc, /*may_exist=*/false);
      spellings[shard] = writer.flush_documents();
    });
  });

  seconds["4 xapian: spelling"] = seconds_of([&] {
    sok::SpellingCounts all = std::move(spellings[0]);
    for (unsigned i = 1; i < shards; ++i) all.add(spellings[i]);
    const std::vector<sok::SpellingCounts> parts = all.dealt(shards);
    in_parallel(shards, [&](unsigned shard) {
      sok::add_spellings(*dbs[shard], parts[shard]);
      dbs[shard]->commit();
      dbs[shard]->close();
    });
  });

  seconds["5 xapian: compaction"] = seconds_of([&] {
    Xapian::Database all;
    for (unsigned i = 0; i < shards; ++i)
      all.add_database(Xapian::Database(work + "/shard" + std::to_string(i)));
    all.compact(work + "/index", Xapian::DB_BACKEND_GLASS, sok::kBlockSize);
  });
  std::filesystem::remove_all(work);
  return seconds;
}

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Where a build's time goes, phase by phase"};
  std::vector<std::string> sources;
  std::string work;
  int runs = 3;
  app.add_option("--source", sources, "JSON Lines, HTML or WordPress sources, as indexer build")
      ->required()
      ->check(CLI::ExistingPath);
  app.add_option("--work", work, "scratch folder (emptied)")->required();
  app.add_option("--runs", runs, "runs; medians are printed")->check(CLI::Range(1, 100));
  CLI11_PARSE(app, argc, argv);

  const unsigned shards = std::max(1u, std::thread::hardware_concurrency());
  std::map<std::string, std::vector<double>> seconds;
  std::size_t documents = 0;
  std::size_t rejected = 0;
  for (int run = 0; run < runs; ++run) {
    for (const auto& [phase, s] : one_run(sources, work, shards, documents, rejected))
      seconds[phase].push_back(s);
  }
  std::printf("%zu documents (%zu rejected), %u shards in parallel, medians of %d runs\n",
              documents, rejected, shards, runs);
  std::printf("%-24s %9s %9s\n", "phase", "seconds", "docs/s");
  double xapian = 0;
  for (const auto& [phase, values] : seconds) {
    const double s = median(values);
    if (phase.find("xapian") != std::string::npos) xapian += s;
    std::printf("%-24s %9.3f %9.0f\n", phase.c_str(), s, documents / s);
  }
  std::printf("%-24s %9.3f %9.0f\n", "xapian total", xapian, documents / xapian);
  return 0;
}
