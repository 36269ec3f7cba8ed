// Civil dates as day numbers (days since 1970-01-01), on Abseil's civil time
// (absl::CivilDay: proleptic Gregorian, normalising, constexpr).
#pragma once

#include <absl/time/civil_time.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace baton::time {

struct CivilDate {
  int year = 1970;
  int month = 1;  // 1..12
  int day = 1;    // 1..31
};

inline constexpr absl::CivilDay kEpochDay{1970, 1, 1};

// Day number <-> absl::CivilDay.
constexpr absl::CivilDay civil_day(int64_t days) { return kEpochDay + days; }
constexpr int64_t day_number(absl::CivilDay d) { return d - kEpochDay; }

// Out-of-range fields normalise as Abseil does (month 13 is next January).
constexpr int64_t days_from_civil(int y, int m, int d) {
  return day_number(absl::CivilDay(y, m, d));
}

constexpr CivilDate civil_from_days(int64_t days) {
  const absl::CivilDay d = civil_day(days);
  return CivilDate{static_cast<int>(d.year()), d.month(), d.day()};
}

// ISO weekday: 1 = Monday ... 7 = Sunday (absl::Weekday counts from Monday = 0).
inline int iso_weekday(int64_t days) {
  return static_cast<int>(absl::GetWeekday(civil_day(days))) + 1;
}

constexpr int64_t floor_div(int64_t a, int64_t b) {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

// "YYYY-MM-DD" (four-digit year) to a day number; nullopt when malformed or
// not a real date (2023-02-29).
std::optional<int64_t> parse_date(std::string_view text);
std::string format_date(int64_t days);

}  // namespace baton::time
