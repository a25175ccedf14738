// The HTML extractor: article_from_html and html_to_text on any bytes.
//
// Invariants: an article passes check_article (UTF-8 fields, a bounded id
// without control characters, a document the index can store); for UTF-8
// input the text is UTF-8; the text of a <script> is never part of it.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_support.h"
#include "sok/index/sources.h"

namespace {

using sok::fuzz::check;

// A script whose text must not reach the extracted text, put before the input
// (after it, an unclosed <plaintext> or comment of the input would rightly
// swallow it).
constexpr std::string_view kScript = "<script>var sokFuzzSecret = 1;</script>";
constexpr std::string_view kSecret = "sokFuzzSecret";

std::size_t occurrences(std::string_view text, std::string_view word) {
  std::size_t count = 0;
  for (auto at = text.find(word); at != std::string_view::npos; at = text.find(word, at + 1))
    ++count;
  return count;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view html = sok::fuzz::text_of(data, size);
  const bool utf8_input = sok::fuzz::valid_utf8(html);
  const sok::ParsedArticle parsed = sok::article_from_html(html, "site/page.html");
  if (parsed.article) {
    sok::fuzz::check_article(*parsed.article);
  } else {
    check(!parsed.error.empty(), "neither an article nor an error");
  }
  const std::string text = sok::html_to_text(html);
  if (utf8_input) check(sok::fuzz::valid_utf8(text), "html_to_text gave bytes that are not UTF-8");
  // The script adds no word to the text. The input's own text may spell the
  // secret even where the input does not: a parser drops NUL characters in a
  // body ("sokF\0uzzSecret").
  const std::string wrapped = std::string(kScript) + std::string(html);
  check(occurrences(sok::html_to_text(wrapped), kSecret) == occurrences(text, kSecret),
        "the text of a script became text");
  return 0;
}
