// Signals on the timeline (issue 19 point 8): ctest -R TimelineSignals.
#include "domain/signals.h"

#include <gtest/gtest.h>

#include "fixtures.h"

namespace baton::feedback {
namespace {

using namespace test;

v1::RoutingEvent signal_update(const std::string& id, int64_t router_t, int64_t signal_t,
                               double intent_before, double intent_after) {
  v1::RoutingEvent ev;
  auto* u = ev.mutable_score_updated();
  *u->mutable_envelope() = env(id, router_t);
  u->mutable_score()->set_fit(40);
  u->mutable_score()->set_intent(intent_after);
  u->set_tier(v1::TIER_HIGH_INTENT);
  u->set_signal_type(v1::SIGNAL_PRICING_PAGE_VIEW);
  u->set_signal_points(intent_after - intent_before);
  u->set_previous_fit(40);
  u->set_previous_intent(intent_before);
  u->set_previous_tier(v1::TIER_STANDARD);
  u->set_owner("rep-1");
  *u->mutable_signal_at() = at(signal_t);
  return ev;
}

state::LeadRecord assigned_lead(const FeedbackPolicy& p) {
  Step s = on_lead_captured(std::nullopt, captured("cap", 100), p, tp(100));
  s = on_routing_event(s.lead, assignment("asg", 110, "rep-1"), p, tp(110));
  return *s.lead;
}

int count_kind(const state::LeadRecord& l, const std::string& kind) {
  int n = 0;
  for (const auto& e : l.timeline()) n += e.kind() == kind ? 1 : 0;
  return n;
}

TEST(TimelineSignals, SignalStepHasTimeKindDeltaTierAndOwner) {
  FeedbackPolicy p;
  const auto lead = assigned_lead(p);
  Step s = on_routing_event(lead, signal_update("sig-1", 500, 400, 30, 50), p, tp(500));
  ASSERT_TRUE(s.lead);
  const state::TimelineEntry* found = nullptr;
  for (const auto& e : s.lead->timeline())
    if (e.kind() == "signal") found = &e;
  ASSERT_NE(found, nullptr);
  EXPECT_EQ(found->at().seconds(), 400) << "at the signal's time, not the router's";
  EXPECT_EQ(found->owner_rep_id(), "rep-1");
  EXPECT_EQ(found->detail(),
            "SIGNAL_PRICING_PAGE_VIEW: fit 40.0 -> 40.0, intent 30.0 -> 50.0 (+20.0)");
  ASSERT_GE(found->reasons_size(), 2);
  EXPECT_EQ(found->reasons(0), "points +20.0");
  EXPECT_EQ(found->reasons(1), "tier TIER_STANDARD -> TIER_HIGH_INTENT");
}

TEST(TimelineSignals, ReplayIsOneStep) {
  FeedbackPolicy p;
  auto lead = assigned_lead(p);
  const auto ev = signal_update("sig-1", 500, 400, 30, 50);
  Step s = on_routing_event(lead, ev, p, tp(500));
  Step again = on_routing_event(s.lead, ev, p, tp(501));
  EXPECT_FALSE(again.lead);
  EXPECT_EQ(again.ignored, "duplicate");
  EXPECT_EQ(count_kind(*s.lead, "signal"), 1);
}

TEST(TimelineSignals, UpdateWithoutSignalIsAScoredStep) {
  FeedbackPolicy p;
  auto lead = assigned_lead(p);
  auto ev = signal_update("score-1", 500, 400, 30, 50);
  ev.mutable_score_updated()->clear_signal_type();
  Step s = on_routing_event(lead, ev, p, tp(500));
  ASSERT_TRUE(s.lead);
  EXPECT_EQ(count_kind(*s.lead, "signal"), 0);
  EXPECT_GE(count_kind(*s.lead, "scored"), 1);
}

TEST(TimelineSignals, KeepsTheNewestSignalsAndCountsTheDropped) {
  FeedbackPolicy p;
  p.max_timeline_signals = 3;
  std::optional<state::LeadRecord> lead = assigned_lead(p);
  const int before = lead->timeline_size();
  for (int i = 0; i < 5; ++i) {
    Step s = on_routing_event(
        lead, signal_update("sig-" + std::to_string(i), 500 + i, 400 + i, 30 + i, 31 + i), p,
        tp(500 + i));
    ASSERT_TRUE(s.lead);
    lead = s.lead;
  }
  EXPECT_EQ(count_kind(*lead, "signal"), 3);
  EXPECT_EQ(lead->timeline_signals_dropped(), 2);
  EXPECT_EQ(lead->timeline_size(), before + 3) << "other steps are kept";
  std::vector<int64_t> times;
  for (const auto& e : lead->timeline())
    if (e.kind() == "signal") times.push_back(e.at().seconds());
  EXPECT_EQ(times, (std::vector<int64_t>{402, 403, 404}));
}

TEST(TimelineSignals, UnknownLeadIsIgnored) {
  FeedbackPolicy p;
  Step s = on_routing_event(std::nullopt, signal_update("sig-1", 500, 400, 30, 50), p, tp(500));
  EXPECT_FALSE(s.lead);
}

}  // namespace
}  // namespace baton::feedback
