#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace sok {

// One part of a visitor's query, before analysis.
struct QueryClause {
  enum class Kind { word, phrase };
  Kind kind = Kind::word;
  std::string text;  // as typed, without quotes, '-', '*' or field name
  std::string
      field;  // "" for free text, else title, summary, body, tag, partner, author, type, lang, year
  bool excluded = false;  // -word, -"phrase"
  bool prefix = false;    // word*
  bool or_next = false;   // "a OR b": this clause and the next are alternatives
};

struct ParsedQuery {
  std::vector<QueryClause> clauses;
  // What was not understood and how it was read instead ("unclosed quote:
  // read to the end"), for the response's "query as understood".
  std::vector<std::string> notes;
};

// The fields a query may name ("title:cellterapi").
bool is_query_field(std::string_view field);

// Reads the query language: words, "phrases", -exclusions, OR between two
// clauses, field:value and field:"phrase", and prefix*. Never fails: what
// it cannot read as syntax it reads as words, and notes so (an unclosed
// quote runs to the end; an empty field, a lone '-', a dangling OR and
// parentheses are passed over). At most kMaxClauses clauses are kept.
ParsedQuery parse_query_syntax(std::string_view query);

inline constexpr std::size_t kMaxClauses = 256;

// The clauses written back in the query language (for "did you mean").
std::string query_text(const ParsedQuery& parsed);

}  // namespace sok
