// Topics are read unevenly (chaos run finding): a hand-raise that happened
// after the CRM recycled or won the lead can be read while the lead is still
// open. It is kept without routing then, and must route the lead when the
// transition is read (ctest -R LateHandRaise).
#include <gtest/gtest.h>

#include "baton/v1/contract.h"
#include "domain/lead_desk.h"
#include "domain/lead_lifecycle.h"
#include "fixtures.h"

namespace baton::router {
namespace {

using test::at;

v1::StageTransitioned transition(v1::Stage to, const char* when) {
  v1::StageTransitioned t;
  t.mutable_envelope()->set_lead_id("L1");
  t.mutable_envelope()->set_event_id("stage-" + v1::Stage_Name(to));
  *t.mutable_envelope()->mutable_event_time() = test::ts(when);
  t.set_to(to);
  return t;
}

// An assigned lead in its first cycle, captured at 09:00 with a demo request.
v1::LeadState assigned_lead(const LeadContext& ctx) {
  auto d =
      decide_lead(test::intake(test::capture("L1", "e1", "2024-03-01T09:00:00Z")), nullptr, ctx);
  return *on_routing_event(test::assigned("L1", "r1", "dach"), &*d.state, ctx).state;
}

std::vector<v1::PoolRequestKind> kinds(const LeadDecision& d) {
  std::vector<v1::PoolRequestKind> out;
  for (const auto& r : d.pool_requests) out.push_back(v1::pool_request_kind(r.request));
  return out;
}

TEST(LateHandRaise, RecycledLeadRoutesASignalReadBeforeTheRecycle) {
  auto cfg = test::base_config();
  LeadContext ctx{cfg, {}, at("2024-03-01T10:00:00Z")};
  auto s = assigned_lead(ctx);
  // 09:40: a demo request, read while the lead is still assigned: kept.
  auto sig =
      on_signal(test::signal("L1", "s1", v1::SIGNAL_DEMO_REQUEST, "2024-03-01T09:40:00Z"), &s, ctx);
  EXPECT_TRUE(sig.pool_requests.empty());
  s = *sig.state;

  // The recycle happened at 09:30, before the demo request: the new cycle
  // is routed when the recycle is read.
  auto d = on_stage_transition(transition(v1::STAGE_RECYCLED, "2024-03-01T09:30:00Z"), &s, ctx);
  ASSERT_TRUE(d.state);
  EXPECT_EQ(d.state->status(), "requested");
  EXPECT_EQ(d.state->cycle(), 2);
  EXPECT_EQ(kinds(d), (std::vector{v1::POOL_REQUEST_KIND_RELEASE, v1::POOL_REQUEST_KIND_ASSIGN}));
  const auto& ask = d.pool_requests[1].request;
  EXPECT_EQ(ask.cycle(), 2);
  EXPECT_EQ(ask.tier(), v1::TIER_HIGH_INTENT);
  EXPECT_EQ(ask.requested_at().seconds(), test::ts("2024-03-01T09:40:00Z").seconds())
      << "the system delay counts from the hand-raise";

  // Had the recycle come after the demo request, the request belongs to the
  // old cycle: the lead waits in nurture for fresh intent.
  auto later = on_stage_transition(transition(v1::STAGE_RECYCLED, "2024-03-01T09:50:00Z"), &s, ctx);
  EXPECT_EQ(later.state->status(), "nurture");
  EXPECT_EQ(kinds(later), std::vector{v1::POOL_REQUEST_KIND_RELEASE});
}

TEST(LateHandRaise, WonLeadReopensForACaptureReadBeforeTheWin) {
  auto cfg = test::base_config();
  LeadContext ctx{cfg, {}, at("2024-03-01T10:00:00Z")};
  auto s = assigned_lead(ctx);
  // The returning customer's new demo request (09:40), read before the win.
  auto again =
      decide_lead(test::intake(test::capture("L1", "e2", "2024-03-01T09:40:00Z")), &s, ctx);
  EXPECT_TRUE(again.pool_requests.empty()) << "the lead is still open: merged, not routed";
  s = *again.state;

  auto d = on_stage_transition(transition(v1::STAGE_WON, "2024-03-01T09:30:00Z"), &s, ctx);
  ASSERT_TRUE(d.state);
  EXPECT_EQ(d.state->status(), "requested");
  EXPECT_EQ(d.state->cycle(), 2);
  EXPECT_EQ(d.state->previous_outcome(), v1::STAGE_WON);
  EXPECT_EQ(kinds(d), (std::vector{v1::POOL_REQUEST_KIND_RELEASE, v1::POOL_REQUEST_KIND_ASSIGN}));

  // A stage that does not re-open stays closed, whatever was read before.
  cfg.reopen.won = false;
  auto kept = on_stage_transition(transition(v1::STAGE_WON, "2024-03-01T09:30:00Z"), &s, ctx);
  EXPECT_EQ(kept.state->status(), "closed");
  EXPECT_EQ(kinds(kept), std::vector{v1::POOL_REQUEST_KIND_RELEASE});
}

TEST(LateHandRaise, WeakSignalAfterTheCloseDoesNotReopen) {
  auto cfg = test::base_config();
  LeadContext ctx{cfg, {}, at("2024-03-01T10:00:00Z")};
  auto s = assigned_lead(ctx);
  s = *on_signal(test::signal("L1", "s1", v1::SIGNAL_CONTENT_DOWNLOAD, "2024-03-01T09:40:00Z"), &s,
                 ctx)
           .state;
  auto d = on_stage_transition(transition(v1::STAGE_LOST, "2024-03-01T09:30:00Z"), &s, ctx);
  EXPECT_EQ(d.state->status(), "closed");
  EXPECT_EQ(d.state->cycle(), 1);
  EXPECT_EQ(kinds(d), std::vector{v1::POOL_REQUEST_KIND_RELEASE});
}

}  // namespace
}  // namespace baton::router
