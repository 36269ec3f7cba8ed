#include "business_calendar.h"

#include <algorithm>

#include "civil.h"

namespace baton::sla {

namespace {
// Longest search for working time: ten years of days covers any sane calendar
// (a calendar with no working day at all is rejected by config validation).
constexpr int64_t kMaxDays = 3660;
}  // namespace

BusinessCalendar::BusinessCalendar()
    : BusinessCalendar(CalendarSpec{}, std::make_shared<TimeZone>(TimeZone::utc())) {}

BusinessCalendar::BusinessCalendar(CalendarSpec spec, std::shared_ptr<const TimeZone> zone)
    : spec_(std::move(spec)), zone_(std::move(zone)) {
  if (!zone_) zone_ = std::make_shared<TimeZone>(TimeZone::utc());
  for (const auto& h : spec_.holidays)
    if (auto d = parse_date(h)) holidays_.insert(*d);
  for (int d : spec_.days)
    if (d >= 1 && d <= 7) days_.insert(d);
}

int64_t BusinessCalendar::local_day(TimePoint t) const {
  const int64_t s = floor_div(time::to_millis(t), 1000);
  return floor_div(s + zone_->offset_at(s), 86400);
}

bool BusinessCalendar::is_working_day(int64_t day) const {
  return days_.count(iso_weekday(day)) > 0 && holidays_.count(day) == 0;
}

std::optional<std::pair<int64_t, int64_t>> BusinessCalendar::window(int64_t day) const {
  if (!is_working_day(day) || spec_.end_minute <= spec_.start_minute) return std::nullopt;
  const int64_t midnight = day * 86400;
  const int64_t begin = zone_->to_utc(midnight + spec_.start_minute * 60LL);
  const int64_t end = zone_->to_utc(midnight + spec_.end_minute * 60LL);
  if (end <= begin) return std::nullopt;
  return std::make_pair(begin * 1000, end * 1000);
}

TimePoint BusinessCalendar::add(TimePoint start, Millis business) const {
  int64_t remaining = business.count();
  const int64_t from = time::to_millis(start);
  if (remaining <= 0 || days_.empty()) return start;
  const int64_t first = local_day(start) - 1;
  for (int64_t day = first; day < first + kMaxDays; ++day) {
    auto w = window(day);
    if (!w) continue;
    const int64_t b = std::max(w->first, from);
    if (b >= w->second) continue;
    const int64_t avail = w->second - b;
    if (remaining <= avail) return time::from_millis(b + remaining);
    remaining -= avail;
  }
  return time::from_millis(from + business.count());  // unreachable for a valid calendar
}

Millis BusinessCalendar::between(TimePoint from, TimePoint to) const {
  const int64_t a = time::to_millis(from), b = time::to_millis(to);
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

TimePoint BusinessCalendar::end_of_business_day(TimePoint t) const {
  const int64_t at = time::to_millis(t);
  const int64_t first = local_day(t) - 1;
  for (int64_t day = first; day < first + kMaxDays; ++day) {
    auto w = window(day);
    if (w && w->second > at) return time::from_millis(w->second);
  }
  return t;
}

}  // namespace baton::sla
