#pragma once

#include <xapian.h>

#include <functional>
#include <map>
#include <string>

namespace sok {

// The counts of the items of one slot's values over every document a
// query matched, from a Xapian::ValueCountMatchSpy on that slot: a value
// holding several items joined by schema::kListSeparator (tags, partners)
// counts once for each item. Built on Xapian's own match spy, not one of
// ours, so that remote shards (xapian-tcpsrv, which knows only Xapian's
// classes) count with it too; the spy's counts of whole values merge
// exactly across shards, and splitting them afterwards gives the same
// counts as splitting each document's value.
std::map<std::string, std::size_t> item_counts(const Xapian::ValueCountMatchSpy& spy);

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
