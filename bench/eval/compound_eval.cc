#include "compound_eval.h"

#include <xapian.h>

#include <fstream>
#include <stdexcept>

namespace sok::eval {

double CompoundScore::precision() const {
  const std::size_t splits = correct + wrong_split + false_splits;
  return splits == 0 ? 0.0 : static_cast<double>(correct) / static_cast<double>(splits);
}

double CompoundScore::recall() const {
  return compounds == 0 ? 0.0 : static_cast<double>(correct) / static_cast<double>(compounds);
}

double CompoundScore::stem_precision() const {
  const std::size_t splits = correct + wrong_split + false_splits;
  return splits == 0 ? 0.0 : static_cast<double>(same_stems) / static_cast<double>(splits);
}

double CompoundScore::stem_recall() const {
  return compounds == 0 ? 0.0 : static_cast<double>(same_stems) / static_cast<double>(compounds);
}

std::vector<CompoundCase> read_compound_cases(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::vector<CompoundCase> cases;
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    if (line.empty() || line[0] == '#') continue;
    const auto tab = line.find('\t');
    if (tab == std::string::npos || line.find('\t', tab + 1) != std::string::npos) {
      throw std::runtime_error(path + ":" + std::to_string(number) + ": want word<TAB>parts");
    }
    cases.push_back({line.substr(0, tab), line.substr(tab + 1), number});
  }
  return cases;
}

std::string top_level_split(Decompounder& decompounder, const std::string& word) {
  const auto& parts = decompounder.split(word);
  if (parts.size() < 2) return "-";
  return parts[0].lemma + "+" + parts[1].lemma;
}

namespace {

std::string stems_of(const std::string& split, const Xapian::Stem& stem) {
  const auto plus = split.find('+');
  if (plus == std::string::npos) return split;
  const auto rest = split.substr(plus + 1);
  return stem(split.substr(0, plus)) + "+" + stem(rest.substr(0, rest.find('+')));
}

}  // namespace

CompoundScore score_compounds(Decompounder& decompounder, const std::vector<CompoundCase>& cases) {
  const Xapian::Stem swedish("swedish");
  CompoundScore score;
  for (const auto& c : cases) {
    const std::string got = top_level_split(decompounder, c.word);
    const bool gold_compound = c.gold != "-";
    (gold_compound ? score.compounds : score.non_compounds)++;
    if (gold_compound && got != "-" && stems_of(got, swedish) == stems_of(c.gold, swedish)) {
      ++score.same_stems;
    }
    if (got == c.gold) {
      if (gold_compound) ++score.correct;
      continue;
    }
    if (!gold_compound) {
      ++score.false_splits;
    } else if (got == "-") {
      ++score.missed;
    } else {
      ++score.wrong_split;
    }
    score.errors.push_back(c.word + ": got " + got + ", want " + c.gold);
  }
  return score;
}

}  // namespace sok::eval
