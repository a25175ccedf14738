#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace sok {

enum class TokenKind : std::uint8_t {
  word,           // letters, possibly with digits ("covid", "h2o")
  number,         // digits only, possibly with separators ("2024", "3,5")
  unit,           // a hyphenated group, e-mail address, URL or host name kept whole
  unit_part,      // one word of a unit, at the unit's position
  compound_part,  // one part of a Swedish compound, at the compound's position
};

// The name of `kind` as the enum spells it ("word", "unit_part", ...), for
// messages and debugging output.
constexpr std::string_view token_kind_name(TokenKind kind) {
  switch (kind) {
    case TokenKind::word:
      return "word";
    case TokenKind::number:
      return "number";
    case TokenKind::unit:
      return "unit";
    case TokenKind::unit_part:
      return "unit_part";
    case TokenKind::compound_part:
      return "compound_part";
  }
  return "?";
}

// One token of analysed text.
//
// Parts come right after the token they belong to. Compound parts share the
// compound's position. Unit parts take consecutive positions starting at the
// unit's own, so "covid-19" in a query matches "COVID 19" and
// "covid-19-pandemin" in a text as a phrase of its parts; the token after a
// unit follows its last part.
struct Token {
  std::string term;  // what the index stores: folded, and stemmed for words
  std::string form;  // folded but not stemmed (spelling, completion, exact match)
  std::uint32_t position = 0;
  std::uint32_t begin = 0;  // byte range [begin, end) in the original text
  std::uint32_t end = 0;
  TokenKind kind = TokenKind::word;
  // A stop word keeps its position, so the words around it keep their
  // distance (phrases still line up), but carries no weight: the index
  // leaves it out and the query side drops it from the query.
  bool stop = false;

  bool is_part() const { return kind == TokenKind::unit_part || kind == TokenKind::compound_part; }
};

}  // namespace sok
