#pragma once

#include <xapian.h>

#include <string>

namespace sok {

// Extra weight for recent articles: `max_weight` for one published today,
// halving every `half_life_days`, read from the published-date slot
// ("YYYYMMDD"). Combined with OP_AND_MAYBE, so it only reorders matches.
class RecencySource : public Xapian::ValuePostingSource {
 public:
  RecencySource(Xapian::valueno slot, int today, double max_weight, double half_life_days);

  double get_weight() const override;
  RecencySource* clone() const override;
  void init(const Xapian::Database& db) override;
  std::string name() const override { return "sok::RecencySource"; }

  // Days since 1970-01-01 of a "YYYYMMDD" value (0 when it is not one).
  static int days_of(const std::string& yyyymmdd);
  static int today();

 private:
  int today_;
  double max_weight_;
  double half_life_days_;
};

}  // namespace sok
