#include "facets.h"

#include <utility>

#include "value_lists.h"

namespace sok {

std::map<std::string, std::size_t> value_counts(const Xapian::ValueCountMatchSpy& spy) {
  std::map<std::string, std::size_t> values;
  for (auto it = spy.values_begin(); it != spy.values_end(); ++it) values[*it] = it.get_termfreq();
  return values;
}

std::map<std::string, std::size_t> item_counts(const std::map<std::string, std::size_t>& values) {
  std::map<std::string, std::size_t> counts;
  for (const auto& [value, count] : values) {
    for (std::string_view item : list_items(value)) counts[std::string(item)] += count;
  }
  return counts;
}

std::map<std::string, std::size_t> value_counts(const Xapian::Database& db, Xapian::valueno slot,
                                                const std::vector<Xapian::docid>& documents) {
  std::map<std::string, std::size_t> counts;
  const Xapian::ValueIterator end = db.valuestream_end(slot);
  Xapian::ValueIterator it = db.valuestream_begin(slot);
  for (const Xapian::docid document : documents) {
    if (it == end) break;
    it.skip_to(document);
    if (it != end && it.get_docid() == document) ++counts[*it];
  }
  return counts;
}

std::map<std::string, std::size_t> value_counts(const Xapian::Database& db, Xapian::valueno slot,
                                                bool remote) {
  std::map<std::string, std::size_t> counts;
  if (remote) {
    Xapian::Enquire enquire(db);
    enquire.set_query(Xapian::Query::MatchAll);
    Xapian::ValueCountMatchSpy spy(slot);
    enquire.add_matchspy(&spy);
    enquire.get_mset(0, 0, db.get_doccount());
    for (auto it = spy.values_begin(); it != spy.values_end(); ++it)
      counts[*it] += it.get_termfreq();
  } else {
    for (auto it = db.valuestream_begin(slot); it != db.valuestream_end(slot); ++it) ++counts[*it];
  }
  return counts;
}

std::map<std::string, std::size_t> merged_items(
    const std::map<std::string, std::size_t>& counts,
    const std::function<std::string(const std::string&)>& key) {
  struct Merged {
    const std::string* shown = nullptr;  // the form with the highest count
    std::size_t shown_count = 0;
    std::size_t total = 0;
  };
  std::map<std::string, Merged> by_key;
  for (const auto& [item, count] : counts) {
    Merged& merged = by_key[key(item)];
    if (count > merged.shown_count) merged = {&item, count, merged.total};
    merged.total += count;
  }
  std::map<std::string, std::size_t> out;
  for (const auto& [unused, merged] : by_key) out[*merged.shown] += merged.total;
  return out;
}

}  // namespace sok
