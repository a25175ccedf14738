#include "writer.h"

#include "sok/index/schema.h"

namespace sok {

Writer::Writer(Xapian::WritableDatabase& db, bool fresh, std::size_t batch_size,
               IndexingReport& report)
    : db_(db), fresh_(fresh), batch_size_(batch_size), report_(report) {}

void Writer::write(IndexedDocument& doc) {
  // A fresh build looks up only ids it has written before: a lookup in a
  // database with uncommitted changes is the dearest step of writing.
  if (fresh_ && seen_ids_.insert(doc.id_term).second) {
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
  for (auto& [word, count] : doc.spellings) spellings_[std::move(word)] += count;
  if (batch_size_ > 0 && ++in_batch_ >= batch_size_) {
    in_batch_ = 0;
    // Spelling words wait for the end (or a full map): each batch that adds
    // a word costs a rewrite of its fragments in the spelling table.
    if (spellings_.size() >= kMaxPendingSpellings) add_spellings();
    db_.commit();
  }
}

void Writer::add_spellings() {
  // A word seen once is as likely a typo as a word: it would be offered as a
  // correction, and adding it costs a tenth of the writing time.
  for (const auto& [word, count] : spellings_) {
    if (count >= kMinSpellingCount) db_.add_spelling(word, count);
  }
  spellings_.clear();
}

void Writer::flush(bool commit) {
  add_spellings();
  in_batch_ = 0;
  if (commit) db_.commit();
}

}  // namespace sok
