#pragma once

#include <stdexcept>
#include <string>

namespace sok {

// The index could not be read or written: a message for the person running
// the indexer, naming the folder or file and the cause. Whatever was live
// before stays live.
class IndexError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace sok
