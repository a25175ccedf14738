// The JSON Lines reader as the indexer runs it: the input written to a
// .jsonl file and read with read_sources, every line a corpus record.
//
// Invariants: every non-blank line gives an article or an issue that names
// the file and line; every article passes check_article (UTF-8 fields, a
// bounded id without control characters, a document the index can store).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_support.h"
#include "sok/index/sources.h"

namespace {

using sok::fuzz::check;

class CheckingSink : public sok::ArticleSink {
 public:
  explicit CheckingSink(std::string file) : file_(std::move(file)) {}
  void accept(sok::Article article) override {
    sok::fuzz::check_article(article);
    ++records;
  }
  void reject(sok::SourceIssue issue) override {
    check(issue.origin.rfind(file_ + ":", 0) == 0, "an issue without file and line", issue.origin);
    check(!issue.message.empty(), "an issue without a message", issue.origin);
    check(sok::fuzz::valid_utf8(issue.message), "an issue message not UTF-8", issue.message);
    ++records;
  }
  std::size_t records = 0;

 private:
  std::string file_;
};

// The lines std::getline finds that hold more than blanks.
std::size_t records_in(std::string_view text) {
  std::size_t count = 0;
  while (!text.empty()) {
    const std::size_t end = text.find('\n');
    if (text.substr(0, end).find_first_not_of(" \t\r") != std::string_view::npos) ++count;
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
  return count;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::string file = sok::fuzz::scratch_file(".jsonl");
  const std::string_view text = sok::fuzz::text_of(data, size);
  sok::fuzz::write_file(file, text);
  CheckingSink sink(file);
  sok::read_sources({file}, sink);
  check(sink.records == records_in(text), "a record neither accepted nor rejected");
  return 0;
}
