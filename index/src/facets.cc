#include "facets.h"

#include "value_lists.h"

namespace sok {

std::map<std::string, std::size_t> item_counts(const Xapian::ValueCountMatchSpy& spy) {
  std::map<std::string, std::size_t> counts;
  for (auto it = spy.values_begin(); it != spy.values_end(); ++it) {
    const std::string value = *it;
    for (std::string_view item : list_items(value)) counts[std::string(item)] += it.get_termfreq();
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

}  // namespace sok
