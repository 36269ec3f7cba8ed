// The router's holiday_calendars block (the SLA monitor's shape, one reader:
// runtime::read_holiday_calendars): read into RoutingConfig, dates checked.
#include "app/router_config.h"

#include <gtest/gtest.h>

#include "baton/time/zone.h"

namespace baton::router {
namespace {

TEST(RouterConfig, ExampleHasHolidayCalendars) {
  auto root = runtime::ConfigNode::load_file(std::string(BATON_SOURCE_DIR) +
                                             "/services/router/config/router.example.yaml");
  auto section = root.child("router");
  RouterSettings s = read_router_config(section, time::system_zones());
  EXPECT_TRUE(root.errors().messages.empty());
  ASSERT_EQ(s.routing.holiday_calendars.count("de"), 1u);
  EXPECT_EQ(s.routing.holiday_calendars.at("de").back(), "2025-12-25");
}

// The identity desk: the default pool's desk unless router.identity.desk
// names one (issue 18 point 1; identity_desk.h).
TEST(RouterConfig, IdentityDeskDefaultsToTheDefaultPoolsDesk) {
  auto parse = [](const std::string& identity) {
    auto root = runtime::ConfigNode::parse(R"(
router:
  default_pool: general
  pools: {general: {strategy: round_robin, desk: main}, vip: {strategy: round_robin}}
)" + identity,
                                           "test");
    auto section = root.child("router");
    RouterSettings s = read_router_config(section, time::system_zones());
    EXPECT_TRUE(root.errors().messages.empty());
    return s;
  };
  EXPECT_EQ(identity_desk(parse("").routing), "main");
  EXPECT_EQ(identity_desk(parse("  identity: {desk: people}\n").routing), "people");
}

TEST(RouterConfig, BadHolidayDateNamesTheField) {
  auto root = runtime::ConfigNode::parse(R"(
router:
  default_pool: general
  pools: {general: {strategy: round_robin}}
  holiday_calendars:
    us: ["2025-07-04", "2025-02-30"]
)",
                                         "test");
  auto section = root.child("router");
  RouterSettings s = read_router_config(section, time::system_zones());
  std::string all;
  for (const auto& m : root.errors().messages) all += m + "\n";
  EXPECT_NE(all.find("holiday_calendars.us[1]"), std::string::npos) << all;
  EXPECT_EQ(s.routing.holiday_calendars.at("us").size(), 2u);
}

// An unknown zone stops start-up with an error naming the field, the zone and
// why (Abseil found no such file in the zoneinfo folder).
TEST(TimeModule, UnknownPoolZoneNamesTheField) {
  auto root = runtime::ConfigNode::parse(R"(
router:
  default_pool: general
  pools: {general: {strategy: round_robin, time_zone: Europe/Atlantis}}
)",
                                         "test");
  auto section = root.child("router");
  (void)read_router_config(section, time::system_zones());
  std::string all;
  for (const auto& m : root.errors().messages) all += m + "\n";
  EXPECT_NE(all.find("router.pools.general.time_zone: unknown IANA time zone 'Europe/Atlantis' "
                     "(not found in "),
            std::string::npos)
      << all;
}

}  // namespace
}  // namespace baton::router
