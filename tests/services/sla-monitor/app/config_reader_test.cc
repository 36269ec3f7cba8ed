#include "config_reader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace baton::sla::app {
namespace {

using ::testing::HasSubstr;

std::string errors_text(const runtime::ConfigNode& n) {
  std::string all;
  for (const auto& m : n.errors().messages) all += m + "\n";
  return all;
}

TEST(ConfigReader, ShippedExamplesAreValid) {
  for (const char* f : {"sla-monitor.example.yaml", "sla-monitor.1h-4h.yaml"}) {
    auto root = runtime::ConfigNode::load_file(std::string(BATON_SOURCE_DIR) +
                                               "/services/sla-monitor/config/" + f);
    auto section = root.child("sla-monitor");
    auto cfg = read_config(section);
    section.done();
    ASSERT_TRUE(cfg.has_value()) << f << "\n" << errors_text(root);
    EXPECT_TRUE(root.errors().messages.empty()) << errors_text(root);
    EXPECT_NE(cfg->sla.policy(v1::TIER_HIGH_INTENT), nullptr);
  }
}

TEST(ConfigReader, ExampleHasThePlaybookPolicies) {
  auto root = runtime::ConfigNode::load_file(
      std::string(BATON_SOURCE_DIR) + "/services/sla-monitor/config/sla-monitor.example.yaml");
  auto section = root.child("sla-monitor");
  auto cfg = read_config(section);
  ASSERT_TRUE(cfg.has_value());
  using namespace std::chrono_literals;
  const auto* hi = cfg->sla.policy(v1::TIER_HIGH_INTENT);
  EXPECT_EQ(hi->first_touch, 5min);
  EXPECT_EQ(hi->escalate_after, Millis(10min));
  EXPECT_EQ(hi->reassign_after, Millis(20min));
  EXPECT_EQ(cfg->sla.policy(v1::TIER_STANDARD)->first_touch, 15min);
  EXPECT_TRUE(cfg->sla.policy(v1::TIER_NURTURE)->same_business_day);
  EXPECT_EQ(cfg->sla.min_attempts.attempts, 6);
  EXPECT_EQ(cfg->topics.reassign, "baton.routing.reassign");
  EXPECT_EQ(cfg->topics.lifecycle, "baton.lifecycle.stage-changes");
}

TEST(ConfigReader, ExampleHasTheEscalationChainAndHolidayCalendars) {
  auto root = runtime::ConfigNode::load_file(
      std::string(BATON_SOURCE_DIR) + "/services/sla-monitor/config/sla-monitor.example.yaml");
  auto section = root.child("sla-monitor");
  auto cfg = read_config(section);
  ASSERT_TRUE(cfg.has_value());
  EXPECT_EQ(cfg->sla.escalation_fallback, "rep-sales-desk");
  EXPECT_EQ(cfg->sla.escalation_max_chain, 5);
  EXPECT_EQ(cfg->sla.holiday_calendars.at("de").size(), 6u);
}

TEST(ConfigReader, InvalidPoliciesNameTheirFields) {
  auto root = runtime::ConfigNode::parse(R"(
sla-monitor:
  default_calendar: {time_zone: Atlantis/Capital, days: [1, x]}
  tiers:
    high_intent: {first_touch: 5m, escalate_after: -10m, reassign_after: soon}
    standard: {first_touch: -15m}
    nurture: {first_touch: same_business_day}
    vip: {first_touch: 1m}
  min_attempts: {attempts: -1}
)",
                                         "test.yaml");
  auto section = root.child("sla-monitor");
  EXPECT_FALSE(read_config(section).has_value());
  const std::string all = errors_text(root);
  EXPECT_THAT(all, HasSubstr("sla-monitor.default_calendar.days[1]: expected an ISO weekday"));
  EXPECT_THAT(all, HasSubstr("sla-monitor.tiers.high_intent.reassign_after: expected a duration"));
  EXPECT_THAT(all, HasSubstr("sla-monitor.default_calendar.time_zone: unknown time zone "
                             "'Atlantis/Capital'"));
  EXPECT_THAT(all, HasSubstr("sla-monitor.tiers.high_intent.escalate_after: must be a duration "
                             ">= 0"));
  EXPECT_THAT(all, HasSubstr("sla-monitor.tiers.standard.first_touch: must be a duration > 0"));
  EXPECT_THAT(all, HasSubstr("sla-monitor.tiers.vip: unknown tier 'vip'"));
  EXPECT_THAT(all, HasSubstr("sla-monitor.min_attempts.attempts: must be >= 0"));
}

TEST(ConfigReader, UnknownKeysAreReported) {
  auto root = runtime::ConfigNode::parse(R"(
sla-monitor:
  tiers:
    high_intent: {first_touch: 5m, escalate_afer: 10m}
    standard: {first_touch: 15m}
    nurture: {first_touch: same_business_day}
)",
                                         "test.yaml");
  auto section = root.child("sla-monitor");
  EXPECT_FALSE(read_config(section).has_value());
  EXPECT_THAT(errors_text(root),
              HasSubstr("sla-monitor.tiers.high_intent.escalate_afer: unknown key"));
}

}  // namespace
}  // namespace baton::sla::app
