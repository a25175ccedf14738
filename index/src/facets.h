#pragma once

#include <xapian.h>

#include <functional>
#include <map>
#include <string>
#include <vector>

namespace sok {

// The counts of the items of whole values' `values`: a value holding several
// items joined by schema::kListSeparator (tags, partners) counts once for
// each item.
std::map<std::string, std::size_t> item_counts(const std::map<std::string, std::size_t>& values);

// The counts of whole values a Xapian::ValueCountMatchSpy saw. Xapian's own
// spy, not one of ours, is what remote shards (xapian-tcpsrv, which knows
// only Xapian's classes) count with; its counts of whole values merge
// exactly across shards, and splitting them afterwards (item_counts()) gives
// the same counts as splitting each document's value.
std::map<std::string, std::size_t> value_counts(const Xapian::ValueCountMatchSpy& spy);

// The documents a query matched, for counting their values along the value
// streams (value_counts() below), which read each chunk of values once
// where a Xapian::ValueCountMatchSpy looks each document's value up anew.
// For a database of one local shard only: a remote shard knows only
// Xapian's spies, and a document of a sharded database gives its number
// within its shard.
class MatchingDocuments : public Xapian::MatchSpy {
 public:
  void operator()(const Xapian::Document& doc, double) override { ids.push_back(doc.get_docid()); }
  std::vector<Xapian::docid> ids;  // as the matcher saw them
};

// How many of `documents` (ascending) hold each value of `slot`, whole
// values.
std::map<std::string, std::size_t> value_counts(const Xapian::Database& db, Xapian::valueno slot,
                                                const std::vector<Xapian::docid>& documents);

// How many documents of `db` hold each value of `slot`, whole values. With
// `remote` shards counted by a match spy over every document (a remote
// shard sends its counts in one message, where its value stream would
// cost an exchange per document); locally the value streams are faster.
std::map<std::string, std::size_t> value_counts(const Xapian::Database& db, Xapian::valueno slot,
                                                bool remote);

// The counts of items with the same `key` (the tags "AI" and "ai", which a
// filter does not tell apart) added up under the form most documents use,
// so that a count is what choosing its value gives.
std::map<std::string, std::size_t> merged_items(
    const std::map<std::string, std::size_t>& counts,
    const std::function<std::string(const std::string&)>& key);

}  // namespace sok
