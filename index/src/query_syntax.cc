#include "sok/index/query_syntax.h"

#include <algorithm>
#include <array>
#include <cctype>

namespace sok {
namespace {

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

std::string lower_ascii(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  return out;
}

// Reads one query clause at a time, left to right.
class Reader {
 public:
  explicit Reader(std::string_view query) : q_(query) {}

  ParsedQuery read() {
    while (skip_space()) {
      if (out_.clauses.size() >= kMaxClauses) {
        out_.notes.push_back("more than " + std::to_string(kMaxClauses) +
                             " terms: the rest is left out");
        break;
      }
      read_clause();
    }
    if (!out_.clauses.empty() && out_.clauses.back().or_next) {
      out_.clauses.back().or_next = false;
      out_.notes.push_back("OR at the end: left out");
    }
    return std::move(out_);
  }

 private:
  // Skips spaces and parentheses; false at the end.
  bool skip_space() {
    while (pos_ < q_.size() && (is_space(q_[pos_]) || q_[pos_] == '(' || q_[pos_] == ')')) {
      const bool parenthesis = !is_space(q_[pos_]);
      if (parenthesis && !noted_parentheses_) {
        out_.notes.push_back("parentheses are not supported: left out");
        noted_parentheses_ = true;
      }
      ++pos_;
    }
    return pos_ < q_.size();
  }

  std::string_view word_at_pos() {
    const std::size_t start = pos_;
    while (pos_ < q_.size() && !is_space(q_[pos_]) && q_[pos_] != '(' && q_[pos_] != ')') ++pos_;
    return q_.substr(start, pos_ - start);
  }

  // A quoted phrase starting at pos_ (on the quote). Unclosed: to the end.
  std::string phrase_at_pos() {
    ++pos_;
    const std::size_t close = q_.find('"', pos_);
    std::string text(
        q_.substr(pos_, close == std::string_view::npos ? std::string_view::npos : close - pos_));
    if (close == std::string_view::npos) {
      out_.notes.push_back("unclosed quote: the phrase runs to the end");
      pos_ = q_.size();
    } else {
      pos_ = close + 1;
    }
    return text;
  }

  void read_clause() {
    QueryClause clause;
    if (q_[pos_] == '-' || q_[pos_] == '+') {
      clause.excluded = q_[pos_] == '-';
      ++pos_;
      if (pos_ >= q_.size() || is_space(q_[pos_])) {
        out_.notes.push_back("a lone '" + std::string(clause.excluded ? "-" : "+") + "': left out");
        return;
      }
    }
    if (q_[pos_] == '"') {
      clause.kind = QueryClause::Kind::phrase;
      clause.text = phrase_at_pos();
      add(std::move(clause));
      return;
    }
    const std::size_t start = pos_;
    const std::string_view token = word_at_pos();
    if (token == "OR" && !clause.excluded) {
      if (out_.clauses.empty()) {
        out_.notes.push_back("OR at the start: left out");
      } else {
        out_.clauses.back().or_next = true;
      }
      return;
    }
    const std::size_t colon = token.find(':');
    if (colon != std::string_view::npos && colon > 0 &&
        is_query_field(lower_ascii(token.substr(0, colon)))) {
      clause.field = lower_ascii(token.substr(0, colon));
      pos_ = start + colon + 1;
      if (pos_ < q_.size() && q_[pos_] == '"') {
        clause.kind = QueryClause::Kind::phrase;
        clause.text = phrase_at_pos();
      } else {
        clause.text = std::string(word_at_pos());
      }
      if (clause.text.empty()) {
        out_.notes.push_back(clause.field + ": without a value: left out");
        return;
      }
    } else {
      clause.text = std::string(token);
    }
    if (clause.kind == QueryClause::Kind::word && clause.text.size() > 1 &&
        clause.text.back() == '*') {
      clause.prefix = true;
      clause.text.pop_back();
    }
    add(std::move(clause));
  }

  void add(QueryClause clause) {
    if (clause.text.find_first_not_of(" \t\"*") == std::string::npos) {
      out_.notes.push_back("empty term: left out");
      return;
    }
    out_.clauses.push_back(std::move(clause));
  }

  std::string_view q_;
  std::size_t pos_ = 0;
  ParsedQuery out_;
  bool noted_parentheses_ = false;
};

}  // namespace

bool is_query_field(std::string_view field) {
  static constexpr std::array<std::string_view, 9> kFields = {
      "title", "summary", "body", "tag", "partner", "author", "type", "lang", "year"};
  return std::find(kFields.begin(), kFields.end(), field) != kFields.end();
}

ParsedQuery parse_query_syntax(std::string_view query) {
  return Reader(query).read();
}

std::string query_text(const ParsedQuery& parsed) {
  std::string out;
  for (const auto& clause : parsed.clauses) {
    if (!out.empty()) out += ' ';
    if (clause.excluded) out += '-';
    if (!clause.field.empty()) out += clause.field + ':';
    out += clause.kind == QueryClause::Kind::phrase ? '"' + clause.text + '"' : clause.text;
    if (clause.prefix) out += '*';
    if (clause.or_next) out += " OR";
  }
  return out;
}

}  // namespace sok
