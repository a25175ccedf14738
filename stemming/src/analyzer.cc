#include "sok/stemming/analyzer.h"

#include <xapian.h>

#include <algorithm>
#include <functional>
#include <optional>
#include <unordered_map>
#include <vector>

#include "normalizer.h"
#include "segmenter.h"
#include "sok/stemming/decompounder.h"
#include "sok/stemming/language_id.h"
#include "sok/stemming/stop_words.h"

#include "sok/stemming/swedish_lexicon.h"
#include "utf16_text.h"

namespace sok {

namespace {

// Stems already computed, per language: text repeats its words, and a lookup
// is cheaper than Snowball. Direct-mapped: a word's slot follows from its
// hash and a new word takes the slot over, so a lookup touches one slot and
// frequent words stay.
class StemCache {
 public:
  template <typename Compute>
  const std::string& stem(std::string_view word, Compute compute) {
    Slot& slot = slots_[std::hash<std::string_view>{}(word) & (kSlots - 1)];
    if (!slot.filled || slot.word != word) {
      slot.word.assign(word);
      slot.stem = compute(slot.word);
      slot.filled = true;
    }
    return slot.stem;
  }

 private:
  static constexpr std::size_t kSlots = 1 << 15;
  struct Slot {
    std::string word;
    std::string stem;
    bool filled = false;
  };
  std::vector<Slot> slots_ = std::vector<Slot>(kSlots);
};

}  // namespace

struct Analyzer::Impl {
  AnalyzerOptions options;
  Normalizer normalizer;
  Segmenter swedish_segmenter{Language::sv};
  Segmenter english_segmenter{Language::en};
  std::optional<Decompounder> decompounder;
  std::shared_ptr<const SwedishLexicon> lexicon;  // null when compounds are not split
  Xapian::Stem swedish_stemmer = Xapian::Stem("swedish");
  Xapian::Stem english_stemmer = Xapian::Stem("english");
  StemCache swedish_stems;
  StemCache english_stems;

  // Per call of analyze().
  const Utf16Text* input = nullptr;
  Language language = Language::unknown;
  Analysis* out = nullptr;

  Segmenter& segmenter() {
    return language == Language::en ? english_segmenter : swedish_segmenter;
  }
  std::string stem(std::string_view word, Language lang);
  std::string swedish_stem(const std::string& word) const;
  std::string swedish_form_stem(const std::string& word) const;
  std::string swedish_compound_stem(const std::string& word);
  std::string swedish_snowball(const std::string& word) const;
  void emit_segment(const Segment& seg, std::uint32_t& position);
  void emit_simple(const Segment& seg, std::uint32_t position);
  void emit_compound_parts(const Segment& seg, const std::string& form, std::uint32_t position);
  std::uint32_t byte_at(int32_t utf16_index) const { return input->byte_offset[utf16_index]; }
};

std::string Analyzer::Impl::stem(std::string_view word, Language lang) {
  if (!options.stem || lang == Language::unknown) return std::string(word);
  if (lang == Language::en)
    return english_stems.stem(word, [&](const std::string& w) { return english_stemmer(w); });
  return swedish_stems.stem(word, [&](const std::string& w) { return swedish_compound_stem(w); });
}

// Snowball keeps some Swedish inflections apart from their base form
// ("projektet" ≠ "projekt", "institutet" ≠ "institut", "kurser" ≠ "kurs"): a
// word the dictionary knows the base form of is stemmed as that base form,
// so every form of it shares one term. Not the forms in "-ar" of verbs and
// of "-are" nouns: Snowball stems those well, where the dictionary would read
// "monterar" as the noun "monter" and "säljarens" as "säljarena". The
// genitive "-ares" loses its s first: Snowball would leave "forskar" of
// "forskares", not "forsk".
std::string Analyzer::Impl::swedish_stem(const std::string& word) const {
  std::string stem = swedish_form_stem(word);
  // A verb made of an adjective shares its stem ("öppnar", "öppna",
  // "öppen", "öppet"): the adjective's plural is the verb's form.
  if (!lexicon) return stem;
  const std::optional<std::string> adjective = lexicon->adjective_of_verb(stem + "a");
  return adjective ? swedish_snowball(*adjective) : stem;
}

std::string Analyzer::Impl::swedish_form_stem(const std::string& word) const {
  if (word.size() > 5 && word.ends_with("ares"))
    return swedish_snowball(word.substr(0, word.size() - 1));
  static constexpr std::string_view kSnowballEndings[] = {"ar",    "are",  "aren",
                                                          "arens", "arna", "arnas"};
  const bool snowball_ending = std::any_of(std::begin(kSnowballEndings), std::end(kSnowballEndings),
                                           [&](std::string_view e) { return word.ends_with(e); });
  if (!lexicon) return swedish_snowball(word);
  if (snowball_ending) {
    // Snowball leaves "artikl" of "artiklar": the word is "artikel"'s,
    // unless the stem is a verb's ("handlar" of "handla").
    std::string stem = swedish_snowball(word);
    if (lexicon->is_entry(stem + "a")) return stem;
    const std::optional<std::string> whole = lexicon->with_dropped_e(stem);
    return whole ? swedish_snowball(*whole) : stem;
  }
  const std::optional<std::string> base = lexicon->base_form(word);
  return swedish_snowball(base ? *base : word);
}

// A compound the dictionary does not list is stemmed as its modifier and
// its head's base form: "bankintyget" as "bankintyg", where Snowball alone
// keeps the definite "-et" of a neuter. A base form only takes an ending
// off (or puts back a dropped e): a longer stem means the split took a
// suffix for a head ("roterande" as "rot" + "rande"), and Snowball's stays.
std::string Analyzer::Impl::swedish_compound_stem(const std::string& word) {
  std::string stem = swedish_stem(word);
  if (!lexicon || !decompounder || lexicon->base_form(word)) return stem;
  if (lexicon->is_proper_noun(stem)) return stem;  // "östersjöns", a name's genitive
  for (const CompoundPart& part : decompounder->split(word)) {
    // The top-level head: the first part that ends the word.
    if (part.end != word.size() || part.begin == 0) continue;
    std::string of_base = swedish_stem(word.substr(0, part.begin) + part.lemma);
    return of_base.size() <= stem.size() + 1 ? of_base : stem;
  }
  return stem;
}

// Snowball's Swedish stem, with the adjective ending "-lig" or "-ig" it cuts
// off put back: Snowball makes "farlig" "far", "viktig" "vikt" and "vanlig"
// "van", other words. The ending stays on the words derived from the
// adjective too, so "möjlig", "möjligen" and "möjligheter" keep one term.
// Likewise "-bar": Snowball reads its "ar" as a plural ("hållbar" as
// "hållb") but keeps it in "hållbarhet"; a double "b" is a verb's or a
// noun's ("jobbar", "klubbar").
std::string Analyzer::Impl::swedish_snowball(const std::string& word) const {
  std::string stem = swedish_stemmer(word);
  if (!word.starts_with(stem)) return stem;
  const std::string_view cut = std::string_view(word).substr(stem.size());
  for (const std::string_view ending : {"lig", "ig"}) {
    if (cut.starts_with(ending)) return stem.append(ending);
  }
  if (cut == "ar" && stem.ends_with('b') && !stem.ends_with("bb")) return stem.append(cut);
  return stem;
}

void Analyzer::Impl::emit_segment(const Segment& seg, std::uint32_t& position) {
  if (seg.kind != SegmentKind::unit) {
    emit_simple(seg, position++);
    return;
  }
  // A unit too long to index whole (a long URL) still indexes its words.
  Token whole;
  normalizer.fold(input->text, seg.term.begin, seg.term.end, false, whole.form);
  if (whole.form.size() > options.max_term_bytes) {
    ++out->dropped;
  } else {
    whole.term = whole.form;
    whole.kind = TokenKind::unit;
    whole.position = position;
    whole.begin = byte_at(seg.span.begin);
    whole.end = byte_at(seg.span.end);
    out->tokens.push_back(std::move(whole));
  }
  std::uint32_t part_position = position;
  for (const Segment& part : seg.parts) {
    const std::size_t before = out->tokens.size();
    emit_simple(part, part_position);
    if (out->tokens.size() > before) {
      out->tokens[before].kind = TokenKind::unit_part;
      ++part_position;
    }
  }
  position = std::max(part_position, position + 1);
}

void Analyzer::Impl::emit_simple(const Segment& seg, std::uint32_t position) {
  Token token;
  normalizer.fold(input->text, seg.term.begin, seg.term.end, seg.strip_dots, token.form);
  if (token.form.empty()) return;
  if (token.form.size() > options.max_term_bytes) {
    ++out->dropped;
    return;
  }
  const bool word = seg.kind == SegmentKind::word;
  token.kind = word ? TokenKind::word : TokenKind::number;
  token.term = word ? stem(token.form, language) : token.form;
  token.stop = word && is_stop_word(token.form, language);
  token.position = position;
  token.begin = byte_at(seg.span.begin);
  token.end = byte_at(seg.span.end);
  const std::string form = token.form;
  const bool split = word && !token.stop && decompounder && language == Language::sv;
  out->tokens.push_back(std::move(token));
  if (split) emit_compound_parts(seg, form, position);
}

void Analyzer::Impl::emit_compound_parts(const Segment& seg, const std::string& form,
                                         std::uint32_t position) {
  // A copy: stemming a part may split another word, and the decompounder
  // clears its memo when it is full.
  const std::vector<CompoundPart> parts = decompounder->split(form);
  if (parts.empty()) return;
  // Map byte offsets in `form` back to the text when folding kept one UTF-16
  // unit per letter; otherwise a part highlights the whole compound.
  std::vector<int32_t> utf16_of_byte(form.size() + 1, -1);
  int32_t letter = 0;
  for (std::size_t b = 0; b < form.size(); ++b) {
    if ((static_cast<unsigned char>(form[b]) & 0xC0) != 0x80)
      utf16_of_byte[b] = seg.term.begin + letter++;
  }
  utf16_of_byte[form.size()] = seg.term.begin + letter;
  const bool aligned = letter == seg.term.end - seg.term.begin;
  for (const CompoundPart& part : parts) {
    Token token;
    token.form = part.lemma;
    token.term = stem(part.lemma, Language::sv);
    token.kind = TokenKind::compound_part;
    token.position = position;
    token.begin = byte_at(aligned ? utf16_of_byte[part.begin] : seg.span.begin);
    token.end = byte_at(aligned ? utf16_of_byte[part.end] : seg.span.end);
    out->tokens.push_back(std::move(token));
  }
}

Analyzer::Analyzer(AnalyzerOptions options)
    : Analyzer(options,
               options.split_compounds ? SwedishLexicon::load(options.dictionary_dir) : nullptr) {}

Analyzer::Analyzer(AnalyzerOptions options, std::shared_ptr<const SwedishLexicon> lexicon)
    : impl_(std::make_unique<Impl>()) {
  impl_->options = std::move(options);
  if (impl_->options.split_compounds && lexicon) {
    impl_->lexicon = lexicon;
    impl_->decompounder.emplace(std::move(lexicon));
  }
}

Analyzer::~Analyzer() = default;
Analyzer::Analyzer(Analyzer&&) noexcept = default;
Analyzer& Analyzer::operator=(Analyzer&&) noexcept = default;

Analysis Analyzer::analyze(std::string_view text, Language language) {
  Analysis analysis;
  const Utf16Text input = decode_utf8(text);
  analysis.invalid_utf8 = input.invalid;
  if (language == Language::unknown) {
    language = input.invalid == 0 ? identify_language(text)
                                  : identify_language(to_utf8(input.text, 0, input.text.length()));
  }
  analysis.language = language;
  impl_->input = &input;
  impl_->language = language;
  impl_->out = &analysis;
  std::uint32_t position = 0;
  for (const Segment& seg : impl_->segmenter().segment(input)) impl_->emit_segment(seg, position);
  impl_->input = nullptr;
  impl_->out = nullptr;
  return analysis;
}

std::string Analyzer::stem(std::string_view folded_word, Language language) {
  return impl_->stem(folded_word, language);
}

const AnalyzerOptions& Analyzer::options() const {
  return impl_->options;
}

}  // namespace sok
