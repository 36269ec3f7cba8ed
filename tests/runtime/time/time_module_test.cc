// The time module on Abseil: DST spring-forward and fall-back (New York,
// London), half-hour offsets (Kolkata, Lord Howe's half-hour DST), an
// overnight shift across a DST night, the one RFC 3339 formatter and parser,
// the millisecond helpers and an unknown zone. ctest -R TimeModule.
#include <gtest/gtest.h>

#include "baton/time/calendar.h"
#include "baton/time/rfc3339.h"
#include "baton/time/zone.h"
#include "calendar_fixtures.h"

namespace baton::time {
namespace {

// The parsed instant; a failure to parse fails the test with the error.
TimePoint parsed(std::string_view text) {
  auto t = parse_rfc3339(text);
  EXPECT_TRUE(t) << text << ": " << (t ? "" : t.error().message);
  return t ? *t : TimePoint{};
}

using namespace std::chrono_literals;
using testing::load_zone;
using testing::utc;

int64_t secs(TimePoint t) { return floor_div(to_millis(t), 1000); }
int64_t wall(int y, int mo, int d, int h, int mi) { return secs(utc(y, mo, d, h, mi)); }

// Every day, [start, end) local minutes.
Calendar daily(const std::string& zone, int start_minute, int end_minute) {
  CalendarSpec spec;
  spec.time_zone = zone;
  spec.days = {1, 2, 3, 4, 5, 6, 7};
  spec.start_minute = start_minute;
  spec.end_minute = end_minute;
  return Calendar(spec, load_zone(zone));
}

TEST(TimeModule, NewYorkSpringForwardAndFallBack) {
  auto ny = load_zone("America/New_York");
  ASSERT_NE(ny, nullptr);
  // 2024-03-10 02:00 EST jumps to 03:00 EDT (07:00 UTC).
  EXPECT_EQ(ny->offset_at(secs(utc(2024, 3, 10, 6, 59, 59))), -5 * 3600);
  EXPECT_EQ(ny->offset_at(secs(utc(2024, 3, 10, 7, 0))), -4 * 3600);
  LocalTime after = ny->local(utc(2024, 3, 10, 7, 0));
  EXPECT_EQ(after.minute_of_day, 3 * 60);  // 01:59:59 is followed by 03:00
  // 02:30 does not exist: 03:30 EDT. 01:30 on 2024-11-03 happens twice: EDT.
  EXPECT_EQ(ny->to_utc(wall(2024, 3, 10, 2, 30)), secs(utc(2024, 3, 10, 7, 30)));
  EXPECT_EQ(ny->to_utc(wall(2024, 11, 3, 1, 30)), secs(utc(2024, 11, 3, 5, 30)));
  EXPECT_EQ(ny->to_utc(wall(2024, 11, 3, 2, 0)), secs(utc(2024, 11, 3, 7, 0)));  // EST again
  // 9-to-5 is still eight hours on both Sundays.
  Calendar cal = daily("America/New_York", 9 * 60, 17 * 60);
  EXPECT_EQ(cal.window(days_from_civil(2024, 3, 10))->first, to_millis(utc(2024, 3, 10, 13, 0)));
  EXPECT_EQ(cal.window(days_from_civil(2024, 11, 3))->first, to_millis(utc(2024, 11, 3, 14, 0)));
  EXPECT_EQ(cal.between(utc(2024, 3, 10), utc(2024, 3, 11)), 8h);
  EXPECT_EQ(cal.between(utc(2024, 11, 3), utc(2024, 11, 4)), 8h);
}

TEST(TimeModule, LondonSpringForwardAndFallBack) {
  auto london = load_zone("Europe/London");
  ASSERT_NE(london, nullptr);
  // 2024-03-31 01:00 GMT -> 02:00 BST; 2024-10-27 02:00 BST -> 01:00 GMT (01:00 UTC both).
  EXPECT_EQ(london->offset_at(secs(utc(2024, 3, 31, 0, 59))), 0);
  EXPECT_EQ(london->offset_at(secs(utc(2024, 3, 31, 1, 0))), 3600);
  EXPECT_EQ(london->offset_at(secs(utc(2024, 10, 27, 0, 59))), 3600);
  EXPECT_EQ(london->offset_at(secs(utc(2024, 10, 27, 1, 0))), 0);
  EXPECT_EQ(london->to_utc(wall(2024, 3, 31, 1, 30)), secs(utc(2024, 3, 31, 1, 30)));  // 02:30 BST
  EXPECT_EQ(london->to_utc(wall(2024, 10, 27, 1, 30)), secs(utc(2024, 10, 27, 0, 30)));  // BST
  // 00:30-02:30 local is one real hour in spring and three in autumn.
  Calendar cal = daily("Europe/London", 30, 150);
  EXPECT_EQ(cal.between(utc(2024, 3, 30, 12), utc(2024, 3, 31, 12)), 1h);
  EXPECT_EQ(cal.between(utc(2024, 10, 26, 12), utc(2024, 10, 27, 12)), 3h);
  EXPECT_TRUE(cal.is_working(utc(2024, 10, 27, 1, 45)));  // 01:45 GMT, the second time round
  EXPECT_FALSE(cal.is_working(utc(2024, 3, 31, 1, 45)));  // 02:45 BST
}

TEST(TimeModule, HalfHourOffsetZones) {
  auto kolkata = load_zone("Asia/Kolkata");
  ASSERT_NE(kolkata, nullptr);
  EXPECT_EQ(kolkata->offset_at(secs(utc(2024, 7, 1))), 5 * 3600 + 1800);
  // Monday-Friday 09:00-17:00 IST is 03:30-11:30 UTC.
  CalendarSpec spec;
  spec.time_zone = "Asia/Kolkata";
  Calendar cal(spec, kolkata);
  EXPECT_EQ(cal.why_not_working(utc(2024, 7, 1, 3, 29)), kOutsideWorkingHours);
  EXPECT_EQ(cal.why_not_working(utc(2024, 7, 1, 3, 30)), "");
  EXPECT_EQ(cal.end_of_business_day(utc(2024, 7, 1, 4, 0)), utc(2024, 7, 1, 11, 30));
  EXPECT_EQ(cal.local_day(utc(2024, 7, 1, 18, 30)), days_from_civil(2024, 7, 2));  // midnight IST
  // Lord Howe: +10:30, with a half-hour DST to +11:00 from the first Sunday
  // of October (02:00 -> 02:30) to the first Sunday of April (02:00 -> 01:30).
  auto lord_howe = load_zone("Australia/Lord_Howe");
  ASSERT_NE(lord_howe, nullptr);
  EXPECT_EQ(lord_howe->offset_at(secs(utc(2024, 7, 1))), 10 * 3600 + 1800);
  EXPECT_EQ(lord_howe->offset_at(secs(utc(2024, 1, 15))), 11 * 3600);
  // 2024-10-06 02:15 does not exist: 02:45 (+11), i.e. 15:45 UTC the day before.
  EXPECT_EQ(lord_howe->to_utc(wall(2024, 10, 6, 2, 15)), secs(utc(2024, 10, 5, 15, 45)));
  EXPECT_EQ(format_rfc3339(utc(2024, 10, 5, 15, 45), *lord_howe), "2024-10-06T02:45:00.000+11:00");
  // A 00:00-04:00 window over that night is half an hour shorter.
  Calendar morning = daily("Australia/Lord_Howe", 0, 4 * 60);
  EXPECT_EQ(morning.between(utc(2024, 10, 5, 6), utc(2024, 10, 6, 6)), 3h + 30min);
}

TEST(TimeModule, OvernightShiftAcrossDstNights) {
  // Every night 22:00-06:00 in New York: the spring night is 7 hours, the
  // autumn night 9; the shift still ends at 06:00 local.
  Calendar cal = daily("America/New_York", 22 * 60, 6 * 60);
  auto spring = cal.window(days_from_civil(2024, 3, 9));
  ASSERT_TRUE(spring);
  EXPECT_EQ(spring->first, to_millis(utc(2024, 3, 10, 3, 0)));    // 22:00 EST
  EXPECT_EQ(spring->second, to_millis(utc(2024, 3, 10, 10, 0)));  // 06:00 EDT
  auto autumn = cal.window(days_from_civil(2024, 11, 2));
  ASSERT_TRUE(autumn);
  EXPECT_EQ(autumn->second - autumn->first, 9 * 3600 * 1000);
  // Working at 05:30 EDT the morning after the jump, not at 06:30.
  EXPECT_TRUE(cal.is_working(utc(2024, 3, 10, 9, 30)));
  EXPECT_FALSE(cal.is_working(utc(2024, 3, 10, 10, 30)));
  // Eight business hours from 22:00 EST: 7 that night, 1 the next night.
  EXPECT_EQ(cal.add(utc(2024, 3, 10, 3, 0), 8h), utc(2024, 3, 11, 3, 0));  // 23:00 EDT
  EXPECT_EQ(cal.end_of_business_day(utc(2024, 11, 3, 4, 0)), utc(2024, 11, 3, 11, 0));
}

TEST(TimeModule, Rfc3339RoundTripWithMillisecondsAndOffsets) {
  const TimePoint t = from_millis(1700000000123);
  EXPECT_EQ(format_rfc3339(t), "2023-11-14T22:13:20.123Z");
  EXPECT_EQ(parsed(format_rfc3339(t)), t);
  EXPECT_EQ(format_rfc3339(from_millis(-1)), "1969-12-31T23:59:59.999Z");
  EXPECT_EQ(parsed("1969-12-31T23:59:59.999Z"), from_millis(-1));
  // Offsets: the same instant in three spellings.
  const TimePoint spring = utc(2024, 3, 10, 7, 30) + 250ms;
  EXPECT_EQ(parsed("2024-03-10T03:30:00.250-04:00"), spring);
  EXPECT_EQ(parsed("2024-03-10T13:00:00.25+05:30"), spring);
  EXPECT_EQ(parsed("2024-03-10T07:30:00.250000000Z"), spring);
  auto ny = load_zone("America/New_York");
  auto kolkata = load_zone("Asia/Kolkata");
  ASSERT_TRUE(ny && kolkata);
  EXPECT_EQ(format_rfc3339(spring, *ny), "2024-03-10T03:30:00.250-04:00");
  EXPECT_EQ(format_rfc3339(spring, *kolkata), "2024-03-10T13:00:00.250+05:30");
  EXPECT_EQ(parsed(format_rfc3339(spring, *ny)), spring);
  EXPECT_EQ(parsed(format_rfc3339(spring, *kolkata)), spring);
  EXPECT_EQ(parsed("2025-01-31T09:30:00Z"), utc(2025, 1, 31, 9, 30));
}

TEST(TimeModule, Rfc3339ParserRefusesWhatIsNotRfc3339) {
  for (const char* bad : {"2024-03-10T03:30:00", "2024-03-10 03:30:00Z", "2024-02-30T00:00:00Z",
                          "2024-03-10T25:00:00Z", "yesterday", "", "2024-03-10T03:30:00+5"}) {
    auto t = parse_rfc3339(bad);
    ASSERT_FALSE(t) << bad;
    EXPECT_EQ(t.error().code, "time.rfc3339") << bad;
    EXPECT_FALSE(t.error().message.empty()) << bad;
  }
  // Outside the clamp range: refused, never clamped.
  auto far = parse_rfc3339("9999-12-31T23:59:59Z");
  ASSERT_FALSE(far);
  EXPECT_NE(far.error().message.find("out of range"), std::string::npos) << far.error().message;
  EXPECT_FALSE(parse_rfc3339("0001-01-01T00:00:00Z"));
}

TEST(TimeModule, MillisecondHelpers) {
  EXPECT_EQ(to_millis(from_millis(1711454400123)), 1711454400123);
  EXPECT_EQ(to_millis(TimePoint(1500us)), 1);
  EXPECT_EQ(to_millis(TimePoint(-1500us)), -1);  // toward zero, as duration_cast
  EXPECT_EQ(timestamp_millis(to_timestamp(from_millis(-1))), -1);
  EXPECT_EQ(to_timestamp(from_millis(1250)).seconds(), 1);
  EXPECT_EQ(to_timestamp(from_millis(1250)).nanos(), 250'000'000);
  // RFC 3339 text and epoch milliseconds agree.
  EXPECT_EQ(to_millis(*parse_rfc3339("2024-03-26T12:00:00.123Z")), 1711454400123);
}

TEST(TimeModule, UnknownZoneIsAnErrorThatSaysWhy) {
  auto atlantis = system_zones().load("America/Atlantis");
  ASSERT_FALSE(atlantis);
  EXPECT_EQ(atlantis.error().code, "time.unknown_zone");
  EXPECT_EQ(atlantis.error().message, "not found in " + system_zones().dir());
  EXPECT_EQ(system_zones().get("America/Atlantis"), nullptr);
  auto hostile = system_zones().load("../../etc/passwd");
  ASSERT_FALSE(hostile);
  EXPECT_EQ(hostile.error().message, "not an IANA zone name");
  // A Calendar built from an unknown zone falls back to UTC; callers that must
  // refuse one (config validation) ask the ZoneDb first.
  Calendar cal = calendar_in(system_zones(), CalendarSpec{"America/Atlantis", {1}, 0, 60, {}});
  EXPECT_EQ(cal.zone().name(), "UTC");
}

}  // namespace
}  // namespace baton::time
