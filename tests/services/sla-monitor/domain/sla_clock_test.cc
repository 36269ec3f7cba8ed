// Assignments, re-tiers and reassignments of the SlaClock.
#include "sla_clock.h"

#include <gtest/gtest.h>

#include "test_support.h"

namespace baton::sla {
namespace {

using namespace std::chrono_literals;
using testing::assignment;
using testing::cancels;
using testing::has_timer;
using testing::sla_event;
using testing::utc;

class SlaClockTest : public ::testing::Test {
 protected:
  SlaConfig cfg = testing::example_config();
  Calendar cal = testing::new_york();
  // Tuesday 2024-07-09 10:00 EDT.
  TimePoint t0 = utc(2024, 7, 9, 14, 0);
};

TEST_F(SlaClockTest, AssignmentStartsClockWithTimersFromThePolicy) {
  auto a = assignment("L1", "A1", "rep-1", v1::TIER_HIGH_INTENT, t0, t0 - 2min);
  SlaDecision d = on_assignment(a, nullptr, cfg, cal, t0 + 1s);
  ASSERT_TRUE(d.invalid.empty());
  ASSERT_TRUE(d.state.has_value());
  const SlaClock& c = d.state->clock;
  EXPECT_EQ(d.state->status, ClockStatus::kOpen);
  EXPECT_EQ(c.owner_rep_id, "rep-1");
  EXPECT_EQ(c.manager_id, "mgr-rep-1");
  EXPECT_EQ(c.deadline, t0 + 5min);
  EXPECT_EQ(c.warn_at, t0 + 4min);  // 0.8 of the budget
  EXPECT_EQ(c.escalate_at, t0 + 10min);
  EXPECT_EQ(c.reassign_at, t0 + 20min);
  EXPECT_EQ(d.open_clocks_delta, 1);
  EXPECT_TRUE(has_timer(d, "L1/warn", t0 + 4min));
  EXPECT_TRUE(has_timer(d, "L1/breach", t0 + 5min));
  EXPECT_TRUE(has_timer(d, "L1/escalate", t0 + 10min));
  EXPECT_TRUE(has_timer(d, "L1/reassign", t0 + 20min));
  for (const auto& t : d.set_timers) EXPECT_EQ(t.payload, "A1");
  ASSERT_EQ(d.outputs.size(), 1u);
  const v1::SlaEvent* ev = sla_event(d, 0);
  ASSERT_TRUE(ev && ev->has_started());
  EXPECT_EQ(ev->started().envelope().event_id(), "A1/sla.started");
  EXPECT_EQ(d.outputs[0].event_id, "A1/sla.started");
  EXPECT_EQ(ev->started().envelope().causation_id(), "A1");
  EXPECT_EQ(ev->started().envelope().lead_id(), "L1");
  EXPECT_EQ(ev->started().policy(), "high_intent");
  EXPECT_FALSE(ev->started().business_hours());
}

TEST_F(SlaClockTest, ReplayedAssignmentChangesNothing) {
  auto a = assignment("L1", "A1", "rep-1", v1::TIER_HIGH_INTENT, t0, t0);
  SlaDecision first = on_assignment(a, nullptr, cfg, cal, t0);
  SlaDecision again = on_assignment(a, &*first.state, cfg, cal, t0 + 1min);
  EXPECT_FALSE(again.state.has_value());
  EXPECT_TRUE(again.outputs.empty());
  EXPECT_TRUE(again.set_timers.empty());
}

TEST_F(SlaClockTest, InvalidAssignmentsAreRejected) {
  auto a = assignment("L1", "A1", "", v1::TIER_HIGH_INTENT, t0, t0);
  EXPECT_FALSE(on_assignment(a, nullptr, cfg, cal, t0).invalid.empty());
  a = assignment("L1", "A1", "rep-1", v1::TIER_UNSPECIFIED, t0, t0);
  EXPECT_NE(on_assignment(a, nullptr, cfg, cal, t0).invalid.find("no SLA policy"),
            std::string::npos);
  a = assignment("", "A1", "rep-1", v1::TIER_STANDARD, t0, t0);
  EXPECT_FALSE(on_assignment(a, nullptr, cfg, cal, t0).invalid.empty());
}

TEST_F(SlaClockTest, BusinessHoursClockAcrossDstWeekend) {
  // Standard tier counts business hours: Friday 2024-03-08 16:55 EST.
  TimePoint fri = utc(2024, 3, 8, 21, 55);
  auto a = assignment("L1", "A1", "rep-1", v1::TIER_STANDARD, fri, fri);
  SlaDecision d = on_assignment(a, nullptr, cfg, cal, fri);
  // 5 min on Friday, 10 min on Monday (EDT): 09:10 EDT = 13:10 UTC.
  EXPECT_EQ(d.state->clock.deadline, utc(2024, 3, 11, 13, 10));
  EXPECT_TRUE(d.state->clock.business_hours);
  // Warning at 12 business minutes: Monday 09:07 EDT.
  EXPECT_EQ(d.state->clock.warn_at, utc(2024, 3, 11, 13, 7));
}

TEST_F(SlaClockTest, BusinessHoursClockSkipsHoliday) {
  TimePoint eve = utc(2024, 12, 24, 21, 55);  // Tuesday 16:55 EST
  auto a = assignment("L1", "A1", "rep-1", v1::TIER_STANDARD, eve, eve);
  SlaDecision d = on_assignment(a, nullptr, cfg, cal, eve);
  EXPECT_EQ(d.state->clock.deadline, utc(2024, 12, 26, 14, 10));  // Thursday 09:10 EST
}

TEST_F(SlaClockTest, NurtureDeadlineIsEndOfTheBusinessDay) {
  TimePoint sat = utc(2024, 7, 13, 15, 0);  // Saturday
  auto a = assignment("L1", "A1", "rep-1", v1::TIER_NURTURE, sat, sat);
  SlaDecision d = on_assignment(a, nullptr, cfg, cal, sat);
  EXPECT_EQ(d.state->clock.deadline, utc(2024, 7, 15, 21, 0));  // Monday 17:00 EDT
  EXPECT_FALSE(d.state->clock.escalate_at.has_value());
  EXPECT_TRUE(cancels(d, "L1/escalate"));
}

TEST_F(SlaClockTest, RetierToStricterTierTakesTheEarlierDeadline) {
  auto a = assignment("L1", "A1", "rep-1", v1::TIER_STANDARD, t0, t0);
  SlaState s = *on_assignment(a, nullptr, cfg, cal, t0).state;
  EXPECT_EQ(s.clock.deadline, t0 + 15min);
  v1::TierChanged tc;
  tc.mutable_envelope()->set_lead_id("L1");
  tc.mutable_envelope()->set_event_id("T1");
  *tc.mutable_envelope()->mutable_event_time() = testing::ts(t0 + 2min);
  tc.set_previous_tier(v1::TIER_STANDARD);
  tc.set_tier(v1::TIER_HIGH_INTENT);
  SlaDecision d = on_tier_changed(tc, &s, cfg, cal, t0 + 2min);
  ASSERT_TRUE(d.state.has_value());
  EXPECT_EQ(d.state->clock.deadline, t0 + 7min);  // 2 + 5 < 15
  EXPECT_EQ(d.state->clock.tier, v1::TIER_HIGH_INTENT);
  EXPECT_EQ(d.state->clock.escalate_at, t0 + 12min);
  EXPECT_TRUE(has_timer(d, "L1/breach", t0 + 7min));
  ASSERT_EQ(d.outputs.size(), 1u);
  EXPECT_EQ(d.outputs[0].event_id, "T1/sla.retiered");
}

TEST_F(SlaClockTest, RetierToLooserTierKeepsTheEarlierDeadline) {
  auto a = assignment("L1", "A1", "rep-1", v1::TIER_HIGH_INTENT, t0, t0);
  SlaState s = *on_assignment(a, nullptr, cfg, cal, t0).state;
  v1::TierChanged tc;
  tc.mutable_envelope()->set_lead_id("L1");
  tc.mutable_envelope()->set_event_id("T1");
  *tc.mutable_envelope()->mutable_event_time() = testing::ts(t0 + 1min);
  tc.set_tier(v1::TIER_STANDARD);
  SlaDecision d = on_tier_changed(tc, &s, cfg, cal, t0 + 1min);
  ASSERT_TRUE(d.state.has_value());
  EXPECT_EQ(d.state->clock.deadline, t0 + 5min);
  EXPECT_EQ(d.state->clock.escalate_at, t0 + 10min);
  EXPECT_EQ(d.state->clock.tier, v1::TIER_STANDARD);
  EXPECT_TRUE(d.outputs.empty());
  EXPECT_TRUE(d.set_timers.empty());
}

TEST_F(SlaClockTest, TierChangeForUnknownLeadIsIgnored) {
  v1::TierChanged tc;
  tc.mutable_envelope()->set_lead_id("L9");
  tc.mutable_envelope()->set_event_id("T9");
  tc.set_tier(v1::TIER_HIGH_INTENT);
  SlaDecision d = on_tier_changed(tc, nullptr, cfg, cal, t0);
  EXPECT_TRUE(d.invalid.empty());
  EXPECT_FALSE(d.state.has_value());
}

TEST_F(SlaClockTest, ReassignmentRecordsThePreviousOwnersBreach) {
  auto a1 = assignment("L1", "A1", "rep-1", v1::TIER_HIGH_INTENT, t0, t0);
  SlaState s = *on_assignment(a1, nullptr, cfg, cal, t0).state;
  auto a2 = assignment("L1", "A2", "rep-2", v1::TIER_HIGH_INTENT, t0 + 7min, t0);
  a2.set_reassignment_count(1);
  a2.set_previous_owner_rep_id("rep-1");
  SlaDecision d = on_assignment(a2, &s, cfg, cal, t0 + 7min);
  ASSERT_EQ(d.outputs.size(), 2u);
  const v1::SlaEvent* breach = sla_event(d, 0);
  ASSERT_TRUE(breach && breach->has_breached());
  EXPECT_EQ(breach->breached().owner_rep_id(), "rep-1");
  EXPECT_TRUE(breach->breached().on_reassignment());
  EXPECT_EQ(d.outputs[0].event_id, "A2/sla.breached.on_reassignment");
  EXPECT_TRUE(sla_event(d, 1)->has_started());
  EXPECT_EQ(d.state->clock.owner_rep_id, "rep-2");
  EXPECT_EQ(d.state->clock.deadline, t0 + 12min);
  EXPECT_EQ(d.state->breached_reps, std::vector<std::string>{"rep-1"});
  EXPECT_EQ(d.open_clocks_delta, 0);  // one clock closed, one opened
}

TEST_F(SlaClockTest, ReassignmentInTimeRecordsNoBreach) {
  auto a1 = assignment("L1", "A1", "rep-1", v1::TIER_HIGH_INTENT, t0, t0);
  SlaState s = *on_assignment(a1, nullptr, cfg, cal, t0).state;
  auto a2 = assignment("L1", "A2", "rep-2", v1::TIER_HIGH_INTENT, t0 + 2min, t0);
  SlaDecision d = on_assignment(a2, &s, cfg, cal, t0 + 2min);
  ASSERT_EQ(d.outputs.size(), 1u);
  EXPECT_TRUE(sla_event(d, 0)->has_started());
  EXPECT_TRUE(d.state->breached_reps.empty());
}

TEST_F(SlaClockTest, ReassignmentAfterBreachTimerDoesNotRepeatTheBreach) {
  auto a1 = assignment("L1", "A1", "rep-1", v1::TIER_HIGH_INTENT, t0, t0);
  SlaState s = *on_assignment(a1, nullptr, cfg, cal, t0).state;
  s = *on_timer("L1/breach", "A1", &s, cfg, cal, t0 + 5min).state;
  ASSERT_TRUE(s.clock.breached);
  auto a2 = assignment("L1", "A2", "rep-2", v1::TIER_HIGH_INTENT, t0 + 21min, t0);
  SlaDecision d = on_assignment(a2, &s, cfg, cal, t0 + 21min);
  ASSERT_EQ(d.outputs.size(), 1u);
  EXPECT_TRUE(sla_event(d, 0)->has_started());
  EXPECT_EQ(d.state->breached_reps, std::vector<std::string>{"rep-1"});
}

TEST_F(SlaClockTest, NewCycleResetsAttempts) {
  auto a1 = assignment("L1", "A1", "rep-1", v1::TIER_HIGH_INTENT, t0, t0);
  SlaState s = *on_assignment(a1, nullptr, cfg, cal, t0).state;
  s.attempts.push_back(Attempt{"X", "rep-1", v1::ACTIVITY_CALL, t0});
  s.status = ClockStatus::kStopped;
  auto a2 = assignment("L1", "A2", "rep-1", v1::TIER_HIGH_INTENT, t0 + 30 * 24h, t0);
  a2.set_cycle(1);
  SlaDecision d = on_assignment(a2, &s, cfg, cal, t0 + 30 * 24h);
  EXPECT_TRUE(d.state->attempts.empty());
  EXPECT_EQ(d.open_clocks_delta, 1);
}

TEST(TimerIds, RoundTrip) {
  EXPECT_EQ(timer_id("lead/with/slash", TimerKind::kEscalate), "lead/with/slash/escalate");
  auto p = parse_timer_id("lead/with/slash/escalate");
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->first, "lead/with/slash");
  EXPECT_EQ(p->second, TimerKind::kEscalate);
  EXPECT_FALSE(parse_timer_id("L1/nap").has_value());
}

}  // namespace
}  // namespace baton::sla
