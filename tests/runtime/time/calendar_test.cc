// The one working-time Calendar (baton/time/calendar.h): business time
// across weekends, DST and holidays (moved from the SLA monitor's
// Calendar tests). Overnight shifts: calendar_overnight_test.cc.
#include "baton/time/calendar.h"

#include <gtest/gtest.h>

#include "calendar_fixtures.h"

namespace baton::time {
namespace {

using namespace std::chrono_literals;
using testing::load_zone;
using testing::new_york;
using testing::utc;

TEST(Calendar, AddsInsideOneWorkingDay) {
  auto cal = new_york();
  // Tuesday 2024-07-09 10:00 EDT = 14:00 UTC.
  EXPECT_EQ(cal.add(utc(2024, 7, 9, 14, 0), 15min), utc(2024, 7, 9, 14, 15));
}

TEST(Calendar, WeekendIsSkipped) {
  auto cal = new_york();
  // Friday 2024-07-12 16:55 EDT + 15 business minutes = Monday 09:10 EDT.
  EXPECT_EQ(cal.add(utc(2024, 7, 12, 20, 55), 15min), utc(2024, 7, 15, 13, 10));
  EXPECT_EQ(cal.between(utc(2024, 7, 12, 20, 55), utc(2024, 7, 15, 13, 10)), 15min);
}

TEST(Calendar, DstWeekendShiftsTheUtcDeadline) {
  auto cal = new_york();
  // Friday 2024-03-08 16:55 EST (21:55 UTC) + 15 min: Monday 09:10 EDT,
  // which is 13:10 UTC (not 14:10) because the clocks sprang forward.
  EXPECT_EQ(cal.add(utc(2024, 3, 8, 21, 55), 15min), utc(2024, 3, 11, 13, 10));
  // Fall back: Friday 2024-11-01 16:55 EDT (20:55 UTC) -> Monday 09:10 EST (14:10 UTC).
  EXPECT_EQ(cal.add(utc(2024, 11, 1, 20, 55), 15min), utc(2024, 11, 4, 14, 10));
}

TEST(Calendar, WindowOnTheDstDayIsAsLongAsItReallyIs) {
  CalendarSpec spec;
  spec.time_zone = "America/New_York";
  spec.days = {7};  // Sundays 01:00-04:00
  spec.start_minute = 60;
  spec.end_minute = 240;
  Calendar cal(spec, load_zone("America/New_York"));
  // 2024-03-10: 01:00 EST (06:00 UTC) to 04:00 EDT (08:00 UTC) is 2 real hours.
  EXPECT_EQ(cal.between(utc(2024, 3, 10, 0, 0), utc(2024, 3, 11, 0, 0)), 2h);
  EXPECT_EQ(cal.add(utc(2024, 3, 10, 6, 0), 90min), utc(2024, 3, 10, 7, 30));
  // 2024-11-03: 01:00 EDT (05:00 UTC) to 04:00 EST (09:00 UTC) is 4 real hours.
  EXPECT_EQ(cal.between(utc(2024, 11, 3, 0, 0), utc(2024, 11, 4, 0, 0)), 4h);
}

TEST(Calendar, HolidayIsSkipped) {
  auto cal = new_york();
  // Tuesday 2024-12-24 16:55 EST + 15 min: Wednesday the 25th is a holiday,
  // so Thursday 09:10 EST (14:10 UTC).
  EXPECT_EQ(cal.add(utc(2024, 12, 24, 21, 55), 15min), utc(2024, 12, 26, 14, 10));
  EXPECT_FALSE(cal.is_working_day(days_from_civil(2024, 12, 25)));
}

TEST(Calendar, StartBeforeOpeningCountsFromOpening) {
  auto cal = new_york();
  // Monday 2024-07-15 07:00 EDT -> opens 09:00; +30 min = 09:30 EDT.
  EXPECT_EQ(cal.add(utc(2024, 7, 15, 11, 0), 30min), utc(2024, 7, 15, 13, 30));
  EXPECT_EQ(cal.between(utc(2024, 7, 15, 11, 0), utc(2024, 7, 15, 13, 30)), 30min);
  EXPECT_EQ(cal.between(utc(2024, 7, 15, 13, 30), utc(2024, 7, 15, 11, 0)), 0min);
}

TEST(Calendar, EndOfBusinessDay) {
  auto cal = new_york();
  // Within Monday's window: Monday 17:00 EDT.
  EXPECT_EQ(cal.end_of_business_day(utc(2024, 7, 15, 14, 0)), utc(2024, 7, 15, 21, 0));
  // Before opening: still that day.
  EXPECT_EQ(cal.end_of_business_day(utc(2024, 7, 15, 11, 0)), utc(2024, 7, 15, 21, 0));
  // Friday evening: next Monday.
  EXPECT_EQ(cal.end_of_business_day(utc(2024, 7, 12, 22, 0)), utc(2024, 7, 15, 21, 0));
}

TEST(Calendar, DefaultIsUtcWeekdays) {
  Calendar cal;
  EXPECT_EQ(cal.add(utc(2024, 7, 12, 16, 55), 15min), utc(2024, 7, 15, 9, 10));
}

}  // namespace
}  // namespace baton::time
