#include "sok/stemming/hunspell_suffixes.h"

#include <unicode/utf8.h>

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <vector>

namespace sok {
namespace {

std::u32string code_points(std::string_view utf8) {
  std::u32string out;
  int32_t i = 0;
  const auto length = static_cast<int32_t>(utf8.size());
  while (i < length) {
    UChar32 c = 0;
    U8_NEXT(utf8.data(), i, length, c);
    out.push_back(static_cast<char32_t>(c));
  }
  return out;
}

// Parses Hunspell's condition pattern into `out`; false when it is
// malformed (an unclosed bracket).
bool parse_condition(std::string_view pattern, std::vector<SuffixRule::Letter>& out) {
  const std::u32string p = code_points(pattern);
  for (std::size_t i = 0; i < p.size(); ++i) {
    SuffixRule::Letter letter;
    if (p[i] == U'.') {
      letter.any = true;
    } else if (p[i] == U'[') {
      const std::size_t close = p.find(U']', i);
      if (close == std::u32string::npos) return false;
      std::size_t first = i + 1;
      if (first < close && p[first] == U'^') {
        letter.negated = true;
        ++first;
      }
      letter.set = p.substr(first, close - first);
      i = close;
    } else {
      letter.set = p.substr(i, 1);
    }
    out.push_back(std::move(letter));
  }
  return true;
}

bool matches(const SuffixRule::Letter& letter, char32_t c) {
  return letter.any || (letter.set.find(c) != std::u32string::npos) != letter.negated;
}

std::string field_or_empty(const std::string& field) {
  return field == "0" ? "" : field;
}

}  // namespace

bool SuffixRule::applies_to(std::string_view entry) const {
  if (entry.size() <= strip.size() || !entry.ends_with(strip)) return false;
  if (condition.size() == 1 && condition.front().any) return true;
  const std::u32string word = code_points(entry);
  if (word.size() < condition.size()) return false;
  const std::size_t offset = word.size() - condition.size();
  for (std::size_t i = 0; i < condition.size(); ++i) {
    if (!matches(condition[i], word[offset + i])) return false;
  }
  return true;
}

std::string SuffixRule::form_of(std::string_view entry) const {
  return std::string(entry.substr(0, entry.size() - strip.size())) + add;
}

// Rule lines are "SFX flag strip add[/flags] condition [morphology]"; a
// rule group opens with "SFX flag Y|N count", which is skipped.
std::vector<SuffixRule> read_suffix_rules(const std::string& path) {
  std::ifstream in(path);
  if (!in) {
    throw std::runtime_error("cannot read the Swedish affix file " + path +
                             " (install Debian's hunspell-sv, or set the dictionary folder)");
  }
  std::vector<SuffixRule> rules;
  std::string line;
  for (std::size_t number = 1; std::getline(in, line); ++number) {
    std::istringstream in_line(line);
    std::vector<std::string> fields;
    for (std::string field; in_line >> field;) fields.push_back(field);
    if (fields.empty() || fields[0] != "SFX") continue;
    const bool header = fields.size() == 4 && (fields[2] == "Y" || fields[2] == "N");
    if (header) continue;
    auto malformed = [&](const std::string& why) {
      return std::runtime_error(path + ":" + std::to_string(number) + ": " + why + " in \"" + line +
                                "\"");
    };
    if (fields.size() < 5) throw malformed("flag, strip, affix and condition expected");
    const std::string& flag = fields[1];
    const std::string& strip = fields[2];
    const std::string& add = fields[3];
    const std::string& condition = fields[4];
    if (flag.size() != 1) throw malformed("a flag of one letter expected");
    SuffixRule rule;
    rule.flag = flag[0];
    rule.strip = field_or_empty(strip);
    const std::size_t slash = add.find('/');
    rule.add = field_or_empty(add.substr(0, slash));
    if (slash != std::string::npos) rule.continuation = add.substr(slash + 1);
    if (!parse_condition(condition, rule.condition))
      throw malformed("an unclosed [ in the condition");
    rules.push_back(std::move(rule));
  }
  return rules;
}

}  // namespace sok
