#pragma once

#include <xapian.h>

#include <string>
#include <unordered_map>
#include <unordered_set>

#include "sok/index/document_builder.h"
#include "sok/index/indexing.h"

namespace sok {

// Writes analysed documents into one Xapian database, replacing by id and
// counting what it did in `report`; collects spelling words and commits per
// batch. One writer per database, used from one thread.
class Writer {
 public:
  // `fresh`: the database was empty at the start (a build), so only ids
  // written before in this run need a lookup; otherwise unchanged articles
  // (same content hash) are skipped.
  Writer(Xapian::WritableDatabase& db, bool fresh, std::size_t batch_size, IndexingReport& report);

  void write(IndexedDocument& doc);
  // Writes the collected spelling words; commits unless `commit` is false
  // (inside a transaction).
  void flush(bool commit);

 private:
  void add(IndexedDocument& doc);
  void after_write(IndexedDocument& doc);
  void add_spellings();

  static constexpr std::size_t kMaxPendingSpellings = 500000;
  static constexpr Xapian::termcount kMinSpellingCount = 2;

  Xapian::WritableDatabase& db_;
  bool fresh_;
  std::size_t batch_size_;  // 0: never commit on its own
  IndexingReport& report_;
  std::unordered_set<std::string> seen_ids_;  // in a fresh build
  std::unordered_map<std::string, Xapian::termcount> spellings_;
  std::size_t in_batch_ = 0;
};

}  // namespace sok
