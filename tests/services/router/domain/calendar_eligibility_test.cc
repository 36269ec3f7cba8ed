// Rep eligibility by the one Calendar (baton/time/calendar.h): named holiday
// calendars (ctest -R RouterHolidays) and overnight shifts (ctest -R
// OvernightShift).
#include <gtest/gtest.h>

#include "baton/v1/contract.h"
#include "domain/pool_desk.h"
#include "fixtures.h"

namespace baton::router {
namespace {

using test::at;
using test::rep;

v1::PoolRequest request(const std::string& lead, const std::string& pool) {
  v1::PoolRequest r;
  r.mutable_envelope()->set_lead_id(lead);
  r.mutable_envelope()->set_event_id("ev-" + lead);
  r.set_pool(pool);
  v1::set_pool_request_kind(r, v1::POOL_REQUEST_KIND_ASSIGN);
  r.set_tier(v1::TIER_HIGH_INTENT);
  return r;
}

// German Unity Day, Thursday 2024-10-03.
RoutingConfig holiday_config() {
  auto cfg = test::base_config();
  cfg.holiday_calendars = {{"de", {"2024-10-03", "2024-12-25"}}, {"us", {"2024-07-04"}}};
  return cfg;
}

v1::Rep berliner(const std::string& id) {
  v1::Rep r = rep(id, "general", "Europe/Berlin");
  r.set_holiday_calendar_id("de");
  return r;
}

TEST(RouterHolidays, NamedCalendarHolidayIsIneligible) {
  auto cfg = holiday_config();
  v1::Rep a = berliner("a");
  const auto noon = at("2024-10-03T10:00:00Z");  // 12:00 CEST on the holiday
  EXPECT_EQ(
      ineligible_reason(a, nullptr, time::system_zones(), noon, "UTC", &cfg.holiday_calendars),
      "holiday");
  // Without the configured calendars (or with an id naming none) it is a working day.
  EXPECT_EQ(ineligible_reason(a, nullptr, time::system_zones(), noon), "");
  a.set_holiday_calendar_id("fr");
  EXPECT_EQ(
      ineligible_reason(a, nullptr, time::system_zones(), noon, "UTC", &cfg.holiday_calendars), "");
  // Inline holidays still count alongside a named calendar.
  v1::Rep b = berliner("b");
  b.add_holidays("2024-10-04");
  EXPECT_EQ(ineligible_reason(b, nullptr, time::system_zones(), at("2024-10-04T10:00:00Z"), "UTC",
                              &cfg.holiday_calendars),
            "holiday");
}

TEST(RouterHolidays, SkippedWithReasonHolidayThenRoutedTheNextWorkingDay) {
  auto cfg = holiday_config();
  auto ros = test::roster({berliner("a"), rep("b", "general")});
  auto d = decide_pool(request("L1", "general"), {}, nullptr, cfg, ros, time::system_zones(),
                       at("2024-10-03T10:00:00Z"));
  ASSERT_TRUE(d.event && d.event->has_assignment());
  EXPECT_EQ(d.event->assignment().owner_rep_id(), "b");
  bool skipped_a = false;
  for (const auto& s : d.event->assignment().handoff().skipped())
    if (s.rep_id() == "a") skipped_a = s.reason() == "holiday";
  EXPECT_TRUE(skipped_a);

  // Alone in the pool: held on the holiday, assigned on Friday morning.
  auto alone = test::roster({berliner("a")});
  auto held = decide_pool(request("L2", "general"), {}, nullptr, cfg, alone, time::system_zones(),
                          at("2024-10-03T10:00:00Z"));
  ASSERT_TRUE(held.event && held.event->has_held());
  EXPECT_EQ(held.event->held().skipped(0).reason(), "holiday");
  ASSERT_TRUE(held.hold);
  auto fri = retry_held(*held.hold, held.ledger, cfg, alone, time::system_zones(),
                        at("2024-10-04T07:05:00Z"));  // 09:05 CEST
  ASSERT_TRUE(fri.event && fri.event->has_assignment());
  EXPECT_EQ(fri.event->assignment().owner_rep_id(), "a");
}

// 22:00-06:00 on every weekday listed.
v1::Rep night_rep(const std::string& tz, std::initializer_list<int> days) {
  v1::Rep r = rep("n", "general", tz);
  r.mutable_working_hours()->clear_days();
  for (int d : days) r.mutable_working_hours()->add_days(d);
  r.mutable_working_hours()->set_start_minute(22 * 60);
  r.mutable_working_hours()->set_end_minute(6 * 60);
  return r;
}

TEST(OvernightShift, RouterEligibleAtHalfPastElevenAndHalfPastFive) {
  v1::Rep n = night_rep("Europe/Berlin", {1, 2, 3, 4, 5});
  const auto& zones = time::system_zones();
  // Tuesday 2024-07-09 23:30 CEST (21:30 UTC) and Wednesday 05:30 CEST (03:30 UTC).
  EXPECT_EQ(ineligible_reason(n, nullptr, zones, at("2024-07-09T21:30:00Z")), "");
  EXPECT_EQ(ineligible_reason(n, nullptr, zones, at("2024-07-10T03:30:00Z")), "");
  EXPECT_EQ(ineligible_reason(n, nullptr, zones, at("2024-07-10T10:00:00Z")),
            "outside_working_hours");
  // Saturday 05:30 ends Friday's shift; Monday 05:30 follows a Sunday off.
  EXPECT_EQ(ineligible_reason(n, nullptr, zones, at("2024-07-13T03:30:00Z")), "");
  EXPECT_EQ(ineligible_reason(n, nullptr, zones, at("2024-07-15T03:30:00Z")),
            "outside_working_hours");
}

TEST(OvernightShift, RouterAcrossTheDstNight) {
  // New York springs forward on Sunday 2024-03-10 at 02:00: Saturday's
  // 22:00 EST (03:00 UTC) shift ends at 06:00 EDT (10:00 UTC).
  v1::Rep n = night_rep("America/New_York", {6});
  const auto& zones = time::system_zones();
  EXPECT_EQ(ineligible_reason(n, nullptr, zones, at("2024-03-10T04:30:00Z")), "");  // 23:30 EST
  EXPECT_EQ(ineligible_reason(n, nullptr, zones, at("2024-03-10T09:30:00Z")), "");  // 05:30 EDT
  EXPECT_EQ(ineligible_reason(n, nullptr, zones, at("2024-03-10T10:30:00Z")),
            "outside_working_hours");  // 06:30 EDT
}

}  // namespace
}  // namespace baton::router
