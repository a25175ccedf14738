// Analysis throughput, compound-splitting precision and language-id accuracy.
//
//   analysis_bench [--data ../shared/data] [--runs 3]
//
// Prints tables; asserts nothing. Throughput is single-threaded (MB/s per
// core), the median of --runs runs, each with a fresh analyzer (so the
// compound memo starts cold, as in a fresh indexer); loading the Swedish
// lexicon (about 0.2 s, once per process) is not timed.
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "compound_eval.h"
#include "sok/stemming/analyzer.h"
#include "sok/stemming/language_id.h"
#include "sok/stemming/swedish_lexicon.h"

namespace {

// Meilisearch's tokenizer (charabia) publishes about 9 MiB/s on Latin text.
constexpr double kPeerMiBPerSecond = 9.0;

struct Document {
  std::string text;
  std::string lang;
  double swedish_share = 1.0;
};

std::vector<Document> read_jsonl(const std::string& path, const std::string& text_field = "text") {
  std::vector<Document> docs;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    const auto record = nlohmann::json::parse(line);
    Document doc;
    doc.text = record.value(text_field, "");
    doc.lang = record.value("lang", "");
    doc.swedish_share = record.value("swedish_function_word_share", 1.0);
    if (!doc.text.empty()) docs.push_back(std::move(doc));
  }
  return docs;
}

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values.empty() ? 0.0 : values[values.size() / 2];
}

struct Throughput {
  double megabytes = 0;
  double mb_per_second = 0;
  double tokens_per_second = 0;
};

Throughput measure(const std::vector<Document>& docs, sok::Language language, bool compounds,
                   int runs) {
  std::size_t bytes = 0;
  for (const auto& d : docs) bytes += d.text.size();
  std::vector<double> seconds;
  std::size_t tokens = 0;
  sok::AnalyzerOptions options;
  options.split_compounds = compounds;
  // Loaded once, as a daemon or an indexer does: not part of the timing.
  const auto lexicon = compounds ? sok::SwedishLexicon::load(options.dictionary_dir) : nullptr;
  for (int run = 0; run < runs; ++run) {
    sok::Analyzer analyzer(options, lexicon);
    tokens = 0;
    const auto start = std::chrono::steady_clock::now();
    for (const auto& d : docs) tokens += analyzer.analyze(d.text, language).tokens.size();
    seconds.push_back(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
  const double t = median(seconds);
  return {bytes / 1e6, bytes / 1e6 / t, tokens / t};
}

void print_throughput(const std::string& data, int runs) {
  struct Row {
    std::string name;
    std::string file;
    sok::Language language;
  };
  const std::vector<Row> rows = {
      {"libreoffice-help sv", data + "/libreoffice-help-sv-en/corpus_sv.jsonl", sok::Language::sv},
      {"reuters21578 en", data + "/reuters21578/corpus.jsonl", sok::Language::en},
      {"libreoffice-help sv, language unknown", data + "/libreoffice-help-sv-en/corpus_sv.jsonl",
       sok::Language::unknown},
  };
  std::printf("\nAnalysis throughput, one thread, median of %d runs\n", runs);
  std::printf("%-40s %-10s %8s %9s %12s %14s\n", "corpus", "compounds", "MB", "MB/s", "tokens/s",
              "vs 9 MiB/s peer");
  for (const auto& row : rows) {
    const auto docs = read_jsonl(row.file);
    if (docs.empty()) {
      std::printf("%-40s (missing: %s)\n", row.name.c_str(), row.file.c_str());
      continue;
    }
    for (bool compounds : {true, false}) {
      const auto t = measure(docs, row.language, compounds, runs);
      const double mib = t.mb_per_second * 1e6 / (1024.0 * 1024.0);
      std::printf("%-40s %-10s %8.2f %9.2f %12.0f %13.2fx\n", row.name.c_str(),
                  compounds ? "on" : "off", t.megabytes, t.mb_per_second, t.tokens_per_second,
                  mib / kPeerMiBPerSecond);
    }
  }
}

void print_compound_precision(const std::string& source_dir) {
  const std::string path = source_dir + "/tests/data/sv_compounds.tsv";
  sok::Decompounder decompounder(sok::SwedishLexicon::load("/usr/share/hunspell"));
  const auto score = sok::eval::score_compounds(decompounder, sok::eval::read_compound_cases(path));
  std::printf("\nSwedish compound splitting (%s)\n", path.c_str());
  std::printf("%-34s %8s\n", "measure", "value");
  std::printf("%-34s %8zu\n", "compounds / non-compounds", score.compounds);
  std::printf("%-34s %8zu\n", "", score.non_compounds);
  std::printf("%-34s %8.3f\n", "precision (parts' stems)", score.stem_precision());
  std::printf("%-34s %8.3f\n", "recall (parts' stems)", score.stem_recall());
  std::printf("%-34s %8.3f\n", "precision (exact lemmas)", score.precision());
  std::printf("%-34s %8.3f\n", "recall (exact lemmas)", score.recall());
  std::printf("%-34s %8zu\n", "false splits of non-compounds", score.false_splits);
}

struct Accuracy {
  std::size_t total = 0;
  std::size_t right = 0;
};

Accuracy identify_all(const std::vector<Document>& docs, sok::Language expected, double min_share) {
  Accuracy a;
  for (const auto& d : docs) {
    if (expected == sok::Language::sv && d.swedish_share < min_share) continue;
    ++a.total;
    a.right += sok::identify_language(d.text) == expected;
  }
  return a;
}

void print_language_accuracy(const std::string& data) {
  struct Row {
    std::string name;
    std::string file;
    sok::Language expected;
  };
  const std::vector<Row> rows = {
      {"cfi-book paragraphs sv", data + "/cfi-book-sv-en/corpus_sv_paragraphs.jsonl",
       sok::Language::sv},
      {"cfi-book paragraphs en", data + "/cfi-book-sv-en/corpus_en_paragraphs.jsonl",
       sok::Language::en},
      {"libreoffice-help sv (>= 80% Swedish)", data + "/libreoffice-help-sv-en/corpus_sv.jsonl",
       sok::Language::sv},
      {"libreoffice-help en", data + "/libreoffice-help-sv-en/corpus_en.jsonl", sok::Language::en},
  };
  std::printf("\nLanguage identification\n%-40s %8s %8s %9s\n", "set", "texts", "right",
              "accuracy");
  for (const auto& row : rows) {
    const auto docs = read_jsonl(row.file);
    const auto a = identify_all(docs, row.expected, 0.8);
    std::printf("%-40s %8zu %8zu %8.1f%%\n", row.name.c_str(), a.total, a.right,
                a.total ? 100.0 * a.right / a.total : 0.0);
  }
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Analysis throughput, compound precision and language-id accuracy"};
  std::string data = "../shared/data";
  std::string source = ".";
  int runs = 3;
  app.add_option("--data", data, "Folder of the shared test corpora")
      ->check(CLI::ExistingDirectory);
  app.add_option("--source", source, "Project checkout (for tests/data)")
      ->check(CLI::ExistingDirectory);
  app.add_option("--runs", runs, "Runs per measurement (median is printed)")
      ->check(CLI::Range(1, 50));
  CLI11_PARSE(app, argc, argv);
  try {
    print_compound_precision(source);
    print_language_accuracy(data);
    print_throughput(data, runs);
  } catch (const std::exception& e) {
    std::cerr << "analysis_bench: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
