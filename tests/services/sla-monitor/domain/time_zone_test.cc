#include "time_zone.h"

#include <gtest/gtest.h>

#include "civil.h"
#include "test_support.h"

namespace baton::sla {
namespace {

using testing::load_zone;

int64_t secs(int y, int mo, int d, int h, int mi) {
  return days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60;
}

TEST(TimeZone, NewYorkOffsetsAcrossSpringForward) {
  auto ny = load_zone("America/New_York", nullptr);
  ASSERT_NE(ny, nullptr);
  EXPECT_EQ(ny->offset_at(secs(2024, 3, 10, 6, 59)), -5 * 3600);  // 01:59 EST
  EXPECT_EQ(ny->offset_at(secs(2024, 3, 10, 7, 0)), -4 * 3600);   // 03:00 EDT
  EXPECT_EQ(ny->offset_at(secs(2024, 11, 3, 5, 59)), -4 * 3600);
  EXPECT_EQ(ny->offset_at(secs(2024, 11, 3, 6, 0)), -5 * 3600);
}

TEST(TimeZone, LocalTimeInGapMovesForwardAndAmbiguousTakesEarlier) {
  auto ny = load_zone("America/New_York", nullptr);
  ASSERT_NE(ny, nullptr);
  // 02:30 on 2024-03-10 does not exist: it maps to 03:30 EDT (07:30 UTC).
  EXPECT_EQ(ny->to_utc(secs(2024, 3, 10, 2, 30)), secs(2024, 3, 10, 7, 30));
  // 01:30 on 2024-11-03 happens twice: the first one, EDT (05:30 UTC).
  EXPECT_EQ(ny->to_utc(secs(2024, 11, 3, 1, 30)), secs(2024, 11, 3, 5, 30));
  EXPECT_EQ(ny->to_utc(secs(2024, 7, 1, 9, 0)), secs(2024, 7, 1, 13, 0));
}

TEST(TimeZone, BerlinAndUtc) {
  auto berlin = load_zone("Europe/Berlin", nullptr);
  ASSERT_NE(berlin, nullptr);
  EXPECT_EQ(berlin->offset_at(secs(2024, 1, 15, 12, 0)), 3600);
  EXPECT_EQ(berlin->offset_at(secs(2024, 7, 15, 12, 0)), 7200);
  EXPECT_EQ(TimeZone::utc().offset_at(secs(2024, 7, 15, 12, 0)), 0);
}

TEST(TimeZone, PosixFooterCoversInstantsPastTheTable) {
  auto rule = PosixRule::parse("EST5EDT,M3.2.0,M11.1.0");
  ASSERT_TRUE(rule.has_value());
  // 2051-03-12 is the second Sunday of March 2051.
  EXPECT_EQ(rule->offset_at(secs(2051, 3, 12, 6, 59)), -5 * 3600);
  EXPECT_EQ(rule->offset_at(secs(2051, 3, 12, 7, 0)), -4 * 3600);
  auto ny = load_zone("America/New_York", nullptr);
  EXPECT_EQ(ny->offset_at(secs(2051, 7, 1, 12, 0)), -4 * 3600);
  auto south = PosixRule::parse("<-03>3<-02>,M9.1.0/0,M4.1.0/0");
  ASSERT_TRUE(south.has_value());
  EXPECT_EQ(south->offset_at(secs(2050, 1, 15, 12, 0)), -2 * 3600);
  EXPECT_EQ(south->offset_at(secs(2050, 6, 15, 12, 0)), -3 * 3600);
  auto fixed = PosixRule::parse("<+0530>-5:30");
  ASSERT_TRUE(fixed.has_value());
  EXPECT_EQ(fixed->offset_at(0), 5 * 3600 + 1800);
  EXPECT_FALSE(PosixRule::parse("5EST").has_value());
}

TEST(TimeZone, RejectsBytesThatAreNotTzif) {
  std::string err;
  EXPECT_FALSE(TimeZone::from_tzif("X", "hello world", &err).has_value());
  EXPECT_EQ(err, "not a TZif file");
  std::string truncated = "TZif2" + std::string(39, '\0');
  EXPECT_FALSE(TimeZone::from_tzif("X", truncated, &err).has_value());
  EXPECT_EQ(err, "truncated TZif v2 header");
}

TEST(Civil, ParsesAndFormatsDates) {
  EXPECT_EQ(parse_date("2024-02-29"), days_from_civil(2024, 2, 29));
  EXPECT_FALSE(parse_date("2023-02-29").has_value());
  EXPECT_FALSE(parse_date("2024-13-01").has_value());
  EXPECT_EQ(format_date(days_from_civil(2024, 12, 25)), "2024-12-25");
  EXPECT_EQ(iso_weekday(days_from_civil(2024, 3, 10)), 7);  // a Sunday
}

}  // namespace
}  // namespace baton::sla
