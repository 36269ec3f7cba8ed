// Pool-level escalation uses the one Calendar (issue 19): the router climbs
// from the pool's manager up Rep.manager_id past anyone inactive, out of
// office, on holiday or off hours, as the SLA monitor's breach escalation
// does (the shared baton/time/escalation_chain.h), then the pool's fallback,
// then the pool. ctest -R PoolEscalationCalendar.
#include <gtest/gtest.h>

#include "baton/v1/contract.h"
#include "domain/escalation.h"
#include "domain/pool_desk.h"
#include "fixtures.h"

namespace baton::router {
namespace {

using test::at;
using test::rep;

// A Friday, 10:00 UTC: reps of test::rep work Mon-Fri 09:00-17:00.
const char* kFriday = "2024-03-29T10:00:00Z";

v1::PoolRequest escalation(const std::string& lead, const std::string& owner) {
  v1::PoolRequest r;
  r.mutable_envelope()->set_lead_id(lead);
  r.mutable_envelope()->set_event_id("ev-" + lead);
  r.set_pool("general");
  v1::set_pool_request_kind(r, v1::POOL_REQUEST_KIND_ESCALATE);
  r.set_tier(v1::TIER_HIGH_INTENT);
  r.set_previous_owner_rep_id(owner);
  r.set_reassignment_count(3);
  return r;
}

v1::Rep manager(const std::string& id, const std::string& above, const std::string& tz = "UTC") {
  v1::Rep r = rep(id, "managers", tz);
  r.set_manager_id(above);
  return r;
}

void out_of_office(v1::Rep& r, const std::string& from, const std::string& until) {
  auto* o = r.add_out_of_office();
  *o->mutable_from() = test::ts(from);
  *o->mutable_until() = test::ts(until);
}

std::vector<std::pair<std::string, std::string>> skipped(const v1::Assignment& a) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& s : a.handoff().skipped()) out.emplace_back(s.rep_id(), s.reason());
  return out;
}

TEST(PoolEscalationCalendar, ManagerOutOfOfficeGoesToTheManagersManager) {
  auto cfg = test::base_config();
  cfg.pools["general"].manager_rep_id = "boss";
  auto boss = manager("boss", "vp");
  out_of_office(boss, "2024-03-25T00:00:00Z", "2024-04-05T00:00:00Z");
  auto ros = test::roster({rep("a", "general"), boss, manager("vp", "")});
  auto d =
      decide_pool(escalation("L1", "a"), {}, nullptr, cfg, ros, time::system_zones(), at(kFriday));
  ASSERT_TRUE(d.event && d.event->has_assignment());
  EXPECT_EQ(d.event->assignment().owner_rep_id(), "vp");
  EXPECT_EQ(d.event->assignment().handoff().selection(), "manager");
  EXPECT_EQ(skipped(d.event->assignment()),
            (std::vector<std::pair<std::string, std::string>>{{"boss", "out_of_office"}}));
}

TEST(PoolEscalationCalendar, ManagerOffHoursInTheirZoneIsPassedOver) {
  auto cfg = test::base_config();
  cfg.pools["general"].manager_rep_id = "boss";
  // 10:00 UTC is 03:00 in Los Angeles: the boss is off hours; the VP in
  // London (11:00) is at work.
  auto ros = test::roster({rep("a", "general"), manager("boss", "vp", "America/Los_Angeles"),
                           manager("vp", "", "Europe/London")});
  auto d =
      decide_pool(escalation("L1", "a"), {}, nullptr, cfg, ros, time::system_zones(), at(kFriday));
  ASSERT_TRUE(d.event && d.event->has_assignment());
  EXPECT_EQ(d.event->assignment().owner_rep_id(), "vp");
  EXPECT_EQ(skipped(d.event->assignment()),
            (std::vector<std::pair<std::string, std::string>>{{"boss", "outside_working_hours"}}));
}

TEST(PoolEscalationCalendar, NobodyUpTheChainGoesToTheFallbackPool) {
  auto cfg = test::base_config();
  cfg.pools["dach"].manager_rep_id = "boss";  // dach falls back to general
  auto boss = manager("boss", "vp");
  out_of_office(boss, "2024-03-25T00:00:00Z", "2024-04-05T00:00:00Z");
  auto vp = manager("vp", "");
  vp.set_active(false);
  auto ros = test::roster({rep("d1", "dach"), boss, vp});
  auto r = escalation("L1", "d1");
  r.set_pool("dach");
  auto d = decide_pool(r, {}, nullptr, cfg, ros, time::system_zones(), at(kFriday));
  EXPECT_FALSE(d.event && d.event->has_assignment()) << "no manager can take it";
  ASSERT_TRUE(d.forward);
  EXPECT_EQ(d.forward->pool(), "general");
  ASSERT_EQ(d.forward->handoff().skipped_size(), 2);
  EXPECT_EQ(d.forward->handoff().skipped(0).reason(), "out_of_office");
  EXPECT_EQ(d.forward->handoff().skipped(1).reason(), "inactive");
}

TEST(PoolEscalationCalendar, NoFallbackAndNobodyUpTheChainAsksThePool) {
  auto cfg = test::base_config();
  cfg.pools["general"].manager_rep_id = "boss";
  auto boss = manager("boss", "");
  boss.set_active(false);
  auto ros = test::roster({rep("a", "general"), rep("b", "general"), boss});
  auto r = escalation("L1", "a");
  r.add_excluded_reps("a");
  auto d = decide_pool(r, {}, nullptr, cfg, ros, time::system_zones(), at(kFriday));
  ASSERT_TRUE(d.event && d.event->has_assignment());
  EXPECT_EQ(d.event->assignment().owner_rep_id(), "b");
  EXPECT_EQ(d.event->assignment().handoff().skipped(0).rep_id(), "boss");
}

TEST(PoolEscalationCalendar, TheClimbIsTheSlaMonitorsAndStopsAtACycleAndTheOwner) {
  auto cfg = test::base_config();
  cfg.pools["general"].manager_rep_id = "boss";
  // boss -> vp -> boss: both off (Saturday); the climb stops at the cycle.
  auto ros = test::roster({rep("a", "general"), manager("boss", "vp"), manager("vp", "boss")});
  auto sat = at("2024-03-30T10:00:00Z");
  auto up = pool_escalation(escalation("L1", "a"), cfg.pools["general"], cfg, ros,
                            time::system_zones(), sat);
  EXPECT_TRUE(up.to.empty());
  EXPECT_EQ(up.skipped.size(), 2u);
  // The owner is never the escalation's recipient, even when at work.
  cfg.pools["general"].manager_rep_id = "a";
  up = pool_escalation(escalation("L1", "a"), cfg.pools["general"], cfg, ros, time::system_zones(),
                       at(kFriday));
  EXPECT_TRUE(up.to.empty());
}

}  // namespace
}  // namespace baton::router
