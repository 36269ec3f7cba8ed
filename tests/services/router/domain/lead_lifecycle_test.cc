#include "domain/lead_lifecycle.h"

#include <gtest/gtest.h>

#include "baton/v1/contract.h"
#include "domain/pool_desk.h"
#include "fixtures.h"

namespace baton::router {
namespace {

using test::at;

v1::LeadState lead_with_status(const std::string& status) {
  v1::LeadState s;
  s.set_lead_id("L1");
  s.mutable_captured()->mutable_envelope()->set_lead_id("L1");
  s.set_status(status);
  s.set_cycle(1);
  s.set_pool("dach");
  if (status == "assigned") {
    s.set_owner_rep_id("r1");
    s.set_assigned_pool("dach");
    s.add_held_by("r1");
  }
  return s;
}

v1::StageTransitioned to(v1::Stage stage) {
  v1::StageTransitioned t;
  t.mutable_envelope()->set_lead_id("L1");
  t.set_to(stage);
  return t;
}

TEST(LeadLifecycle, ClosingStagesReleaseTheOwnersSlot) {
  auto cfg = test::base_config();
  LeadContext ctx{cfg, {}, at("2024-03-01T10:00:00Z")};
  struct Case {
    v1::Stage stage;
    const char* status;  // after
    int cycle;
  } cases[] = {{v1::STAGE_WON, "closed", 1},
               {v1::STAGE_LOST, "closed", 1},
               {v1::STAGE_REJECTED, "closed", 1},
               {v1::STAGE_RECYCLED, "nurture", 2}};
  for (const auto& c : cases) {
    auto s = lead_with_status("assigned");
    auto d = on_stage_transition(to(c.stage), &s, ctx);
    ASSERT_EQ(d.pool_requests.size(), 1u) << v1::Stage_Name(c.stage);
    const auto& r = d.pool_requests[0].request;
    EXPECT_EQ(v1::pool_request_kind(r), v1::POOL_REQUEST_KIND_RELEASE);
    EXPECT_EQ(r.pool(), "dach");
    EXPECT_EQ(r.release_rep_id(), "r1");
    EXPECT_EQ(d.state->status(), c.status);
    EXPECT_EQ(d.state->cycle(), c.cycle);
  }
}

TEST(LeadLifecycle, OpenStagesAndUnknownLeadsChangeNothing) {
  auto cfg = test::base_config();
  LeadContext ctx{cfg, {}, at("2024-03-01T10:00:00Z")};
  auto s = lead_with_status("assigned");
  for (auto stage : {v1::STAGE_CONTACTED, v1::STAGE_QUALIFIED, v1::STAGE_OPPORTUNITY}) {
    auto d = on_stage_transition(to(stage), &s, ctx);
    EXPECT_FALSE(d.state.has_value());
    EXPECT_TRUE(d.pool_requests.empty());
  }
  EXPECT_FALSE(on_stage_transition(to(v1::STAGE_WON), nullptr, ctx).state.has_value());
  auto closed = lead_with_status("closed");
  EXPECT_TRUE(on_stage_transition(to(v1::STAGE_LOST), &closed, ctx).pool_requests.empty());
}

TEST(LeadLifecycle, InFlightLeadIsWithdrawnAndALateAssignmentReleased) {
  auto cfg = test::base_config();
  LeadContext ctx{cfg, {}, at("2024-03-01T10:00:00Z")};
  auto s = lead_with_status("held");
  auto d = on_stage_transition(to(v1::STAGE_REJECTED), &s, ctx);
  ASSERT_EQ(d.pool_requests.size(), 1u);
  EXPECT_EQ(v1::pool_request_kind(d.pool_requests[0].request), v1::POOL_REQUEST_KIND_WITHDRAW);
  EXPECT_EQ(d.state->status(), "closed");

  v1::RoutingEvent late;
  late.mutable_assignment()->set_owner_rep_id("r2");
  late.mutable_assignment()->mutable_handoff()->set_pool("general");
  late.mutable_assignment()->set_cycle(1);
  auto r = on_routing_event(late, &*d.state, ctx);
  ASSERT_EQ(r.pool_requests.size(), 1u);
  EXPECT_EQ(v1::pool_request_kind(r.pool_requests[0].request), v1::POOL_REQUEST_KIND_RELEASE);
  EXPECT_EQ(r.pool_requests[0].request.pool(), "general");
  EXPECT_EQ(r.pool_requests[0].request.release_rep_id(), "r2");
  EXPECT_FALSE(r.state.has_value()) << "a closed lead keeps no owner";

  // A closed lead is never routed again, whatever its intent.
  v1::EngagementSignal sig;
  sig.mutable_envelope()->set_lead_id("L1");
  sig.mutable_envelope()->set_event_id("s1");
  sig.set_type(v1::SIGNAL_DEMO_REQUEST);
  EXPECT_TRUE(on_signal(sig, &*d.state, ctx).pool_requests.empty());
}

TEST(LeadLifecycle, PoolDeskWithdrawsAHeldLead) {
  auto cfg = test::base_config();
  v1::PoolRequest w;
  w.mutable_envelope()->set_lead_id("L1");
  w.set_pool("general");
  v1::set_pool_request_kind(w, v1::POOL_REQUEST_KIND_WITHDRAW);
  v1::HeldLead held;
  auto d = decide_pool(w, {}, &held, cfg, {}, time::system_zones(), at("2024-03-01T10:00:00Z"));
  EXPECT_TRUE(d.unhold);
  EXPECT_FALSE(d.event.has_value());
  auto none =
      decide_pool(w, {}, nullptr, cfg, {}, time::system_zones(), at("2024-03-01T10:00:00Z"));
  EXPECT_FALSE(none.unhold);
}

}  // namespace
}  // namespace baton::router
