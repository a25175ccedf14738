#pragma once

#include <string_view>
#include <vector>

#include "sok/index/schema.h"

namespace sok {

// The items of a list value slot (tags, partners): the value split at
// schema::kListSeparator, empty items left out.
inline std::vector<std::string_view> list_items(std::string_view value) {
  std::vector<std::string_view> items;
  std::size_t start = 0;
  while (start < value.size()) {
    std::size_t end = value.find(schema::kListSeparator, start);
    if (end == std::string_view::npos) end = value.size();
    if (end > start) items.push_back(value.substr(start, end - start));
    start = end + 1;
  }
  return items;
}

}  // namespace sok
