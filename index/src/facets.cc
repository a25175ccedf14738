#include "facets.h"

#include "value_lists.h"

namespace sok {

void ListValueCounter::operator()(const Xapian::Document& doc, double /*weight*/) {
  const std::string value = doc.get_value(slot_);
  for (std::string_view item : list_items(value)) ++counts_[std::string(item)];
}

}  // namespace sok
