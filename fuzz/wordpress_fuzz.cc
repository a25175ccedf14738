// The WordPress REST export reader on any bytes, in memory.
//
// Invariants: every article passes check_article (UTF-8 fields, a bounded
// id without control characters, a document the index can store); every
// issue names the file and says what is wrong.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_support.h"
#include "sok/index/sources.h"
#include "wordpress.h"

namespace {

using sok::fuzz::check;

constexpr std::string_view kFile = "wp/posts.json";

class CheckingSink : public sok::ArticleSink {
 public:
  void accept(sok::Article article) override { sok::fuzz::check_article(article); }
  void reject(sok::SourceIssue issue) override {
    check(issue.origin.rfind(kFile, 0) == 0, "an issue that does not name the file", issue.origin);
    check(!issue.message.empty(), "an issue without a message", issue.origin);
    check(sok::fuzz::valid_utf8(issue.origin + issue.message), "an issue not UTF-8", issue.message);
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  CheckingSink sink;
  sok::read_wordpress_export(sok::fuzz::text_of(data, size), std::string(kFile), sink,
                             sok::SourceLimits{});
  return 0;
}
