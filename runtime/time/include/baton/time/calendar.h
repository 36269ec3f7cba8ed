// Baton's one working-time calendar: a zone, a weekly working window (which
// may cross midnight), holidays (inline dates plus a named holiday calendar)
// and out-of-office windows. The router asks it whether a rep works now; the
// SLA monitor counts business time with it. Pure: `now` is always passed in.
//
// A working window belongs to the local day it starts on. start_minute <
// end_minute is a day shift; end_minute <= start_minute is an overnight
// shift (22:00-06:00 runs from 22:00 on a listed day to 06:00 the next
// morning; equal minutes make a 24-hour window). No listed days means every
// day, all day. A holiday removes the window that starts on it. Business
// time is real elapsed time inside windows, so a DST night's window is as
// long as it really is. Out-of-office windows make a rep unavailable
// (is_working) but do not pause business time.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "baton/time/time.h"
#include "baton/time/zone.h"

namespace baton::time {

// The calendar as configured or as read from the roster.
struct CalendarSpec {
  std::string time_zone = "UTC";
  std::vector<int> days = {1, 2, 3, 4, 5};  // ISO weekdays, 1 = Monday; empty: every day, all day
  int start_minute = 9 * 60;                // minutes after local midnight
  int end_minute = 17 * 60;                 // <= start_minute: ends the next day
  std::vector<std::string> holidays;        // local dates "YYYY-MM-DD"
  bool operator==(const CalendarSpec&) const = default;
};

// [from, until) in epoch milliseconds; until INT64_MAX when open-ended.
struct Absence {
  int64_t from_ms = 0;
  int64_t until_ms = INT64_MAX;
};

// Why someone is not working at an instant ("" when working).
inline constexpr const char* kOutOfOffice = "out_of_office";
inline constexpr const char* kHoliday = "holiday";
inline constexpr const char* kOutsideWorkingHours = "outside_working_hours";

class Calendar {
 public:
  Calendar();  // UTC, Monday-Friday 09:00-17:00, no holidays
  Calendar(CalendarSpec spec, std::shared_ptr<const TimeZone> zone,
           std::vector<Absence> out_of_office = {});

  const CalendarSpec& spec() const { return spec_; }
  const TimeZone& zone() const { return *zone_; }

  // "" when `t` is inside a working window and outside every absence; else
  // out_of_office, holiday (t falls in a holiday's window, or on a holiday
  // outside any window) or outside_working_hours.
  std::string why_not_working(TimePoint t) const;
  bool is_working(TimePoint t) const { return why_not_working(t).empty(); }

  // The instant `business` of working time after `start`.
  TimePoint add(TimePoint start, Millis business) const;
  // Working time inside [from, to); zero when to <= from.
  Millis between(TimePoint from, TimePoint to) const;
  // End of the window `t` falls in, or of the next one when `t` is outside
  // every window ("same business day").
  TimePoint end_of_business_day(TimePoint t) const;
  // Local day number (days since 1970-01-01 in the calendar's zone).
  int64_t local_day(TimePoint t) const;
  bool is_working_day(int64_t local_day) const;
  bool is_holiday(int64_t local_day) const { return holidays_.count(local_day) > 0; }
  // [begin, end) in UTC milliseconds of the window that starts on a local day.
  std::optional<std::pair<int64_t, int64_t>> window(int64_t local_day) const;

 private:
  // The weekly window of a listed day, holidays ignored.
  std::optional<std::pair<int64_t, int64_t>> weekly_window(int64_t local_day) const;

  CalendarSpec spec_;
  std::shared_ptr<const TimeZone> zone_;
  std::vector<Absence> absences_;
  std::set<int64_t> holidays_;
  std::set<int> days_;
};

// The calendar of a spec, its zone from `zones`; an unknown zone falls back
// to UTC (callers that must refuse one check zones.find first).
Calendar calendar_in(const ZoneDb& zones, const CalendarSpec& spec,
                     std::vector<Absence> out_of_office = {});

// ---- Named holiday calendars (the `holiday_calendars` config block) ----

// Name -> local dates "YYYY-MM-DD".
using HolidayCalendars = std::map<std::string, std::vector<std::string>>;

struct CalendarIssue {
  std::string field;  // e.g. "holiday_calendars.us[2]"
  std::string message;
};

// Every date must be a real YYYY-MM-DD date.
std::vector<CalendarIssue> check_holiday_calendars(const HolidayCalendars& calendars);

// A rep's holidays: its own dates plus its named calendar's. An id that
// names no calendar adds nothing (the rep keeps its own dates).
std::vector<std::string> holidays_for(const std::vector<std::string>& own,
                                      const std::string& calendar_id,
                                      const HolidayCalendars& calendars);

}  // namespace baton::time
