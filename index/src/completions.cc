#include "completions.h"

#include <algorithm>
#include <map>
#include <set>
#include <utility>

#include "facets.h"
#include "sok/index/document_builder.h"
#include "sok/index/schema.h"
#include "value_lists.h"

namespace sok {
namespace {

constexpr std::size_t kMaxScanned = 5000;  // bounds a lookup's time on a huge index

}  // namespace

Completions::Completions(const Xapian::Database& db, Analyzer& analyzer, bool remote) {
  add_words(db);
  add_values(db, schema::kPartnersSlot, Suggestion::Kind::partner, analyzer, remote);
  add_values(db, schema::kTagsSlot, Suggestion::Kind::tag, analyzer, remote);
  std::sort(entries_.begin(), entries_.end(),
            [](const Entry& a, const Entry& b) { return a.key < b.key; });
}

void Completions::add_words(const Xapian::Database& db) {
  for (auto it = db.spellings_begin(); it != db.spellings_end(); ++it) {
    const std::string word = *it;
    const char mark = schema::spelling_mark(word);
    if (mark == 0) continue;
    const Language language = mark == schema::kSwedishSpelling ? Language::sv : Language::en;
    (language == Language::sv ? swedish_words_ : english_words_) += it.get_termfreq();
    const std::string form = schema::spelling_form(word);
    entries_.push_back({form, form, Suggestion::Kind::word, language,
                        static_cast<std::uint32_t>(it.get_termfreq())});
  }
}

void Completions::add_values(const Xapian::Database& db, Xapian::valueno slot,
                             Suggestion::Kind kind, Analyzer& analyzer, bool remote) {
  std::map<std::string, std::size_t> counts;
  for (const auto& [value, count] : value_counts(db, slot, remote)) {
    for (std::string_view item : list_items(value)) counts[std::string(item)] += count;
  }
  const auto folded = [&](const std::string& text) {
    return folded_value(analyzer, text, Language::sv);
  };
  for (const auto& [text, count] : merged_items(counts, folded)) {
    entries_.push_back(
        {folded(text), text, kind, Language::unknown, static_cast<std::uint32_t>(count)});
  }
}

std::uint64_t Completions::times_seen(std::string_view word, Language language) const {
  auto it = std::lower_bound(entries_.begin(), entries_.end(), word,
                             [](const Entry& e, std::string_view w) { return e.key < w; });
  for (; it != entries_.end() && it->key == word; ++it) {
    if (it->kind == Suggestion::Kind::word && it->language == language) return it->weight;
  }
  return 0;
}

std::uint64_t Completions::words_seen(Language language) const {
  return language == Language::sv ? swedish_words_ : language == Language::en ? english_words_ : 0;
}

std::vector<Suggestion> Completions::complete(std::string_view prefix, Language language,
                                              std::size_t limit, Analyzer& analyzer) const {
  std::vector<const Entry*> found;
  auto it = std::lower_bound(entries_.begin(), entries_.end(), prefix,
                             [](const Entry& e, std::string_view p) { return e.key < p; });
  for (; it != entries_.end() && found.size() < kMaxScanned &&
         it->key.compare(0, prefix.size(), prefix) == 0;
       ++it) {
    if (it->kind == Suggestion::Kind::word && language != Language::unknown &&
        it->language != language)
      continue;
    found.push_back(&*it);
  }
  std::stable_sort(found.begin(), found.end(),
                   [](const Entry* a, const Entry* b) { return a->weight > b->weight; });
  std::vector<Suggestion> out;
  std::set<std::pair<Language, std::string>> words_shown;  // by stem
  for (const Entry* entry : found) {
    if (out.size() >= limit) break;
    const bool seen = std::any_of(out.begin(), out.end(),
                                  [&](const Suggestion& s) { return s.text == entry->text; });
    if (seen) continue;
    if (entry->kind == Suggestion::Kind::word &&
        !words_shown.emplace(entry->language, analyzer.stem(entry->text, entry->language)).second)
      continue;
    out.push_back({entry->text, entry->kind, entry->language, entry->weight});
  }
  return out;
}

}  // namespace sok
