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

constexpr int64_t floor_div(int64_t a, int64_t b) {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

// Day number to date by arithmetic (H. Hinnant's civil_from_days, the
// proleptic Gregorian calendar Abseil uses; zone_index_test checks they agree):
// Abseil's normalisation of kEpochDay + days loops over the years.
constexpr CivilDate civil_from_days(int64_t days) {
  const int64_t z = days + 719468;  // from 0000-03-01
  const int64_t era = floor_div(z, 146097);
  const int64_t doe = z - era * 146097;                                       // [0, 146096]
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;  // [0, 399]
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);                // [0, 365]
  const int64_t mp = (5 * doy + 2) / 153;                                     // March = 0
  const int day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  const int month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  return CivilDate{static_cast<int>(yoe + era * 400 + (month <= 2)), month, day};
}

// ISO weekday: 1 = Monday ... 7 = Sunday (1970-01-01 was a Thursday).
constexpr int iso_weekday(int64_t days) {
  return static_cast<int>(days + 3 - floor_div(days + 3, 7) * 7) + 1;
}

// "YYYY-MM-DD" (four-digit year) to a day number; nullopt when malformed or
// not a real date (2023-02-29).
std::optional<int64_t> parse_date(std::string_view text);
std::string format_date(int64_t days);

}  // namespace baton::time
