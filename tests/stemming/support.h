// Helpers shared by the test files of stemming_test: readable names in
// assertion messages, the analyzers most tests use, and short views of an
// analysis.
#pragma once

#include <catch2/catch.hpp>

#include <string>
#include <string_view>
#include <vector>

#include "sok/stemming/analyzer.h"
#include "sok/stemming/language.h"
#include "sok/stemming/token.h"

// Readable names in assertion messages (one definition per specialisation
// for the whole binary).
namespace Catch {
template <>
struct StringMaker<sok::TokenKind> {
  static std::string convert(sok::TokenKind kind) {
    return std::string(sok::token_kind_name(kind));
  }
};
template <>
struct StringMaker<sok::Language> {
  static std::string convert(sok::Language language) {
    return language == sok::Language::unknown ? "unknown"
                                              : std::string(sok::language_code(language));
  }
};
}  // namespace Catch

namespace sok::test {

// Returns the analyzer with default options: the full chain, as the index uses it.
Analyzer& full_analyzer();

// Returns an analyzer that only folds: no compound splitting, no stemming.
Analyzer& folding_analyzer();

// Returns the bytes of `text` that `token` covers, as written.
std::string_view written(std::string_view text, const Token& token);

// Returns a listing of the analysis of `text`, one line per token, for INFO.
std::string dump(std::string_view text, const Analysis& analysis);

// Returns the same listing without the words as written, for when the text is not at hand.
std::string dump(const Analysis& analysis);

// Returns the terms of the analysis in token order.
std::vector<std::string> terms(const Analysis& analysis);

// Returns the forms of the analysis in token order.
std::vector<std::string> forms(const Analysis& analysis);

// Returns whether some token of the analysis has `term` as its term.
bool has_term(const Analysis& analysis, std::string_view term);

}  // namespace sok::test
