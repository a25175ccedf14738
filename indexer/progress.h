#pragma once

#include <cstdio>

#include "sok/index/indexing.h"

namespace sok {

// Draws a progress bar with documents/s and time left on a terminal; does
// nothing when `out` is not one (a log gets the summary line only).
class ProgressBar {
 public:
  explicit ProgressBar(std::FILE* out);
  void update(const IndexingProgress& progress);
  // Clears the bar so that the summary starts on a clean line.
  void finish();

 private:
  std::FILE* out_;
  bool terminal_;
  bool drawn_ = false;
};

}  // namespace sok
