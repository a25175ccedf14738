#pragma once

#include <xapian.h>

#include <string>
#include <unordered_map>
#include <vector>

#include "sok/index/document_builder.h"
#include "sok/index/indexing.h"

namespace sok {

// The B-tree block size of the index a build publishes (Xapian's default is
// 8 KB): a search reads fewer blocks for a posting list or a facet's values.
// On Reuters search_bench's p50 fell from 1.00 to 0.86 ms, with a facet
// from 1.20 to 1.07 ms (medians of 6 alternating runs); 32 and 64 KB were
// no faster. The index is as large.
inline constexpr unsigned kBlockSize = 16384;

// Words for the spelling list with their number of occurrences, kept apart
// by language (folded forms, without the list's language prefix).
struct SpellingCounts {
  std::unordered_map<std::string, Xapian::termcount> swedish;
  std::unordered_map<std::string, Xapian::termcount> english;

  void count(std::vector<std::string>& words, Language language);  // moves the words
  void add(const SpellingCounts& other);
  std::size_t size() const { return swedish.size() + english.size(); }
  // Splits the words into `n` parts of about the same size.
  std::vector<SpellingCounts> dealt(std::size_t n) const;
};

// Adds the words seen often enough to `db`'s spelling list.
void add_spellings(Xapian::WritableDatabase& db, const SpellingCounts& counts);

// Writes analysed documents into one Xapian database, replacing by id and
// counting what it did in `report`; collects spelling words and commits per
// batch. One writer per database, used from one thread.
class Writer {
 public:
  // `fresh`: the database was empty at the start (a build), so a repeated
  // id replaces the earlier article; otherwise unchanged articles (same
  // content hash) are skipped.
  Writer(Xapian::WritableDatabase& db, bool fresh, std::size_t batch_size, IndexingReport& report);

  // `may_exist` false: the caller knows the id is not in the database yet
  // (a build that has not seen it), which spares a lookup, the dearest
  // step of writing into a database with uncommitted changes.
  void write(IndexedDocument& doc, bool may_exist = true);
  // Writes the collected spelling words; commits unless `commit` is false
  // (inside a transaction).
  void flush(bool commit);
  // Commits the documents and hands over the spelling words not written
  // yet, for a caller that writes them elsewhere (see add_spellings()).
  SpellingCounts flush_documents();

 private:
  void add(IndexedDocument& doc);
  void after_write(IndexedDocument& doc);

  static constexpr std::size_t kMaxPendingSpellings = 500000;

  Xapian::WritableDatabase& db_;
  bool fresh_;
  std::size_t batch_size_;  // 0: never commit on its own
  IndexingReport& report_;
  SpellingCounts spellings_;
  std::size_t in_batch_ = 0;
};

}  // namespace sok
