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

}  // namespace sok
