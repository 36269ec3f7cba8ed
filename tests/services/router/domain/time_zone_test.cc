#include "domain/time_zone.h"

#include <gtest/gtest.h>

#include "fixtures.h"

namespace baton::router {
namespace {

using test::at;

struct OffsetCase {
  const char* zone;
  const char* instant;
  int offset_seconds;
  const char* local_date;
  int weekday;
  int minute_of_day;
};

class ZoneTable : public ::testing::TestWithParam<OffsetCase> {};

TEST_P(ZoneTable, ConvertsInstantToLocalTime) {
  const auto& c = GetParam();
  const TimeZone* tz = system_time_zones().find(c.zone);
  ASSERT_NE(tz, nullptr) << c.zone;
  TimePoint t = at(c.instant);
  int64_t s = std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
  EXPECT_EQ(tz->offset_at(s), c.offset_seconds);
  LocalTime lt = tz->local(t);
  EXPECT_EQ(lt.date(), c.local_date);
  EXPECT_EQ(lt.weekday, c.weekday);
  EXPECT_EQ(lt.minute_of_day, c.minute_of_day);
}

INSTANTIATE_TEST_SUITE_P(
    Dst, ZoneTable,
    ::testing::Values(
        // Berlin leaves CET for CEST on 2024-03-31 at 01:00 UTC.
        OffsetCase{"Europe/Berlin", "2024-03-31T00:59:59Z", 3600, "2024-03-31", 7, 119},
        OffsetCase{"Europe/Berlin", "2024-03-31T01:00:00Z", 7200, "2024-03-31", 7, 180},
        OffsetCase{"Europe/Berlin", "2024-10-27T00:59:00Z", 7200, "2024-10-27", 7, 179},
        OffsetCase{"Europe/Berlin", "2024-10-27T01:00:00Z", 3600, "2024-10-27", 7, 120},
        // New York: EST -> EDT on 2024-03-10 at 07:00 UTC.
        OffsetCase{"America/New_York", "2024-03-10T06:59:00Z", -18000, "2024-03-10", 7, 119},
        OffsetCase{"America/New_York", "2024-03-10T07:00:00Z", -14400, "2024-03-10", 7, 180},
        // Date line: local date differs from UTC date.
        OffsetCase{"Asia/Tokyo", "2024-01-01T20:00:00Z", 32400, "2024-01-02", 2, 300},
        OffsetCase{"UTC", "2024-02-29T12:30:00Z", 0, "2024-02-29", 4, 750}));

TEST(TimeZone, UnknownAndHostileNamesAreNotFound) {
  EXPECT_EQ(system_time_zones().find("Mars/Olympus_Mons"), nullptr);
  EXPECT_EQ(system_time_zones().find("../etc/passwd"), nullptr);
  EXPECT_EQ(system_time_zones().find(""), nullptr);
}

TEST(TimeZone, RejectsMalformedTzif) {
  EXPECT_FALSE(TimeZone::from_tzif("not a tzif file").has_value());
  EXPECT_FALSE(TimeZone::from_tzif("TZif2").has_value());
}

TEST(TimeZone, CivilFromUnixHandlesNegativeTimes) {
  LocalTime lt = civil_from_unix(-1);
  EXPECT_EQ(lt.date(), "1969-12-31");
  EXPECT_EQ(lt.weekday, 3);
  EXPECT_EQ(lt.minute_of_day, 1439);
}

}  // namespace
}  // namespace baton::router
