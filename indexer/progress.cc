#include "progress.h"

#include <unistd.h>

#include <algorithm>

namespace sok {

ProgressBar::ProgressBar(std::FILE* out) : out_(out), terminal_(::isatty(::fileno(out)) == 1) {}

void ProgressBar::update(const IndexingProgress& p) {
  if (!terminal_) return;
  constexpr int kWidth = 30;
  const double fraction =
      p.bytes_total > 0
          ? std::min(1.0, static_cast<double>(p.bytes_read) / static_cast<double>(p.bytes_total))
          : 0;
  const int filled = static_cast<int>(fraction * kWidth);
  const double rate = p.seconds > 0 ? p.documents / p.seconds : 0;
  const double left = fraction > 0 ? p.seconds * (1 - fraction) / fraction : 0;
  std::fprintf(out_, "\r[%.*s%*s] %3.0f%%  %zu documents  %.0f/s  %.0f s left ", filled,
               "##############################", kWidth - filled, "", fraction * 100, p.documents,
               rate, left);
  std::fflush(out_);
  drawn_ = true;
}

void ProgressBar::finish() {
  if (drawn_) std::fprintf(out_, "\r%*s\r", 78, "");
  drawn_ = false;
}

}  // namespace sok
