#include "domain/pool_desk.h"

#include <gtest/gtest.h>

#include "baton/v1/contract.h"
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

TEST(PoolDesk, AssignsWithHandoffSelectionAndLedger) {
  auto cfg = test::base_config();
  auto ros = test::roster({rep("a", "general"), rep("b", "general")});
  auto d = decide_pool(request("L1", "general"), {}, nullptr, cfg, ros, time::system_zones(),
                       at("2024-03-29T10:00:00Z"));
  ASSERT_TRUE(d.event && d.event->has_assignment());
  EXPECT_EQ(d.event->assignment().owner_rep_id(), "a");
  EXPECT_EQ(d.event->assignment().manager_id(), "mgr-general");
  EXPECT_EQ(d.event->assignment().handoff().selection(), "round_robin");
  EXPECT_EQ(d.event->assignment().handoff().skipped(0).reason(), "not_next_in_rotation");
  EXPECT_EQ(find_entry(d.ledger, "a")->open_leads(), 1);
  auto rel = request("L1", "general");
  v1::set_pool_request_kind(rel, v1::POOL_REQUEST_KIND_RELEASE);
  rel.set_release_rep_id("a");
  auto r = decide_pool(rel, d.ledger, nullptr, cfg, ros, time::system_zones(),
                       at("2024-03-29T10:00:00Z"));
  EXPECT_EQ(find_entry(r.ledger, "a")->open_leads(), 0);
}

// A request for a pool the config no longer has (removed by a config change
// while the request was on its way) is dead-lettered with a reason naming
// the pool, never dropped in silence.
TEST(PoolDesk, APoolNotInTheConfigIsDeadLetteredNotDropped) {
  auto cfg = test::base_config();
  auto ros = test::roster({rep("a", "general")});
  for (auto kind : {v1::POOL_REQUEST_KIND_ASSIGN, v1::POOL_REQUEST_KIND_RELEASE}) {
    auto req = request("L1", "apac");
    v1::set_pool_request_kind(req, kind);
    auto d =
        decide_pool(req, {}, nullptr, cfg, ros, time::system_zones(), at("2024-03-29T10:00:00Z"));
    ASSERT_TRUE(d.reject) << kind;
    EXPECT_EQ(d.reject->first, "unknown_pool");
    EXPECT_NE(d.reject->second.find("'apac'"), std::string::npos) << d.reject->second;
    EXPECT_FALSE(d.event) << "no assignment, no hold";
  }
}

TEST(PoolDesk, NobodyEligibleHoldsAndRetriesNeverDrops) {
  auto cfg = test::base_config();
  auto ros = test::roster({rep("a", "general")});
  auto sat = at("2024-03-30T10:00:00Z");
  auto d = decide_pool(request("L1", "general"), {}, nullptr, cfg, ros, time::system_zones(), sat);
  ASSERT_TRUE(d.event && d.event->has_held());
  EXPECT_EQ(d.event->held().skipped(0).reason(), "outside_working_hours");
  ASSERT_TRUE(d.hold && d.retry_at);
  // Still the weekend: stays held, no second LeadHeld.
  auto again =
      retry_held(*d.hold, d.ledger, cfg, ros, time::system_zones(), sat + std::chrono::hours(1));
  EXPECT_FALSE(again.event.has_value());
  EXPECT_TRUE(again.retry_at.has_value());
  // Monday morning: assigned, hold removed.
  auto mon = retry_held(*again.hold, again.ledger, cfg, ros, time::system_zones(),
                        at("2024-04-01T09:05:00Z"));
  ASSERT_TRUE(mon.event && mon.event->has_assignment());
  EXPECT_TRUE(mon.unhold);
}

TEST(PoolDesk, FallbackPoolDecidesAtItsOwnDesk) {
  auto cfg = test::base_config();  // dach -> general
  auto ros =
      test::roster({rep("d1", "dach", "Europe/Berlin"), rep("g1", "general", "America/New_York")});
  auto now = at("2024-03-29T19:00:00Z");  // 20:00 Berlin, 15:00 New York
  auto p = decide_pool(request("L1", "dach"), {}, nullptr, cfg, ros, time::system_zones(), now);
  EXPECT_FALSE(p.event.has_value());
  ASSERT_TRUE(p.forward && p.hold);
  EXPECT_EQ(p.forward->pool(), "general");
  EXPECT_TRUE(p.hold->at_fallback());
  auto f = decide_pool(*p.forward, {}, nullptr, cfg, ros, time::system_zones(), now);
  ASSERT_TRUE(f.event && f.event->has_assignment());
  EXPECT_EQ(f.event->assignment().owner_rep_id(), "g1");
  EXPECT_EQ(f.event->assignment().handoff().selection(), "fallback");
  EXPECT_EQ(f.event->assignment().handoff().skipped(0).rep_id(), "d1");
  ASSERT_TRUE(f.forward);
  EXPECT_EQ(v1::pool_request_kind(*f.forward), v1::POOL_REQUEST_KIND_FALLBACK_ASSIGNED);
  auto back = decide_pool(*f.forward, p.ledger, &*p.hold, cfg, ros, time::system_zones(), now);
  EXPECT_TRUE(back.unhold);
}

TEST(PoolDesk, EscalationGoesToThePoolManager) {
  auto cfg = test::base_config();
  cfg.pools["general"].manager_rep_id = "boss";
  auto ros = test::roster({rep("a", "general"), rep("boss", "managers")});
  auto r = request("L1", "general");
  v1::set_pool_request_kind(r, v1::POOL_REQUEST_KIND_ESCALATE);
  // A Friday morning: the manager is at work (PoolEscalationCalendar covers
  // a manager who is not).
  auto d = decide_pool(r, {}, nullptr, cfg, ros, time::system_zones(), at("2024-03-29T10:00:00Z"));
  ASSERT_TRUE(d.event && d.event->has_assignment());
  EXPECT_EQ(d.event->assignment().owner_rep_id(), "boss");
  EXPECT_EQ(d.event->assignment().handoff().selection(), "manager");
}

}  // namespace
}  // namespace baton::router
