#include "support.h"

#include <algorithm>
#include <cstddef>
#include <optional>
#include <sstream>

namespace sok::test {
namespace {

// More tokens than this are left out of a dump (only the count is shown), so
// that a huge text does not make a huge message.
constexpr std::size_t kMaxDumpedTokens = 200;

std::string dump_tokens(std::optional<std::string_view> text, const Analysis& analysis) {
  std::ostringstream out;
  out << "language " << Catch::StringMaker<Language>::convert(analysis.language)
      << ", invalid_utf8 " << analysis.invalid_utf8 << ", dropped " << analysis.dropped << '\n';
  std::size_t shown = 0;
  for (const Token& t : analysis.tokens) {
    if (++shown > kMaxDumpedTokens) {
      out << "... " << analysis.tokens.size() << " tokens\n";
      break;
    }
    out << t.position << ' ' << token_kind_name(t.kind) << " term=" << t.term << " form=" << t.form
        << (t.stop ? " stop" : "") << " [" << t.begin << ',' << t.end << ')';
    // A token whose range lies outside the text is shown without the text.
    if (text && t.begin <= t.end && t.end <= text->size()) out << " '" << written(*text, t) << "'";
    out << '\n';
  }
  return out.str();
}

}  // namespace

Analyzer& full_analyzer() {
  static Analyzer instance;
  return instance;
}

Analyzer& folding_analyzer() {
  static Analyzer instance(AnalyzerOptions{.split_compounds = false, .stem = false});
  return instance;
}

std::string_view written(std::string_view text, const Token& token) {
  return text.substr(token.begin, token.end - token.begin);
}

std::string dump(std::string_view text, const Analysis& analysis) {
  return dump_tokens(text, analysis);
}

std::string dump(const Analysis& analysis) {
  return dump_tokens(std::nullopt, analysis);
}

std::vector<std::string> terms(const Analysis& analysis) {
  std::vector<std::string> out;
  for (const Token& t : analysis.tokens) out.push_back(t.term);
  return out;
}

std::vector<std::string> forms(const Analysis& analysis) {
  std::vector<std::string> out;
  for (const Token& t : analysis.tokens) out.push_back(t.form);
  return out;
}

bool has_term(const Analysis& analysis, std::string_view term) {
  return std::any_of(analysis.tokens.begin(), analysis.tokens.end(),
                     [term](const Token& t) { return t.term == term; });
}

}  // namespace sok::test
