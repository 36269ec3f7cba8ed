// A rep's business calendar: time zone, weekly working window, holidays.
// Counts business time (real elapsed seconds inside working windows), so a
// DST day's window is as long as it really is.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "baton/time/time.h"
#include "time_zone.h"

namespace baton::sla {

using TimePoint = ::baton::time::TimePoint;
using Millis = ::baton::time::Millis;
namespace time = ::baton::time;

// The calendar as configured or as read from the roster.
struct CalendarSpec {
  std::string time_zone = "UTC";
  std::vector<int> days = {1, 2, 3, 4, 5};  // ISO weekdays, 1 = Monday
  int start_minute = 9 * 60;                // minutes after local midnight
  int end_minute = 17 * 60;                 // exclusive, <= 1440
  std::vector<std::string> holidays;        // local dates "YYYY-MM-DD"
  bool operator==(const CalendarSpec&) const = default;
};

class BusinessCalendar {
 public:
  BusinessCalendar();  // UTC, Monday-Friday 09:00-17:00, no holidays
  BusinessCalendar(CalendarSpec spec, std::shared_ptr<const TimeZone> zone);

  const CalendarSpec& spec() const { return spec_; }
  const TimeZone& zone() const { return *zone_; }

  // The instant `business` of working time after `start`.
  TimePoint add(TimePoint start, Millis business) const;
  // Working time inside [from, to); zero when to <= from.
  Millis between(TimePoint from, TimePoint to) const;
  // End of the business day `t` falls in, or of the next one when `t` is
  // after today's window or on a day off ("same business day").
  TimePoint end_of_business_day(TimePoint t) const;
  // Local day number (days since 1970-01-01 in the calendar's zone).
  int64_t local_day(TimePoint t) const;
  bool is_working_day(int64_t local_day) const;
  // [begin, end) in UTC milliseconds of a local day's working window.
  std::optional<std::pair<int64_t, int64_t>> window(int64_t local_day) const;

 private:
  CalendarSpec spec_;
  std::shared_ptr<const TimeZone> zone_;
  std::set<int64_t> holidays_;
  std::set<int> days_;
};

}  // namespace baton::sla
