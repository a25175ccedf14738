#include "sok/stemming/decompounder.h"

#include <algorithm>
#include <unordered_set>

#include "sok/stemming/language.h"
#include "sok/stemming/stop_words.h"
#include "sok/stemming/swedish_lexicon.h"

namespace sok {
namespace {

constexpr std::size_t kMinPartLetters = 3;
// Splits where the dictionary marks neither part as a compound member need
// both parts this long.
constexpr std::size_t kMinUnmarkedPartLetters = 5;
// Linking forms that add a letter ("pojk" → "pojke") need modifiers this long.
constexpr std::size_t kMinRestoredModifierLetters = 4;
constexpr std::size_t kMaxWordLetters = 40;
constexpr int kMaxDepth = 2;

// Prefixes and particles that form derived words, not compounds
// ("medarbetare", "undersökning", "samverkan", "tillväxt").
bool is_prefix(std::string_view modifier) {
  static const std::unordered_set<std::string_view> prefixes = {
      "an",  "be",   "bi",   "er",    "för",   "före",  "ge",  "miss", "sam",   "van",    "upp",
      "ut",  "in",   "över", "under", "efter", "mot",   "med", "till", "från",  "av",     "om",
      "på",  "bak",  "fram", "ned",   "ner",   "genom", "vid", "åter", "bort",  "mellan", "kring",
      "all", "inne", "ute",  "o",     "väl",   "sär",   "när", "fort", "sönder"};
  return prefixes.count(modifier) > 0;
}

// Derivational endings that stand in the dictionary as words of their own
// ("het" = hot, "dom" = verdict) but never head a compound ("verksam|het").
bool is_suffix(std::string_view head) {
  static const std::unordered_set<std::string_view> suffixes = {
      "het",  "lig",  "ning", "else", "skap", "are",  "isk",  "bar", "dom",
      "ande", "ende", "ion",  "ism",  "ist",  "itet", "inna", "sam", "ig",
      "ska",  "and",  "ant",  "ent",  "ör",   "ös",   "ell",  "era"};
  return suffixes.count(head) > 0;
}

// Modifiers ending like this take a linking -s- ("forsknings-", "säkerhets-"),
// so a split right after them is at the wrong letter ("befolkning|sökning").
bool needs_linking_s(std::string_view lemma) {
  for (std::string_view ending : {"ning", "het", "tion", "else", "skap", "itet"}) {
    if (lemma.size() >= ending.size() && lemma.substr(lemma.size() - ending.size()) == ending)
      return true;
  }
  return false;
}

// The base form ("forskare") of an agent noun of a verb the dictionary lists
// ("forskarens" of "forska", "säljaren" of "sälja"); nullopt for other
// words. The dictionary lists few of these nouns: such a word is derived,
// not compounded ("fors|karens" and "sälja|ren" are false splits), and it
// may head a compound ("cell|forskare").
std::optional<std::string> agent_noun(std::string_view word, const SwedishLexicon& lexicon) {
  for (std::string_view ending : {"arnas", "arens", "arna", "aren", "ares", "are"}) {
    if (word.size() <= ending.size() + 2 || !word.ends_with(ending)) continue;
    const std::string_view stem = word.substr(0, word.size() - ending.size());
    if (!lexicon.is_entry(std::string(stem) + "a")) return std::nullopt;
    return std::string(stem) + "are";
  }
  return std::nullopt;
}

std::size_t letters(std::string_view utf8) {
  std::size_t n = 0;
  for (unsigned char c : utf8) n += (c & 0xC0) != 0x80;
  return n;
}

bool all_letters(std::string_view utf8) {
  for (unsigned char c : utf8) {
    if (c < 0x80 && !(c >= 'a' && c <= 'z')) return false;
  }
  return true;
}

bool ends_with(std::string_view s, std::string_view tail) {
  return s.size() >= tail.size() && s.substr(s.size() - tail.size()) == tail;
}

}  // namespace

Decompounder::Decompounder(std::shared_ptr<const SwedishLexicon> lexicon)
    : lexicon_(std::move(lexicon)) {}

const std::vector<CompoundPart>& Decompounder::split(std::string_view word) {
  static const std::vector<CompoundPart> kNone;
  if (word.size() < 2 * kMinPartLetters) return kNone;  // too short to split, whatever the letters
  auto found = memo_.find(word);
  if (found != memo_.end()) return found->second;
  if (memo_.size() > 200000) memo_.clear();  // bounded memory on endless vocabularies
  auto parts = compute(word, 0);
  return memo_.emplace(std::string(word), std::move(parts)).first->second;
}

// The dictionary form of a modifier as written in a compound, undoing the
// Swedish linking forms: forsknings → forskning, samarbets → samarbete,
// pojk → pojke, skol → skola, kyrko → kyrka, gatu → gata, hyres → hyra,
// fal(l) → fall. Returns "" when no form is a dictionary word.
std::string Decompounder::modifier_lemma(std::string_view m) const {
  if (is_prefix(m)) return "";
  const bool linking_s = ends_with(m, "s");
  if (linking_s && is_prefix(m.substr(0, m.size() - 1))) return "";  // "förs|lag", "tills|ammans"
  // Each form is the modifier cut to `keep` bytes plus `add`.
  struct Form {
    std::size_t keep;
    std::string_view add;
  };
  Form forms[8];
  std::size_t count = 0;
  const std::size_t n = m.size();
  forms[count++] = {n, ""};
  if (linking_s) forms[count++] = {n - 1, ""};
  if (letters(m) >= kMinRestoredModifierLetters) {
    if (linking_s) forms[count++] = {n - 1, "e"};
    forms[count++] = {n, "e"};
    forms[count++] = {n, "a"};
    if (ends_with(m, "e")) forms[count++] = {n - 1, ""};  // skatte → skatt
    if (ends_with(m, "o") || ends_with(m, "u") || ends_with(m, "e")) forms[count++] = {n - 1, "a"};
    if (ends_with(m, "es")) forms[count++] = {n - 2, "a"};  // hyres → hyra
  }
  std::string doubled;
  if (n >= 2 && m[n - 1] == m[n - 2]) doubled = std::string(1, m[n - 1]);  // fal(l)ucka
  std::string form;
  auto make = [&](const Form& f) -> const std::string& {
    form.assign(m.substr(0, f.keep));
    form += f.add;
    return form;
  };
  auto usable = [&](const std::string& candidate) {
    return letters(candidate) >= kMinPartLetters && !is_prefix(candidate) &&
           !is_stop_word(candidate, Language::sv);
  };
  // A standalone word first: the compound-only linking forms of the
  // dictionary ("samarbets") are what the other forms undo.
  std::string compound_only;
  for (std::size_t i = 0; i <= count; ++i) {
    if (i == count && doubled.empty()) break;
    const std::string& candidate = i < count ? make(forms[i]) : make({n, doubled});
    const auto traits = lexicon_->traits(candidate);
    if (traits & SwedishLexicon::kEntry) {
      if (usable(candidate)) return candidate;
    } else if ((traits & SwedishLexicon::kCompoundOnly) && compound_only.empty() &&
               usable(candidate)) {
      compound_only = candidate;
    }
  }
  return compound_only;
}

// The base form of a head, memoised: heads recur across compounds
// ("-området", "-företaget").
// A copy, not a reference into the cache: a caller recurses into compute(),
// which may clear the cache when it is full.
std::optional<std::string> Decompounder::head_lemma(std::string_view head) {
  auto found = head_lemmas_.find(head);
  if (found != head_lemmas_.end()) return found->second;
  if (head_lemmas_.size() > 200000) head_lemmas_.clear();
  return head_lemmas_.emplace(std::string(head), lexicon_->base_form(head)).first->second;
}

bool Decompounder::usable_head(std::string_view head) const {
  if (head.substr(0, 4) == "tion" || head.substr(0, 4) == "sion") return false;  // opera|tion
  return !is_suffix(head) && !is_stop_word(head, Language::sv) && !lexicon_->is_proper_noun(head);
}

std::vector<CompoundPart> Decompounder::compute(std::string_view word, int depth) {
  const std::size_t n = letters(word);
  if (n < 2 * kMinPartLetters || n > kMaxWordLetters || depth > kMaxDepth) return {};
  if (!all_letters(word) || lexicon_->is_proper_noun(word)) return {};
  const bool lexicalised = lexicon_->is_entry(word);
  if (!lexicalised) {
    // An inflected form: split its base form ("företaget" → "företag",
    // "projektledaren" → "projektledare" when the dictionary lists that
    // agent noun), and let the head run to the end of the word as written.
    std::optional<std::string> base = agent_noun(word, *lexicon_);
    if (base && !lexicon_->is_entry(*base)) return {};
    if (!base) base = lexicon_->base_form(word);
    if (base && *base != word) {
      auto parts = compute(*base, depth);
      if (parts.size() >= 2) parts[1].end = word.size();
      return parts;
    }
  }
  Candidate best;
  std::size_t modifier_letters = 0;
  for (std::size_t i = 0; i < word.size(); ++i) {
    if ((static_cast<unsigned char>(word[i]) & 0xC0) == 0x80) continue;  // inside a letter
    if (i > 0) ++modifier_letters;
    const Boundary at{i, modifier_letters, n - modifier_letters};
    if (at.modifier_letters < kMinPartLetters || at.head_letters < kMinPartLetters) continue;
    if (lexicalised && at.modifier_letters == kMinPartLetters &&
        at.head_letters == kMinPartLetters) {
      continue;
    }
    Candidate candidate = evaluate(word, at, lexicalised, depth);
    if (candidate.score > best.score) best = std::move(candidate);
  }
  if (best.score < 0) return {};
  std::vector<CompoundPart> parts;
  parts.push_back({0, best.boundary, best.modifier_lemma});
  parts.push_back({best.boundary, word.size(), best.head_lemma});
  parts.insert(parts.end(), best.modifier_parts.begin(), best.modifier_parts.end());
  // A head that is a compound itself ("forskning|infrastrukturprojekt")
  // contributes its parts too, placed within the word.
  for (CompoundPart part : compute(word.substr(best.boundary), depth + 1)) {
    part.begin += best.boundary;
    part.end += best.boundary;
    parts.push_back(std::move(part));
  }
  return parts;
}

// The split of `word` at `at`, scored; score -1 when it is not credible. The
// head is checked first: most boundaries of a word leave no word as head.
Decompounder::Candidate Decompounder::evaluate(std::string_view word, const Boundary& at,
                                               bool lexicalised, int depth) {
  Candidate candidate;
  const std::string_view modifier = word.substr(0, at.bytes);
  const std::string_view head = word.substr(at.bytes);
  if (!usable_head(head)) return candidate;
  if (ends_with(modifier, "e") && head.substr(0, 4) == "ring")
    return candidate;  // värde|ring: -ering
  // "fruktan|svärd" or "fruktans|värd"? "hög|skola" or "högs|kola"? In a
  // word listed whole, an s that could be a linking s or the head's first
  // letter makes the boundary too uncertain.
  if (lexicalised && head.front() == 's' && lexicon_->is_entry(head.substr(1))) return candidate;
  if (lexicalised && modifier.back() == 's' && lexicon_->is_entry("s" + std::string(head)))
    return candidate;
  std::optional<std::string> head_base = head_lemma(head);
  bool marked_head = head_base && lexicon_->may_end_compound(*head_base);
  if (!head_base) {
    head_base = agent_noun(head, *lexicon_);
    if (!head_base) return candidate;
    marked_head = true;
  }

  bool marked_modifier = true;  // a compound is a compound member by nature
  std::string lemma = modifier_lemma(modifier);
  if (lemma.empty()) {
    if (depth >= kMaxDepth || at.modifier_letters < 2 * kMinPartLetters) return candidate;
    // A compound modifier, less its linking s: "etikprövnings" → etikprövning.
    const std::string_view unlinked =
        ends_with(modifier, "s") ? modifier.substr(0, modifier.size() - 1) : modifier;
    candidate.modifier_parts = compute(unlinked, depth + 1);
    if (candidate.modifier_parts.empty() && unlinked != modifier) {
      candidate.modifier_parts = compute(modifier, depth + 1);
      lemma = std::string(modifier);
    } else {
      lemma = std::string(unlinked);
    }
    if (candidate.modifier_parts.empty()) return candidate;
  } else {
    if (lemma == modifier && needs_linking_s(modifier)) return candidate;
    const auto traits = lexicon_->traits(lemma);
    marked_modifier = traits & (SwedishLexicon::kCompoundOnly | SwedishLexicon::kBegin);
    // A lemma made by adding or changing a letter is a guess: the dictionary
    // must mark it, and a word listed whole must show its modifier as written.
    const bool as_written =
        lemma == modifier || lexicon_->is_compound_only(modifier) ||
        (ends_with(modifier, "s") && lemma == modifier.substr(0, modifier.size() - 1));
    if (!as_written && (lexicalised || !(traits & SwedishLexicon::kBegin))) return candidate;
  }
  // A three-letter part must be marked as a compound member itself; with
  // neither part marked, only long parts of a word the dictionary does not
  // list whole make a credible split ("alter|nativ" is not one).
  if ((at.modifier_letters == kMinPartLetters && !marked_modifier) ||
      (at.head_letters == kMinPartLetters && !marked_head)) {
    return candidate;
  }
  if (!marked_modifier && !marked_head &&
      (lexicalised || std::min(at.modifier_letters, at.head_letters) < kMinUnmarkedPartLetters)) {
    return candidate;
  }
  candidate.boundary = at.bytes;
  candidate.modifier_lemma = std::move(lemma);
  candidate.head_lemma = *head_base;
  // Prefer splits the dictionary marks, plain modifiers, then even splits.
  candidate.score = (marked_modifier ? 200 : 0) + (marked_head ? 200 : 0) +
                    (candidate.modifier_parts.empty() ? 100 : 0) +
                    static_cast<int>(std::min(at.modifier_letters, at.head_letters));
  return candidate;
}

}  // namespace sok
