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
  return weight_of(get_value(), today_, max_weight_, half_life_days_);
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
  const int y = std::stoi(value.substr(0, 4)), m = std::stoi(value.substr(4, 2)),
            d = std::stoi(value.substr(6, 2));
  const std::chrono::year_month_day date{std::chrono::year(y),
                                         std::chrono::month(static_cast<unsigned>(m)),
                                         std::chrono::day(static_cast<unsigned>(d))};
  if (!date.ok()) return 0;
  return static_cast<int>(std::chrono::sys_days(date).time_since_epoch().count());
}

int RecencySource::today() {
  const auto now = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
  return static_cast<int>(now.time_since_epoch().count());
}

}  // namespace sok
