// Warning, breach, escalation and reassignment timers; held activities.
#include <gtest/gtest.h>

#include "sla_clock.h"
#include "test_support.h"

namespace baton::sla {
namespace {

using namespace std::chrono_literals;
using testing::activity;
using testing::assignment;
using testing::cancels;
using testing::has_timer;
using testing::sla_event;
using testing::utc;

class SlaTimersTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto a = assignment("L1", "A1", "rep-1", v1::TIER_HIGH_INTENT, t0, t0);
    s = *on_assignment(a, nullptr, cfg, cal, t0).state;
  }
  SlaDecision fire(const std::string& id, TimePoint now) {
    SlaDecision d = on_timer(id, "A1", &s, cfg, cal, now);
    if (d.state) s = *d.state;
    return d;
  }
  SlaConfig cfg = testing::example_config();
  Calendar cal = testing::new_york();
  TimePoint t0 = utc(2024, 7, 9, 14, 0);
  SlaState s;
};

TEST_F(SlaTimersTest, EachMilestoneFiresOnceInOrder) {
  SlaDecision w = fire("L1/warn", t0 + 4min);
  ASSERT_EQ(w.outputs.size(), 1u);
  ASSERT_TRUE(sla_event(w, 0)->has_warning());
  EXPECT_DOUBLE_EQ(sla_event(w, 0)->warning().remaining_seconds(), 60.0);
  EXPECT_EQ(w.outputs[0].event_id, "A1/sla.warning");
  EXPECT_TRUE(fire("L1/warn", t0 + 4min).outputs.empty());  // once

  SlaDecision b = fire("L1/breach", t0 + 5min);
  ASSERT_EQ(b.outputs.size(), 1u);
  ASSERT_TRUE(sla_event(b, 0)->has_breached());
  EXPECT_EQ(sla_event(b, 0)->breached().owner_rep_id(), "rep-1");
  EXPECT_FALSE(sla_event(b, 0)->breached().on_reassignment());
  EXPECT_EQ(s.breached_reps, std::vector<std::string>{"rep-1"});

  SlaDecision e = fire("L1/escalate", t0 + 10min);
  ASSERT_EQ(e.outputs.size(), 1u);
  ASSERT_TRUE(sla_event(e, 0)->has_escalated());
  EXPECT_EQ(sla_event(e, 0)->escalated().manager_id(), "mgr-rep-1");
  EXPECT_DOUBLE_EQ(sla_event(e, 0)->escalated().overdue_seconds(), 300.0);

  SlaDecision r = fire("L1/reassign", t0 + 20min);
  ASSERT_EQ(r.outputs.size(), 2u);
  EXPECT_EQ(r.outputs[0].to, Destination::kReassign);
  const auto* req = std::get_if<v1::ReassignmentRequest>(&r.outputs[0].message);
  ASSERT_NE(req, nullptr);
  EXPECT_EQ(req->current_owner_rep_id(), "rep-1");
  EXPECT_EQ(req->reason(), "sla_breach");
  EXPECT_EQ(req->envelope().event_id(), "A1/sla.reassign.request");
  EXPECT_EQ(r.outputs[1].to, Destination::kSlaEvents);
  ASSERT_TRUE(sla_event(r, 1)->has_reassignment_requested());
  EXPECT_EQ(sla_event(r, 1)->reassignment_requested().owner_rep_id(), "rep-1");
  EXPECT_TRUE(fire("L1/reassign", t0 + 21min).outputs.empty());
}

TEST_F(SlaTimersTest, BurstOfDueTimersFiresEveryMilestoneOnceInOrder) {
  SlaDecision d = fire("L1/warn", t0 + 25min);  // e.g. after a long outage
  ASSERT_EQ(d.outputs.size(), 5u);
  ASSERT_TRUE(sla_event(d, 0)->has_warning());
  EXPECT_EQ(d.outputs[0].event_time, t0 + 4min);  // when it was due, not when it fired
  EXPECT_TRUE(sla_event(d, 1)->has_breached());
  EXPECT_TRUE(sla_event(d, 2)->has_escalated());
  EXPECT_EQ(d.outputs[3].to, Destination::kReassign);
  EXPECT_TRUE(sla_event(d, 4)->has_reassignment_requested());
  EXPECT_TRUE(cancels(d, "L1/breach"));
  EXPECT_TRUE(cancels(d, "L1/reassign"));
  EXPECT_TRUE(d.set_timers.empty());
  for (const char* t : {"L1/breach", "L1/escalate", "L1/reassign"})
    EXPECT_TRUE(fire(t, t0 + 26min).outputs.empty()) << t;
}

TEST_F(SlaTimersTest, StaleTimerOfAnOldClockIsIgnored) {
  SlaDecision d = on_timer("L1/breach", "A0", &s, cfg, cal, t0 + 6min);
  EXPECT_TRUE(d.outputs.empty());
  EXPECT_FALSE(d.state.has_value());
}

TEST_F(SlaTimersTest, EarlyTimerReschedulesItself) {
  SlaDecision d = fire("L1/breach", t0 + 1min);
  EXPECT_TRUE(d.outputs.empty());
  EXPECT_TRUE(has_timer(d, "L1/breach", t0 + 5min));
}

TEST_F(SlaTimersTest, TimerAfterTouchDoesNothing) {
  SlaDecision m = on_activity(activity("L1", "S1", "rep-1", v1::ACTIVITY_CALL, t0 + 3min), &s, cfg,
                              cal, t0 + 3min);
  s = *m.state;
  EXPECT_TRUE(fire("L1/breach", t0 + 5min).outputs.empty());
}

TEST(PendingActivities, HeldThenDroppedWhenNoAssignmentComes) {
  SlaConfig cfg = testing::example_config();
  Calendar cal = testing::new_york();
  TimePoint t0 = utc(2024, 7, 9, 14, 0);
  SlaDecision h =
      on_activity(activity("L2", "S1", "rep-1", v1::ACTIVITY_CALL, t0), nullptr, cfg, cal, t0);
  EXPECT_EQ(h.unknown_held, 1);
  ASSERT_TRUE(h.state.has_value());
  EXPECT_EQ(h.state->status, ClockStatus::kNone);
  EXPECT_TRUE(has_timer(h, "L2/pending", t0 + 1h));
  SlaState s = *h.state;
  SlaDecision h2 = on_activity(activity("L2", "S2", "rep-1", v1::ACTIVITY_EMAIL, t0 + 30min), &s,
                               cfg, cal, t0 + 30min);
  s = *h2.state;
  EXPECT_TRUE(h2.set_timers.empty());  // one expiry timer for the oldest
  SlaDecision x = on_timer("L2/pending", "", &s, cfg, cal, t0 + 1h);
  EXPECT_EQ(x.unknown_dropped, 1);
  ASSERT_TRUE(x.state.has_value());
  EXPECT_TRUE(has_timer(x, "L2/pending", t0 + 90min));
  s = *x.state;
  SlaDecision y = on_timer("L2/pending", "", &s, cfg, cal, t0 + 90min);
  EXPECT_EQ(y.unknown_dropped, 1);
  EXPECT_TRUE(y.erase_state);
}

// Chaos run finding: after a cycle's clock is met, the next cycle's first
// touch can be read before its assignment. The new clock takes it if it was
// made at or after the new start; a touch of the ended cycle does not count.
TEST(PendingActivities, NextCyclesTouchReadBeforeItsAssignmentMeetsTheNewClock) {
  SlaConfig cfg = testing::example_config();
  Calendar cal = testing::new_york();
  TimePoint t0 = utc(2024, 7, 9, 14, 0);
  auto a1 = assignment("L4", "A1", "rep-1", v1::TIER_HIGH_INTENT, t0, t0);
  SlaState s = *on_assignment(a1, nullptr, cfg, cal, t0).state;
  s = *on_activity(activity("L4", "S1", "rep-1", v1::ACTIVITY_CALL, t0 + 1min), &s, cfg, cal,
                   t0 + 1min)
           .state;
  ASSERT_EQ(s.status, ClockStatus::kMet);
  // A late touch of cycle 1, then cycle 2's touch, both read before cycle 2's assignment.
  s = *on_activity(activity("L4", "S2", "rep-2", v1::ACTIVITY_CALL, t0 + 1h), &s, cfg, cal, t0 + 1h)
           .state;
  SlaDecision held =
      on_activity(activity("L4", "S3", "rep-2", v1::ACTIVITY_CALL, t0 + 3h), &s, cfg, cal, t0 + 3h);
  EXPECT_EQ(held.unknown_held, 1);
  s = *held.state;
  auto a2 = assignment("L4", "A2", "rep-2", v1::TIER_HIGH_INTENT, t0 + 2h, t0 + 2h);
  a2.set_cycle(2);
  SlaDecision d = on_assignment(a2, &s, cfg, cal, t0 + 3h + 1min);
  ASSERT_TRUE(d.state);
  EXPECT_EQ(d.state->status, ClockStatus::kMet) << "cycle 2's touch meets cycle 2's clock";
  ASSERT_EQ(d.outputs.size(), 2u);
  ASSERT_TRUE(sla_event(d, 1)->has_met());
  EXPECT_EQ(d.outputs[1].event_id, "S3/sla.met");
  // Only cycle 1's late touch held: the new clock stays open.
  SlaState t = *on_assignment(a1, nullptr, cfg, cal, t0).state;
  t = *on_activity(activity("L4", "S1", "rep-1", v1::ACTIVITY_CALL, t0 + 1min), &t, cfg, cal,
                   t0 + 1min)
           .state;
  t = *on_activity(activity("L4", "S2", "rep-2", v1::ACTIVITY_CALL, t0 + 1h), &t, cfg, cal, t0 + 1h)
           .state;
  SlaDecision e = on_assignment(a2, &t, cfg, cal, t0 + 2h);
  ASSERT_TRUE(e.state);
  EXPECT_EQ(e.state->status, ClockStatus::kOpen);
}

TEST(PendingActivities, ActivityBeforeAssignmentStopsTheNewClock) {
  SlaConfig cfg = testing::example_config();
  Calendar cal = testing::new_york();
  TimePoint t0 = utc(2024, 7, 9, 14, 0);
  // The CRM's touch event overtakes the router's assignment.
  SlaDecision h = on_activity(activity("L3", "S1", "rep-1", v1::ACTIVITY_CALL, t0 + 2min), nullptr,
                              cfg, cal, t0 + 2min);
  auto a = assignment("L3", "A3", "rep-1", v1::TIER_HIGH_INTENT, t0, t0 - 1min);
  SlaDecision d = on_assignment(a, &*h.state, cfg, cal, t0 + 3min);
  EXPECT_EQ(d.unknown_matched, 1);
  EXPECT_EQ(d.state->status, ClockStatus::kMet);
  EXPECT_EQ(d.open_clocks_delta, 0);
  ASSERT_EQ(d.outputs.size(), 2u);
  ASSERT_TRUE(sla_event(d, 1)->has_met());
  EXPECT_TRUE(sla_event(d, 1)->met().within_sla());
  EXPECT_DOUBLE_EQ(sla_event(d, 1)->met().rep_delay_seconds(), 120.0);
  EXPECT_TRUE(d.set_timers.empty());
  EXPECT_TRUE(cancels(d, "L3/pending"));
  EXPECT_TRUE(d.state->pending.empty());
  EXPECT_EQ(d.state->attempts.size(), 1u);
}

TEST(PendingActivities, ExpiredHeldActivityIsDroppedAtAssignment) {
  SlaConfig cfg = testing::example_config();
  Calendar cal = testing::new_york();
  TimePoint t0 = utc(2024, 7, 9, 14, 0);
  SlaDecision h =
      on_activity(activity("L4", "S1", "rep-1", v1::ACTIVITY_CALL, t0), nullptr, cfg, cal, t0);
  auto a = assignment("L4", "A4", "rep-1", v1::TIER_HIGH_INTENT, t0 + 2h, t0);
  SlaDecision d = on_assignment(a, &*h.state, cfg, cal, t0 + 2h);
  EXPECT_EQ(d.unknown_dropped, 1);
  EXPECT_EQ(d.state->status, ClockStatus::kOpen);
  EXPECT_TRUE(d.state->attempts.empty());
}

TEST(PendingActivities, ZeroWindowDropsAtOnce) {
  SlaConfig cfg = testing::example_config();
  cfg.unknown_activity_window = Millis(0);
  Calendar cal;
  TimePoint t0 = utc(2024, 7, 9, 14, 0);
  SlaDecision d =
      on_activity(activity("L5", "S1", "rep-1", v1::ACTIVITY_CALL, t0), nullptr, cfg, cal, t0);
  EXPECT_EQ(d.unknown_dropped, 1);
  EXPECT_FALSE(d.state.has_value());
}

}  // namespace
}  // namespace baton::sla
