#include "baton/time/calendar.h"

#include <algorithm>

#include "baton/time/civil.h"

namespace baton::time {

namespace {
// Longest search for working time: ten years of days covers any sane calendar
// (a calendar with no working day at all is rejected by config validation).
constexpr int64_t kMaxDays = 3660;
}  // namespace

Calendar::Calendar() : Calendar(CalendarSpec{}, std::make_shared<TimeZone>(TimeZone::utc())) {}

Calendar::Calendar(CalendarSpec spec, std::shared_ptr<const TimeZone> zone,
                   std::vector<Absence> out_of_office)
    : spec_(std::move(spec)), zone_(std::move(zone)), absences_(std::move(out_of_office)) {
  if (!zone_) zone_ = std::make_shared<TimeZone>(TimeZone::utc());
  // Roster values are not trusted: a window never starts after 23:59 nor
  // lasts more than a day.
  spec_.start_minute = std::clamp(spec_.start_minute, 0, 1439);
  spec_.end_minute = std::clamp(spec_.end_minute, 0, 1440);
  for (const auto& h : spec_.holidays)
    if (auto d = parse_date(h)) holidays_.insert(*d);
  for (int d : spec_.days)
    if (d >= 1 && d <= 7) days_.insert(d);
}

int64_t Calendar::local_day(TimePoint t) const { return zone_->local_day(t); }

bool Calendar::is_working_day(int64_t day) const {
  return weekly_window(day).has_value() && !is_holiday(day);
}

std::optional<std::pair<int64_t, int64_t>> Calendar::weekly_window(int64_t day) const {
  const int64_t midnight = day * 86400;
  int64_t begin = 0, end = 0;
  if (days_.empty()) {  // every day, all day
    begin = zone_->to_utc(midnight);
    end = zone_->to_utc(midnight + 86400);
  } else {
    if (days_.count(iso_weekday(day)) == 0) return std::nullopt;
    const bool overnight = spec_.end_minute <= spec_.start_minute;
    begin = zone_->to_utc(midnight + spec_.start_minute * 60LL);
    end = zone_->to_utc(midnight + (overnight ? 86400 : 0) + spec_.end_minute * 60LL);
  }
  if (end <= begin) return std::nullopt;
  return std::make_pair(begin * 1000, end * 1000);
}

std::optional<std::pair<int64_t, int64_t>> Calendar::window(int64_t day) const {
  if (is_holiday(day)) return std::nullopt;
  return weekly_window(day);
}

std::string Calendar::why_not_working(TimePoint t) const {
  const int64_t at = to_millis(t);
  for (const auto& a : absences_)
    if (at >= a.from_ms && at < a.until_ms) return kOutOfOffice;
  const int64_t today = local_day(t);
  bool in_holiday_window = false;
  for (int64_t day = today - 1; day <= today; ++day) {
    auto w = weekly_window(day);
    if (!w || at < w->first || at >= w->second) continue;
    if (!is_holiday(day)) return {};
    in_holiday_window = true;
  }
  if (in_holiday_window || is_holiday(today)) return kHoliday;
  return kOutsideWorkingHours;
}

TimePoint Calendar::add(TimePoint start, Millis business) const {
  int64_t remaining = business.count();
  const int64_t from = to_millis(start);
  if (remaining <= 0) return start;
  const int64_t first = local_day(start) - 1;
  for (int64_t day = first; day < first + kMaxDays; ++day) {
    auto w = window(day);
    if (!w) continue;
    const int64_t b = std::max(w->first, from);
    if (b >= w->second) continue;
    const int64_t avail = w->second - b;
    if (remaining <= avail) return from_millis(b + remaining);
    remaining -= avail;
  }
  return from_millis(from + business.count());  // unreachable for a valid calendar
}

Millis Calendar::between(TimePoint from, TimePoint to) const {
  const int64_t a = to_millis(from), b = to_millis(to);
  if (b <= a) return Millis(0);
  int64_t total = 0;
  const int64_t last = local_day(to) + 1;
  for (int64_t day = local_day(from) - 1; day <= last; ++day) {
    auto w = window(day);
    if (!w) continue;
    const int64_t lo = std::max(w->first, a), hi = std::min(w->second, b);
    if (hi > lo) total += hi - lo;
  }
  return Millis(total);
}

TimePoint Calendar::end_of_business_day(TimePoint t) const {
  const int64_t at = to_millis(t);
  const int64_t first = local_day(t) - 1;
  for (int64_t day = first; day < first + kMaxDays; ++day) {
    auto w = window(day);
    if (w && w->second > at) return from_millis(w->second);
  }
  return t;
}

Calendar calendar_in(const ZoneDb& zones, const CalendarSpec& spec,
                     std::vector<Absence> out_of_office) {
  auto zone = zones.get(spec.time_zone);
  if (zone) return Calendar(spec, std::move(zone), std::move(out_of_office));
  CalendarSpec utc = spec;
  utc.time_zone = "UTC";
  return Calendar(utc, std::make_shared<TimeZone>(TimeZone::utc()), std::move(out_of_office));
}

std::vector<CalendarIssue> check_holiday_calendars(const HolidayCalendars& calendars) {
  std::vector<CalendarIssue> out;
  for (const auto& [name, dates] : calendars)
    for (size_t i = 0; i < dates.size(); ++i)
      if (!parse_date(dates[i]))
        out.push_back({"holiday_calendars." + name + "[" + std::to_string(i) + "]",
                       "expected a date YYYY-MM-DD, got '" + dates[i] + "'"});
  return out;
}

std::vector<std::string> holidays_for(const std::vector<std::string>& own,
                                      const std::string& calendar_id,
                                      const HolidayCalendars& calendars) {
  std::vector<std::string> out = own;
  if (calendar_id.empty()) return out;
  auto it = calendars.find(calendar_id);
  if (it != calendars.end()) out.insert(out.end(), it->second.begin(), it->second.end());
  return out;
}

}  // namespace baton::time
