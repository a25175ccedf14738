#pragma once

#include <xapian.h>

#include <string>
#include <vector>

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

  // The weight of an article whose slot holds `yyyymmdd`: what get_weight()
  // gives, and what the value map of value_map() holds.
  static double weight_of(const std::string& yyyymmdd, int today, double max_weight,
                          double half_life_days);
  // The same boost as a Xapian::ValueMapPostingSource of the dates given
  // (every date the matched articles may have), which remote shards
  // (xapian-tcpsrv knows only Xapian's own posting sources) can run:
  // for each date, exactly the weight a RecencySource gives it.
  static Xapian::ValueMapPostingSource* value_map(Xapian::valueno slot,
                                                  const std::vector<std::string>& dates, int today,
                                                  double max_weight, double half_life_days);

  // Days since 1970-01-01 of a "YYYYMMDD" value (0 when it is not one).
  static int days_of(const std::string& yyyymmdd);
  static int today();

 private:
  int today_;
  double max_weight_;
  double half_life_days_;
  // The last date asked for, and its weight.
  mutable std::string last_value_;
  mutable double last_weight_ = 0;
};

}  // namespace sok
