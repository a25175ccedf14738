#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace sok {

// Hashing that lets a std::string_view find a std::string key without a copy.
struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

// A hash map from strings, searchable by std::string_view.
template <typename Value>
using StringMap = std::unordered_map<std::string, Value, StringHash, std::equal_to<>>;

}  // namespace sok
