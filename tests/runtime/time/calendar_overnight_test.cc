// The Calendar's overnight shifts (22:00-06:00 runs into the next morning,
// across DST nights too), reasons why someone is not working, out-of-office
// windows and named holiday calendars. ctest -R OvernightShift.
#include <gtest/gtest.h>

#include "baton/time/calendar.h"
#include "calendar_fixtures.h"

namespace baton::time {
namespace {

using namespace std::chrono_literals;
using testing::load_zone;
using testing::utc;

// Monday-Friday 22:00-06:00 in Berlin (a shift starting Friday night ends
// Saturday morning).
Calendar night_shift(std::vector<std::string> holidays = {}, std::vector<Absence> ooo = {}) {
  CalendarSpec spec;
  spec.time_zone = "Europe/Berlin";
  spec.start_minute = 22 * 60;
  spec.end_minute = 6 * 60;
  spec.holidays = std::move(holidays);
  return Calendar(spec, load_zone("Europe/Berlin"), std::move(ooo));
}

TEST(OvernightShift, WorkingAtHalfPastElevenAndHalfPastFiveLocal) {
  auto cal = night_shift();
  // Tuesday 2024-07-09 23:30 CEST = 21:30 UTC; Wednesday 05:30 CEST = 03:30 UTC.
  EXPECT_EQ(cal.why_not_working(utc(2024, 7, 9, 21, 30)), "");
  EXPECT_EQ(cal.why_not_working(utc(2024, 7, 10, 3, 30)), "");
  EXPECT_EQ(cal.why_not_working(utc(2024, 7, 10, 10, 0)), kOutsideWorkingHours);  // noon
  // Saturday 05:30 belongs to Friday's shift; Sunday 05:30 to none.
  EXPECT_TRUE(cal.is_working(utc(2024, 7, 13, 3, 30)));
  EXPECT_FALSE(cal.is_working(utc(2024, 7, 14, 3, 30)));
  // Monday 05:30 is before Monday's shift (Sunday has none).
  EXPECT_FALSE(cal.is_working(utc(2024, 7, 15, 3, 30)));
}

TEST(OvernightShift, BusinessTimeRunsAcrossMidnight) {
  auto cal = night_shift();
  // Tuesday 23:30 CEST + 60 business minutes = Wednesday 00:30 CEST.
  EXPECT_EQ(cal.add(utc(2024, 7, 9, 21, 30), 60min), utc(2024, 7, 9, 22, 30));
  EXPECT_EQ(cal.between(utc(2024, 7, 9, 21, 30), utc(2024, 7, 9, 22, 30)), 60min);
  // Wednesday 05:30 + 60 min: 30 min left tonight, then Wednesday 22:30.
  EXPECT_EQ(cal.add(utc(2024, 7, 10, 3, 30), 60min), utc(2024, 7, 10, 20, 30));
  // The shift's end is the end of its business day.
  EXPECT_EQ(cal.end_of_business_day(utc(2024, 7, 9, 22, 0)), utc(2024, 7, 10, 4, 0));
}

TEST(OvernightShift, DstNightIsAsLongAsItReallyIs) {
  CalendarSpec spec;
  spec.time_zone = "Europe/Berlin";
  spec.days = {6};  // Saturday 22:00 - Sunday 06:00
  spec.start_minute = 22 * 60;
  spec.end_minute = 6 * 60;
  Calendar cal(spec, load_zone("Europe/Berlin"));
  // 2024-03-30/31 springs forward: 22:00 CET (21:00 UTC) to 06:00 CEST (04:00 UTC) = 7 h.
  EXPECT_EQ(cal.between(utc(2024, 3, 30, 0, 0), utc(2024, 4, 1, 0, 0)), 7h);
  EXPECT_TRUE(cal.is_working(utc(2024, 3, 31, 3, 30)));  // 05:30 CEST
  // 2024-10-26/27 falls back: 22:00 CEST (20:00 UTC) to 06:00 CET (05:00 UTC) = 9 h.
  EXPECT_EQ(cal.between(utc(2024, 10, 26, 0, 0), utc(2024, 10, 28, 0, 0)), 9h);
}

TEST(OvernightShift, HolidayRemovesTheShiftThatStartsOnIt) {
  auto cal = night_shift({"2024-07-10"});
  // Wednesday the 10th is a holiday: Tuesday night's shift still runs to 06:00.
  EXPECT_TRUE(cal.is_working(utc(2024, 7, 10, 3, 30)));
  EXPECT_EQ(cal.why_not_working(utc(2024, 7, 10, 21, 30)), kHoliday);  // 23:30 Wednesday
  EXPECT_EQ(cal.why_not_working(utc(2024, 7, 10, 10, 0)), kHoliday);   // noon on the holiday
  EXPECT_TRUE(cal.is_working(utc(2024, 7, 11, 21, 30)));               // Thursday night
}

TEST(Calendar, OutOfOfficeComesFirstAndDoesNotPauseBusinessTime) {
  Absence a{to_millis(utc(2024, 7, 9, 0, 0)), to_millis(utc(2024, 7, 10, 0, 0))};
  auto cal = night_shift({}, {a});
  EXPECT_EQ(cal.why_not_working(utc(2024, 7, 9, 21, 30)), kOutOfOffice);
  EXPECT_TRUE(cal.is_working(utc(2024, 7, 10, 3, 30)));
  EXPECT_EQ(cal.between(utc(2024, 7, 9, 21, 30), utc(2024, 7, 9, 22, 30)), 60min);
}

TEST(Calendar, NoListedDaysMeansAlwaysExceptHolidays) {
  CalendarSpec spec;
  spec.days.clear();
  spec.holidays = {"2024-07-10"};
  Calendar cal(spec, nullptr);
  EXPECT_TRUE(cal.is_working(utc(2024, 7, 9, 3, 0)));
  EXPECT_EQ(cal.why_not_working(utc(2024, 7, 10, 3, 0)), kHoliday);
  EXPECT_EQ(cal.between(utc(2024, 7, 9, 0, 0), utc(2024, 7, 12, 0, 0)), 48h);
}

TEST(HolidayCalendars, NamedCalendarAddsItsDatesAndUnknownIdAddsNone) {
  HolidayCalendars named{{"de", {"2024-10-03"}}, {"bad", {"2024-02-30", "x"}}};
  EXPECT_EQ(holidays_for({"2024-12-24"}, "de", named),
            (std::vector<std::string>{"2024-12-24", "2024-10-03"}));
  EXPECT_EQ(holidays_for({"2024-12-24"}, "nope", named), std::vector<std::string>{"2024-12-24"});
  auto issues = check_holiday_calendars(named);
  ASSERT_EQ(issues.size(), 2u);
  EXPECT_EQ(issues[0].field, "holiday_calendars.bad[0]");
  EXPECT_EQ(issues[1].field, "holiday_calendars.bad[1]");
}

TEST(Calendar, UnknownZoneFallsBackToUtc) {
  auto cal = calendar_in(system_zones(), CalendarSpec{"Mars/Base", {1}, 0, 60, {}});
  EXPECT_EQ(cal.spec().time_zone, "UTC");
  EXPECT_TRUE(cal.is_working(utc(2024, 7, 8, 0, 30)));  // a Monday
}

}  // namespace
}  // namespace baton::time
