// TimeZone's transition index and the arithmetic civil dates (zone.h,
// civil.h) against Abseil, which they stand in for on the hot path: around
// every offset change from 1900 to 2200 in zones with odd rules, at random
// instants, and outside the indexed range, where Abseil answers.
#include <absl/time/civil_time.h>
#include <gtest/gtest.h>

#include <random>

#include "baton/time/civil.h"
#include "baton/time/zone.h"

namespace baton::time {
namespace {

constexpr absl::CivilSecond kEpoch{1970, 1, 1, 0, 0, 0};

// DST both ways, half-hour and 2-hour DST, negative DST (Dublin), a skipped
// day (Apia 2011), quarter-hour offsets, zones that dropped DST.
const char* const kZones[] = {"America/New_York",
                              "Europe/Berlin",
                              "Australia/Lord_Howe",
                              "Asia/Kolkata",
                              "Pacific/Apia",
                              "America/Sao_Paulo",
                              "Europe/London",
                              "Africa/Casablanca",
                              "America/St_Johns",
                              "Europe/Dublin",
                              "Asia/Kathmandu",
                              "Antarctica/Troll",
                              "UTC"};

struct Exact {
  const absl::TimeZone& z;
  int64_t to_utc(int64_t local) const { return absl::ToUnixSeconds(z.At(kEpoch + local).pre); }
  absl::CivilSecond civil(int64_t utc) const { return z.At(absl::FromUnixSeconds(utc)).cs; }
};

// Every conversion at a UTC instant and at the same number read as local.
void expect_agree(const TimeZone& tz, const Exact& exact, int64_t s) {
  ASSERT_EQ(tz.to_utc(s), exact.to_utc(s)) << tz.name() << " local " << s;
  const absl::CivilSecond cs = exact.civil(s);
  ASSERT_EQ(tz.offset_at(s), tz.absl_zone().At(absl::FromUnixSeconds(s)).offset)
      << tz.name() << " utc " << s;
  const TimePoint t = from_millis(s * 1000 + 250);
  ASSERT_EQ(tz.local_day(t), day_number(absl::CivilDay(cs))) << tz.name() << " utc " << s;
  const LocalTime lt = tz.local(t);
  ASSERT_EQ(lt.year, cs.year()) << tz.name() << " utc " << s;
  ASSERT_EQ(lt.month, cs.month());
  ASSERT_EQ(lt.dom, cs.day());
  ASSERT_EQ(lt.minute_of_day, cs.hour() * 60 + cs.minute());
  ASSERT_EQ(lt.weekday, static_cast<int>(absl::GetWeekday(absl::CivilDay(cs))) + 1);
}

TEST(TimeZoneIndex, AgreesWithAbseilAroundEveryOffsetChange) {
  int zones = 0;
  for (const char* name : kZones) {
    auto tz = system_zones().get(name);
    if (!tz) continue;  // an older tzdata may lack one
    ++zones;
    EXPECT_TRUE(tz->indexed()) << name;
    const Exact exact{tz->absl_zone()};
    absl::Time t = absl::FromUnixSeconds(-2208988800);  // 1900
    absl::TimeZone::CivilTransition tr;
    int changes = 0;
    while (tz->absl_zone().NextTransition(t, &tr) && changes < 2000) {
      const absl::Time u = tz->absl_zone().At(tr.to).post;
      if (u <= t || absl::ToUnixSeconds(u) > 7258118400) break;  // 2200
      t = u;
      ++changes;
      const int64_t at = absl::ToUnixSeconds(u);
      // Instants and local times from 3 hours before to 3 hours after, by
      // the minute and at each second next to the change.
      for (int64_t d = -3 * 3600; d <= 3 * 3600; d += 60) expect_agree(*tz, exact, at + d);
      for (int64_t d = -2; d <= 2; ++d) {
        expect_agree(*tz, exact, at + d);
        const int64_t from = (tr.from - kEpoch) + d, to = (tr.to - kEpoch) + d;
        ASSERT_EQ(tz->to_utc(from), exact.to_utc(from)) << name << " local " << from;
        ASSERT_EQ(tz->to_utc(to), exact.to_utc(to)) << name << " local " << to;
      }
      if (HasFatalFailure()) return;
    }
  }
  EXPECT_GE(zones, 2);
}

TEST(TimeZoneIndex, AgreesWithAbseilAtRandomAndOutsideTheIndexedRange) {
  std::mt19937_64 rng(19);
  // 1700..2255 (TimePoints are clamped to kLimitSeconds either side of the
  // epoch): the index covers 1900..2200, Abseil the rest.
  std::uniform_int_distribution<int64_t> any(-8520336000, kLimitSeconds - 1);
  for (const char* name : kZones) {
    auto tz = system_zones().get(name);
    if (!tz) continue;
    const Exact exact{tz->absl_zone()};
    for (int i = 0; i < 20000; ++i) {
      expect_agree(*tz, exact, any(rng));
      if (HasFatalFailure()) return;
    }
  }
}

TEST(CivilDays, DatesWeekdaysAndTextAgreeWithAbseil) {
  for (int64_t day = -1200000; day <= 1200000; day += 1) {
    const absl::CivilDay d = civil_day(day);
    const CivilDate c = civil_from_days(day);
    ASSERT_EQ(c.year, d.year()) << day;
    ASSERT_EQ(c.month, d.month()) << day;
    ASSERT_EQ(c.day, d.day()) << day;
    ASSERT_EQ(iso_weekday(day), static_cast<int>(absl::GetWeekday(d)) + 1) << day;
    if (day % 97 == 0) {
      ASSERT_EQ(format_date(day), absl::FormatCivilTime(d)) << day;
    }
  }
  EXPECT_EQ(format_date(days_from_civil(2024, 2, 29)), "2024-02-29");
  EXPECT_EQ(format_date(days_from_civil(999, 12, 31)),
            absl::FormatCivilTime(absl::CivilDay(999, 12, 31)));
  EXPECT_EQ(format_date(days_from_civil(12000, 1, 1)),
            absl::FormatCivilTime(absl::CivilDay(12000, 1, 1)));
}

}  // namespace
}  // namespace baton::time
