#include "recency.h"

#include <chrono>
#include <cmath>

namespace sok {

RecencySource::RecencySource(Xapian::valueno slot, int today, double max_weight,
                             double half_life_days)
    : Xapian::ValuePostingSource(slot),
      today_(today),
      max_weight_(max_weight),
      half_life_days_(half_life_days) {}

double RecencySource::get_weight() const {
  // Matches come in document order, and neighbours mostly share a date.
  std::string value = get_value();
  if (value != last_value_) {
    last_weight_ = weight_of(value, today_, max_weight_, half_life_days_);
    last_value_ = std::move(value);
  }
  return last_weight_;
}

double RecencySource::weight_of(const std::string& yyyymmdd, int today, double max_weight,
                                double half_life_days) {
  const int age = std::max(0, today - days_of(yyyymmdd));
  return max_weight * std::exp2(-age / half_life_days);
}

Xapian::ValueMapPostingSource* RecencySource::value_map(Xapian::valueno slot,
                                                        const std::vector<std::string>& dates,
                                                        int today, double max_weight,
                                                        double half_life_days) {
  auto* source = new Xapian::ValueMapPostingSource(slot);
  for (const auto& date : dates)
    source->add_mapping(date, weight_of(date, today, max_weight, half_life_days));
  source->set_default_weight(0);
  return source;
}

RecencySource* RecencySource::clone() const {
  return new RecencySource(get_slot(), today_, max_weight_, half_life_days_);
}

void RecencySource::init(const Xapian::Database& db) {
  Xapian::ValuePostingSource::init(db);
  set_maxweight(max_weight_);
}

int RecencySource::days_of(const std::string& value) {
  if (value.size() != 8) return 0;
  int digits[8];
  for (std::size_t i = 0; i < 8; ++i) {
    if (value[i] < '0' || value[i] > '9') return 0;
    digits[i] = value[i] - '0';
  }
  const int y = digits[0] * 1000 + digits[1] * 100 + digits[2] * 10 + digits[3];
  const unsigned m = static_cast<unsigned>(digits[4] * 10 + digits[5]);
  const unsigned d = static_cast<unsigned>(digits[6] * 10 + digits[7]);
  const std::chrono::year_month_day date{std::chrono::year(y), std::chrono::month(m),
                                         std::chrono::day(d)};
  if (!date.ok()) return 0;
  return static_cast<int>(std::chrono::sys_days(date).time_since_epoch().count());
}

int RecencySource::today() {
  const auto now = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
  return static_cast<int>(now.time_since_epoch().count());
}

}  // namespace sok
