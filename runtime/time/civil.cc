#include "baton/time/civil.h"

#include <cctype>

namespace baton::time {

std::optional<int64_t> parse_date(std::string_view t) {
  // Abseil's parser also takes other year widths and signs; config dates are
  // exactly YYYY-MM-DD.
  if (t.size() != 10 || t[4] != '-' || t[7] != '-') return std::nullopt;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (!std::isdigit(static_cast<unsigned char>(t[i]))) return std::nullopt;
  absl::CivilDay day;
  if (!absl::ParseCivilTime(absl::string_view(t.data(), t.size()), &day)) return std::nullopt;
  return day_number(day);
}

std::string format_date(int64_t days) {
  const CivilDate d = civil_from_days(days);
  if (d.year < 1000 || d.year > 9999) return absl::FormatCivilTime(civil_day(days));
  std::string out = "0000-00-00";
  for (int i = 3, y = d.year; i >= 0; --i, y /= 10) out[i] = static_cast<char>('0' + y % 10);
  out[5] = static_cast<char>('0' + d.month / 10);
  out[6] = static_cast<char>('0' + d.month % 10);
  out[8] = static_cast<char>('0' + d.day / 10);
  out[9] = static_cast<char>('0' + d.day % 10);
  return out;
}

}  // namespace baton::time
