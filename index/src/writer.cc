#include "writer.h"

#include <utility>

#include "sok/index/schema.h"

namespace sok {
namespace {

// Every word counts, a word seen once too: a site's rarest words (a
// partner's name, `kronrensning`) are the ones visitors misspell, and an
// article published alone (an update of one) would otherwise add only
// the words it repeats.
void add_words(Xapian::WritableDatabase& db, char mark,
               const std::unordered_map<std::string, Xapian::termcount>& words) {
  std::string word;
  for (const auto& [form, count] : words) {
    word.assign(form);
    word.push_back(mark);
    db.add_spelling(word, count);
  }
}

}  // namespace

void SpellingCounts::count(std::vector<std::string>& words, Language language) {
  if (language == Language::unknown) return;
  auto& counts = language == Language::sv ? swedish : english;
  for (auto& word : words) ++counts[std::move(word)];
}

void SpellingCounts::add(const SpellingCounts& other) {
  for (const auto& [word, n] : other.swedish) swedish[word] += n;
  for (const auto& [word, n] : other.english) english[word] += n;
}

std::vector<SpellingCounts> SpellingCounts::dealt(std::size_t n) const {
  std::vector<SpellingCounts> parts(std::max<std::size_t>(n, 1));
  std::size_t next = 0;
  for (const auto& [word, count] : swedish) parts[next++ % parts.size()].swedish[word] = count;
  for (const auto& [word, count] : english) parts[next++ % parts.size()].english[word] = count;
  return parts;
}

void add_spellings(Xapian::WritableDatabase& db, const SpellingCounts& counts) {
  add_words(db, schema::kSwedishSpelling, counts.swedish);
  add_words(db, schema::kEnglishSpelling, counts.english);
}

Writer::Writer(Xapian::WritableDatabase& db, bool fresh, std::size_t batch_size,
               IndexingReport& report)
    : db_(db), fresh_(fresh), batch_size_(batch_size), report_(report) {}

void Writer::write(IndexedDocument& doc, bool may_exist) {
  if (!may_exist) {
    add(doc);
    return;
  }
  const Xapian::PostingIterator existing = db_.postlist_begin(doc.id_term);
  if (existing == db_.postlist_end(doc.id_term)) {
    add(doc);
    return;
  }
  if (!fresh_ && db_.get_document(*existing).get_value(schema::kHashSlot) == doc.hash) {
    ++report_.unchanged;
    return;
  }
  db_.replace_document(*existing, doc.document);
  ++report_.replaced;
  after_write(doc);
}

void Writer::add(IndexedDocument& doc) {
  db_.add_document(doc.document);
  ++report_.added;
  after_write(doc);
}

void Writer::after_write(IndexedDocument& doc) {
  spellings_.count(doc.spelling_words, doc.language);
  if (batch_size_ > 0 && ++in_batch_ >= batch_size_) {
    in_batch_ = 0;
    // Spelling words wait for the end (or a full map): each batch that adds
    // a word costs a rewrite of its fragments in the spelling table.
    if (spellings_.size() >= kMaxPendingSpellings) {
      add_spellings(db_, spellings_);
      spellings_ = {};
    }
    db_.commit();
  }
}

void Writer::flush(bool commit) {
  add_spellings(db_, std::exchange(spellings_, {}));
  in_batch_ = 0;
  if (commit) db_.commit();
}

SpellingCounts Writer::flush_documents() {
  in_batch_ = 0;
  db_.commit();
  return std::exchange(spellings_, {});
}

}  // namespace sok
