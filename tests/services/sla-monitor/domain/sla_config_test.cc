#include "sla_config.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "test_support.h"

namespace baton::sla {
namespace {

using ::testing::HasSubstr;
using namespace std::chrono_literals;

std::vector<std::string> errors_of(const SlaConfigSpec& spec) {
  auto r = build_config(spec, testing::load_zone, "sla-monitor");
  std::vector<std::string> out;
  if (!r)
    for (const auto& e : r.error()) out.push_back(e.text());
  return out;
}

PolicySpec& tier(SlaConfigSpec& s, const std::string& name) {
  for (auto& p : s.tiers)
    if (p.tier == name) return p;
  throw std::runtime_error("no tier " + name);
}

TEST(SlaConfig, ExampleBuilds) {
  SlaConfig cfg = testing::example_config();
  const SlaPolicy* hi = cfg.policy(v1::TIER_HIGH_INTENT);
  ASSERT_NE(hi, nullptr);
  EXPECT_EQ(hi->first_touch, 5min);
  EXPECT_EQ(hi->escalate_after, Millis(10min));
  EXPECT_EQ(hi->reassign_after, Millis(20min));
  EXPECT_EQ(hi->clock, ClockKind::k24x7);
  EXPECT_TRUE(hi->qualifying.count(v1::ACTIVITY_CALL));
  EXPECT_FALSE(hi->qualifying.count(v1::ACTIVITY_SCHEDULED_CALLBACK));
  EXPECT_TRUE(cfg.policy(v1::TIER_NURTURE)->same_business_day);
  EXPECT_EQ(cfg.policy(v1::TIER_STANDARD)->clock, ClockKind::kBusinessHours);
  EXPECT_EQ(cfg.default_calendar.zone().name(), "America/New_York");
  EXPECT_EQ(cfg.policy(v1::TIER_UNSPECIFIED), nullptr);
}

TEST(SlaConfig, NegativeDurationNamesTheField) {
  auto s = testing::example_spec();
  tier(s, "standard").first_touch_ms = -60000;
  tier(s, "high_intent").escalate_after_ms = -1;
  auto errs = errors_of(s);
  ASSERT_EQ(errs.size(), 2u);
  EXPECT_THAT(errs[0],
              HasSubstr("sla-monitor.tiers.high_intent.escalate_after: must be a duration >= 0"));
  EXPECT_THAT(errs[1], HasSubstr("sla-monitor.tiers.standard.first_touch: must be a duration > 0"));
}

TEST(SlaConfig, UnknownTierNamesTheField) {
  auto s = testing::example_spec();
  s.tiers[0].tier = "urgent";
  auto errs = errors_of(s);
  ASSERT_EQ(errs.size(), 2u);
  EXPECT_THAT(errs[0], HasSubstr("sla-monitor.tiers.urgent: unknown tier 'urgent'"));
  EXPECT_THAT(errs[1], HasSubstr("sla-monitor.tiers.high_intent: missing"));
}

TEST(SlaConfig, UnknownTimeZoneNamesTheField) {
  auto s = testing::example_spec();
  s.default_calendar.time_zone = "Mars/Olympus_Mons";
  auto errs = errors_of(s);
  ASSERT_EQ(errs.size(), 1u);
  EXPECT_THAT(errs[0], HasSubstr("sla-monitor.default_calendar.time_zone: unknown time zone "
                                 "'Mars/Olympus_Mons'"));
}

TEST(SlaConfig, EveryBadFieldIsReportedAtOnce) {
  auto s = testing::example_spec();
  tier(s, "high_intent").reassign_after_ms = 5 * 60000;  // before escalate_after
  tier(s, "high_intent").warning_fraction = 1.5;
  tier(s, "standard").clock = "sometimes";
  tier(s, "standard").qualifying_activities = {"call", "smoke_signal", "scheduled_callback"};
  tier(s, "nurture").clock = "24x7";
  s.default_calendar.days = {1, 9};
  s.default_calendar.start = "17:00";  // == end (an end before the start is overnight)
  s.default_calendar.holidays = {"2024-02-30"};
  s.min_distinct = 5;
  s.distinct_over = "weeks";
  auto errs = errors_of(s);
  auto has = [&](const std::string& text) {
    for (const auto& e : errs)
      if (e.find(text) != std::string::npos) return true;
    return false;
  };
  EXPECT_TRUE(has("tiers.high_intent.reassign_after: must not be shorter than escalate_after"));
  EXPECT_TRUE(has("tiers.high_intent.warning_fraction: must be between 0 and 1"));
  EXPECT_TRUE(has("tiers.standard.clock: expected one of 24x7, business_hours"));
  EXPECT_TRUE(has("tiers.standard.qualifying_activities[1]: unknown activity 'smoke_signal'"));
  EXPECT_TRUE(has("tiers.standard.qualifying_activities[2]: scheduled_callback pauses"));
  EXPECT_TRUE(has("tiers.nurture.clock: same_business_day needs clock: business_hours"));
  EXPECT_TRUE(has("default_calendar.days[1]: expected an ISO weekday"));
  EXPECT_TRUE(has("default_calendar.end: must differ from start"));
  EXPECT_TRUE(has("default_calendar.holidays[0]: expected a date YYYY-MM-DD"));
  EXPECT_TRUE(has("min_attempts.distinct: cannot exceed attempts"));
  EXPECT_TRUE(has("min_attempts.over: expected one of days, channels"));
  EXPECT_EQ(errs.size(), 11u);
}

TEST(SlaConfig, MissingFirstTouchIsRequired) {
  auto s = testing::example_spec();
  tier(s, "standard").first_touch_ms.reset();
  auto errs = errors_of(s);
  ASSERT_EQ(errs.size(), 1u);
  EXPECT_THAT(errs[0], HasSubstr("tiers.standard.first_touch: required"));
}

TEST(SlaConfig, CalendarForRepMergesRosterAndHolidayCalendars) {
  auto s = testing::example_spec();
  s.holiday_calendars["de"] = {"2024-10-03"};
  auto r = build_config(s, testing::load_zone, "sla-monitor");
  ASSERT_TRUE(r.has_value());
  const SlaConfig& cfg = r.value();
  v1::Rep rep;
  rep.set_time_zone("Europe/Berlin");
  rep.set_holiday_calendar_id("de");
  rep.add_holidays("2024-12-24");
  rep.mutable_working_hours()->add_days(1);
  rep.mutable_working_hours()->set_start_minute(480);
  rep.mutable_working_hours()->set_end_minute(960);
  CalendarSpec spec = cfg.calendar_for(&rep);
  EXPECT_EQ(spec.time_zone, "Europe/Berlin");
  EXPECT_EQ(spec.days, std::vector<int>{1});
  EXPECT_EQ(spec.start_minute, 480);
  EXPECT_EQ(spec.holidays, (std::vector<std::string>{"2024-12-24", "2024-10-03"}));
  EXPECT_EQ(cfg.calendar_for(nullptr).time_zone, "America/New_York");
}

TEST(SlaConfig, ClockTimes) {
  EXPECT_EQ(parse_clock_time("09:30"), 570);
  EXPECT_EQ(parse_clock_time("24:00"), 1440);
  EXPECT_FALSE(parse_clock_time("24:30").has_value());
  EXPECT_FALSE(parse_clock_time("9:30").has_value());
}

}  // namespace
}  // namespace baton::sla
