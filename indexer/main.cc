// indexer: builds and maintains a sok index from JSON Lines, HTML pages and
// WordPress exports. All the work is in index/; this parses the command
// line, runs it and reports.
//
// Exit codes: 0 all good (warnings, such as two records of one page, are
// listed on stderr); 1 some articles rejected (listed on stderr); 2 usage
// error; 3 the index could not be written (the previous index is untouched).
#include <CLI/CLI.hpp>

#include <chrono>
#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include "progress.h"
#include "sok/index/index_error.h"
#include "sok/index/indexing.h"
#include "sok/index/shards.h"

namespace {

constexpr int kOk = 0;
constexpr int kRejected = 1;
constexpr int kUsage = 2;
constexpr int kIndexFailed = 3;

struct Arguments {
  std::vector<std::string> sources;
  std::vector<std::string> ids;
  std::string index;
  std::size_t batch = sok::IndexingOptions{}.batch_size;
  unsigned threads = 0;
  bool no_compounds = false;
  unsigned wait_seconds = 0;  // for another writer's lock
  std::size_t shards = 0;     // build: 0 keeps the index's layout
};

int report(const sok::IndexingReport& r, const char* verb) {
  for (const auto& issue : r.rejected)
    std::fprintf(stderr, "%s: %s\n", issue.origin.c_str(), issue.message.c_str());
  for (const auto& issue : r.warnings)
    std::fprintf(stderr, "%s: warning: %s\n", issue.origin.c_str(), issue.message.c_str());
  const std::size_t handled = r.added + r.replaced + r.unchanged;
  std::printf(
      "%s %zu articles in %.1f s (%.0f/s): %zu added, %zu replaced, %zu unchanged, %zu rejected; "
      "the index holds %zu documents\n",
      verb, handled, r.seconds, r.seconds > 0 ? handled / r.seconds : 0.0, r.added, r.replaced,
      r.unchanged, r.rejected.size(), r.documents);
  return r.rejected.empty() ? kOk : kRejected;
}

sok::IndexingOptions options_from(const Arguments& args, sok::ProgressBar& bar) {
  sok::IndexingOptions options;
  options.batch_size = args.batch;
  options.threads = args.threads;
  options.analyzer.split_compounds = !args.no_compounds;
  options.lock_wait = std::chrono::seconds(args.wait_seconds);
  options.shards = args.shards;
  options.on_progress = [&bar](const sok::IndexingProgress& p) { bar.update(p); };
  return options;
}

int run_build(const Arguments& args, bool update) {
  sok::ProgressBar bar(stderr);
  const auto options = options_from(args, bar);
  const auto result = update ? sok::update_index(args.index, args.sources, options)
                             : sok::build_index(args.index, args.sources, options);
  bar.finish();
  return report(result, update ? "updated with" : "built from");
}

int run_delete(const Arguments& args) {
  sok::IndexingOptions options;
  options.lock_wait = std::chrono::seconds(args.wait_seconds);
  const auto result = sok::delete_from_index(args.index, args.ids, options);
  std::printf("deleted %zu articles, %zu ids not in the index; the index holds %zu documents\n",
              result.deleted, result.not_found, result.documents);
  return result.not_found == 0 ? kOk : kRejected;
}

int run_stats(const Arguments& args) {
  const auto s = sok::index_stats(args.index);
  std::printf(
      "index          %s\nbuild          %s\ndocuments      %zu\nrevision       %s\nschema version "
      "%s\n"
      "built at       %s\nupdated at     %s\nsize           %.1f MB\nspelling words %zu\n",
      args.index.c_str(), s.build.c_str(), s.documents, s.revision.c_str(),
      s.schema_version.c_str(), s.built_at.c_str(),
      s.updated_at.empty() ? "-" : s.updated_at.c_str(), s.bytes / 1e6, s.spelling_words);
  if (!s.shard_documents.empty()) {
    std::printf("shards         %zu, documents:", s.shard_documents.size());
    for (const std::size_t count : s.shard_documents) std::printf(" %zu", count);
    std::printf("\n");
  }
  for (const auto& [title, counts] :
       {std::pair{"type", &s.per_type}, std::pair{"language", &s.per_language},
        std::pair{"year", &s.per_year}}) {
    std::printf("per %s:", title);
    for (const auto& [key, count] : *counts) std::printf("  %s %zu", key.c_str(), count);
    std::printf("\n");
  }
  return kOk;
}

int run_check(const Arguments& args) {
  const auto problems = sok::check_index(args.index);
  for (const auto& problem : problems)
    std::fprintf(stderr, "%s: %s\n", args.index.c_str(), problem.c_str());
  std::printf("%s: %s\n", args.index.c_str(),
              problems.empty() ? "healthy" : "has problems (listed above)");
  return problems.empty() ? kOk : kRejected;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "indexer: builds and maintains the sok search index.\n"
      "Sources are JSON Lines files (.jsonl), HTML pages (.html), WordPress REST exports (.json),\n"
      "or folders of them. Exit codes: 0 all good (warnings listed on stderr), 1 some articles\n"
      "rejected (listed on stderr), 2 usage error,\n"
      "3 the index could not be written (the previous index is untouched)."};
  app.require_subcommand(1);
  Arguments args;
  auto index_option = [&](CLI::App* command) {
    command->add_option("--index", args.index, "Index folder (created when missing)")->required();
  };
  auto wait_option = [&](CLI::App* command) {
    command
        ->add_option("--wait", args.wait_seconds,
                     "Seconds to wait while another writer (searchd's admin job, another "
                     "indexer) holds the index, before exit code 3")
        ->capture_default_str()
        ->check(CLI::Range(0, 86400));
  };
  auto* build =
      app.add_subcommand("build", "Build a new index of SOURCES and switch to it when complete");
  auto* update = app.add_subcommand(
      "update", "Add or replace articles of SOURCES by id; unchanged ones are skipped");
  for (auto* command : {build, update}) {
    command->add_option("sources", args.sources, "Files or folders to index")
        ->required()
        ->check(CLI::ExistingPath);
    index_option(command);
    command->add_option("--batch", args.batch, "Documents per commit (bounds memory)")
        ->capture_default_str()
        ->check(CLI::Range(1, 10000000));
    command->add_flag("--no-compounds", args.no_compounds, "Do not split Swedish compounds");
    command
        ->add_option("--threads", args.threads, "Shards written at once by build (0: one per core)")
        ->capture_default_str()
        ->check(CLI::Range(0, 16));
    wait_option(command);
  }
  build
      ->add_option(
          "--shards", args.shards,
          "Split the index into N shards by a hash of the article id (FNV-1a 64 mod N), "
          "one index folder each under --index; default: as the index is (1 for a new one)")
      ->check(CLI::Range(std::size_t{1}, sok::kMaxShards));
  auto* remove = app.add_subcommand("delete", "Delete articles by id");
  remove->add_option("ids", args.ids, "Article ids")->required();
  index_option(remove);
  wait_option(remove);
  auto* stats =
      app.add_subcommand("stats", "Documents per type, language and year; revision, schema, size");
  index_option(stats);
  auto* check = app.add_subcommand("check", "Check the index for corruption and schema problems");
  index_option(check);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? kOk : kUsage;
  }
  try {
    if (*build) return run_build(args, false);
    if (*update) return run_build(args, true);
    if (*remove) return run_delete(args);
    if (*stats) return run_stats(args);
    return run_check(args);
  } catch (const sok::IndexError& e) {
    std::fprintf(stderr, "indexer: %s\n", e.what());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "indexer: %s\n", e.what());
  }
  return kIndexFailed;
}
