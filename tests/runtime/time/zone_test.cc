// Zones and the zone loader (baton/time/zone.h, on Abseil) and the civil
// date helpers (baton/time/civil.h); the cases of the former hand-written
// TZif reader, kept as they were.
#include "baton/time/zone.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "baton/time/civil.h"

namespace baton::time {
namespace {

std::shared_ptr<const TimeZone> load_zone(const std::string& name) {
  return system_zones().get(name);
}

TimePoint at_utc(int y, int mo, int d, int h, int mi, int s = 0) {
  return from_millis((days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s) * 1000);
}

int64_t secs(int y, int mo, int d, int h, int mi) {
  return days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60;
}

TEST(TimeZone, NewYorkOffsetsAcrossSpringForward) {
  auto ny = load_zone("America/New_York");
  ASSERT_NE(ny, nullptr);
  EXPECT_EQ(ny->offset_at(secs(2024, 3, 10, 6, 59)), -5 * 3600);  // 01:59 EST
  EXPECT_EQ(ny->offset_at(secs(2024, 3, 10, 7, 0)), -4 * 3600);   // 03:00 EDT
  EXPECT_EQ(ny->offset_at(secs(2024, 11, 3, 5, 59)), -4 * 3600);
  EXPECT_EQ(ny->offset_at(secs(2024, 11, 3, 6, 0)), -5 * 3600);
}

TEST(TimeZone, LocalTimeInGapMovesForwardAndAmbiguousTakesEarlier) {
  auto ny = load_zone("America/New_York");
  ASSERT_NE(ny, nullptr);
  // 02:30 on 2024-03-10 does not exist: it maps to 03:30 EDT (07:30 UTC).
  EXPECT_EQ(ny->to_utc(secs(2024, 3, 10, 2, 30)), secs(2024, 3, 10, 7, 30));
  // 01:30 on 2024-11-03 happens twice: the first one, EDT (05:30 UTC).
  EXPECT_EQ(ny->to_utc(secs(2024, 11, 3, 1, 30)), secs(2024, 11, 3, 5, 30));
  EXPECT_EQ(ny->to_utc(secs(2024, 7, 1, 9, 0)), secs(2024, 7, 1, 13, 0));
}

TEST(TimeZone, BerlinAndUtc) {
  auto berlin = load_zone("Europe/Berlin");
  ASSERT_NE(berlin, nullptr);
  EXPECT_EQ(berlin->offset_at(secs(2024, 1, 15, 12, 0)), 3600);
  EXPECT_EQ(berlin->offset_at(secs(2024, 7, 15, 12, 0)), 7200);
  EXPECT_EQ(TimeZone::utc().offset_at(secs(2024, 7, 15, 12, 0)), 0);
}

TEST(TimeZone, RulesPastTheLastTransition) {
  // Instants past 2037 follow the zone's POSIX rule (Abseil reads it).
  auto ny = load_zone("America/New_York");
  ASSERT_NE(ny, nullptr);
  // 2051-03-12 is the second Sunday of March 2051.
  EXPECT_EQ(ny->offset_at(secs(2051, 3, 12, 6, 59)), -5 * 3600);
  EXPECT_EQ(ny->offset_at(secs(2051, 3, 12, 7, 0)), -4 * 3600);
  EXPECT_EQ(ny->offset_at(secs(2051, 7, 1, 12, 0)), -4 * 3600);
  auto santiago = load_zone("America/Santiago");  // southern DST
  ASSERT_NE(santiago, nullptr);
  EXPECT_EQ(santiago->offset_at(secs(2050, 1, 15, 12, 0)), -3 * 3600);
  EXPECT_EQ(santiago->offset_at(secs(2050, 6, 15, 12, 0)), -4 * 3600);
}

TEST(ZoneDb, AFileThatIsNotTzifIsRefused) {
  const std::string dir = ::testing::TempDir() + "/baton_zone_test";
  std::filesystem::create_directories(dir + "/Etc");
  std::ofstream(dir + "/Etc/Broken") << "hello world";
  ZoneDb db(dir);
  auto broken = db.load("Etc/Broken");
  ASSERT_FALSE(broken);
  EXPECT_EQ(broken.error().code, "time.unknown_zone");
  EXPECT_NE(broken.error().message.find("TZif"), std::string::npos) << broken.error().message;
  EXPECT_EQ(db.get("Etc/Broken"), nullptr);
  auto missing = db.load("Europe/Berlin");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().message, "not found in " + db.dir());
  EXPECT_NE(db.find("UTC"), nullptr);  // UTC needs no file
}

TEST(Civil, ParsesAndFormatsDates) {
  EXPECT_EQ(parse_date("2024-02-29"), days_from_civil(2024, 2, 29));
  EXPECT_FALSE(parse_date("2023-02-29").has_value());
  EXPECT_FALSE(parse_date("2024-13-01").has_value());
  EXPECT_FALSE(parse_date("2024-1-01").has_value());
  EXPECT_FALSE(parse_date("+024-01-01").has_value());
  EXPECT_FALSE(parse_date("2024-01-01x").has_value());
  EXPECT_EQ(format_date(days_from_civil(2024, 12, 25)), "2024-12-25");
  EXPECT_EQ(iso_weekday(days_from_civil(2024, 3, 10)), 7);  // a Sunday
}

struct OffsetCase {
  const char* zone;
  TimePoint instant;
  int offset_seconds;
  const char* local_date;
  int weekday;
  int minute_of_day;
};

class ZoneTable : public ::testing::TestWithParam<OffsetCase> {};

TEST_P(ZoneTable, ConvertsInstantToLocalTime) {
  const auto& c = GetParam();
  auto tz = load_zone(c.zone);
  ASSERT_NE(tz, nullptr) << c.zone;
  EXPECT_EQ(tz->offset_at(floor_div(to_millis(c.instant), 1000)), c.offset_seconds);
  LocalTime lt = tz->local(c.instant);
  EXPECT_EQ(lt.date(), c.local_date);
  EXPECT_EQ(lt.weekday, c.weekday);
  EXPECT_EQ(lt.minute_of_day, c.minute_of_day);
  EXPECT_EQ(tz->local_day(c.instant), lt.day);
}

INSTANTIATE_TEST_SUITE_P(
    Dst, ZoneTable,
    ::testing::Values(
        // Berlin leaves CET for CEST on 2024-03-31 at 01:00 UTC.
        OffsetCase{"Europe/Berlin", at_utc(2024, 3, 31, 0, 59, 59), 3600, "2024-03-31", 7, 119},
        OffsetCase{"Europe/Berlin", at_utc(2024, 3, 31, 1, 0), 7200, "2024-03-31", 7, 180},
        OffsetCase{"Europe/Berlin", at_utc(2024, 10, 27, 0, 59), 7200, "2024-10-27", 7, 179},
        OffsetCase{"Europe/Berlin", at_utc(2024, 10, 27, 1, 0), 3600, "2024-10-27", 7, 120},
        // New York: EST -> EDT on 2024-03-10 at 07:00 UTC.
        OffsetCase{"America/New_York", at_utc(2024, 3, 10, 6, 59), -18000, "2024-03-10", 7, 119},
        OffsetCase{"America/New_York", at_utc(2024, 3, 10, 7, 0), -14400, "2024-03-10", 7, 180},
        // Date line: local date differs from UTC date.
        OffsetCase{"Asia/Tokyo", at_utc(2024, 1, 1, 20, 0), 32400, "2024-01-02", 2, 300},
        OffsetCase{"UTC", at_utc(2024, 2, 29, 12, 30), 0, "2024-02-29", 4, 750}));

TEST(ZoneDb, UnknownAndHostileNamesAreNotFound) {
  auto mars = system_zones().load("Mars/Olympus_Mons");
  ASSERT_FALSE(mars);
  EXPECT_FALSE(mars.error().message.empty());
  EXPECT_EQ(system_zones().get("Mars/Olympus_Mons"), nullptr);
  EXPECT_EQ(system_zones().find("../etc/passwd"), nullptr);
  EXPECT_EQ(system_zones().find("/etc/passwd"), nullptr);
  EXPECT_EQ(system_zones().find(""), nullptr);
  EXPECT_NE(system_zones().find("UTC"), nullptr);
}

TEST(TimeZone, LocalTimeOfNegativeInstants) {
  LocalTime lt = TimeZone::utc().local(from_millis(-1000));
  EXPECT_EQ(lt.date(), "1969-12-31");
  EXPECT_EQ(lt.weekday, 3);
  EXPECT_EQ(lt.minute_of_day, 1439);
}

}  // namespace
}  // namespace baton::time
