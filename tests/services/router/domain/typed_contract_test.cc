// The pool desk decides by the typed kind (ctest -R TypedContract): requests
// and held leads an earlier build wrote with the string kind only keep their
// meaning, and a request with no known kind is refused, never assigned.
#include <gtest/gtest.h>

#include "baton/v1/contract.h"
#include "domain/pool_desk.h"
#include "fixtures.h"

namespace baton::router {
namespace {

using test::at;
using test::rep;

// What an earlier build wrote: field 13 (the deprecated string) only.
v1::PoolRequest legacy_request(const std::string& lead, const std::string& pool,
                               const std::string& kind) {
  v1::PoolRequest r;
  r.mutable_envelope()->set_lead_id(lead);
  r.mutable_envelope()->set_event_id("ev-" + lead);
  r.set_pool(pool);
  r.set_tier(v1::TIER_HIGH_INTENT);
  r.GetReflection()->SetString(&r, v1::PoolRequest::descriptor()->FindFieldByNumber(13), kind);
  return r;
}

TEST(TypedContract, LegacyEscalationGoesToThePoolManager) {
  auto cfg = test::base_config();
  cfg.pools["general"].manager_rep_id = "boss";
  auto ros = test::roster({rep("a", "general"), rep("boss", "managers")});
  auto d = decide_pool(legacy_request("L1", "general", "escalate"), {}, nullptr, cfg, ros,
                       time::system_zones(), at("2024-03-29T10:00:00Z"));
  ASSERT_FALSE(d.reject);
  ASSERT_TRUE(d.event && d.event->has_assignment());
  EXPECT_EQ(d.event->assignment().owner_rep_id(), "boss");
  EXPECT_EQ(d.event->assignment().handoff().selection(), "manager");
}

TEST(TypedContract, LegacyFallbackHopAnswersWithTheEnum) {
  auto cfg = test::base_config();  // dach -> general
  auto ros = test::roster({rep("g1", "general")});
  auto hop = legacy_request("L1", "general", "fallback");
  hop.set_fallback_pool("dach");
  auto f =
      decide_pool(hop, {}, nullptr, cfg, ros, time::system_zones(), at("2024-03-29T10:00:00Z"));
  ASSERT_TRUE(f.event && f.event->has_assignment());
  ASSERT_TRUE(f.forward);
  EXPECT_EQ(f.forward->pool(), "dach");
  EXPECT_EQ(f.forward->request_kind(), v1::POOL_REQUEST_KIND_FALLBACK_ASSIGNED);
}

TEST(TypedContract, AHeldLegacyEscalationStillEscalatesOnRetry) {
  // Held state written by an earlier build: the retry reads its kind too.
  auto cfg = test::base_config();
  cfg.pools["general"].manager_rep_id = "boss";
  auto ros = test::roster({rep("a", "general"), rep("boss", "managers")});
  v1::HeldLead held;
  *held.mutable_request() = legacy_request("L1", "general", "escalate");
  auto d = retry_held(held, {}, cfg, ros, time::system_zones(), at("2024-03-29T10:00:00Z"));
  ASSERT_TRUE(d.event && d.event->has_assignment());
  EXPECT_EQ(d.event->assignment().owner_rep_id(), "boss");
}

TEST(TypedContract, NoKnownKindIsRejectedNotAssigned) {
  auto cfg = test::base_config();
  auto ros = test::roster({rep("a", "general")});
  for (const char* kind : {"", "reassign", "ASSIGN"}) {
    auto d = decide_pool(legacy_request("L1", "general", kind), {}, nullptr, cfg, ros,
                         time::system_zones(), at("2024-03-29T10:00:00Z"));
    ASSERT_TRUE(d.reject) << kind;
    EXPECT_EQ(d.reject->first, "unknown_enum");
    EXPECT_FALSE(d.event || d.forward || d.hold || d.ledger_changed) << kind;
  }
  // Also for a pool the config no longer knows: the kind is checked first.
  auto d = decide_pool(legacy_request("L1", "gone", ""), {}, nullptr, cfg, ros,
                       time::system_zones(), at("2024-03-29T10:00:00Z"));
  EXPECT_TRUE(d.reject);
}

}  // namespace
}  // namespace baton::router
