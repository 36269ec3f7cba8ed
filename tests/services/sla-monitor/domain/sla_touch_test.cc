// Touches, scheduled callbacks, stage changes and minimum contact attempts.
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

class SlaTouchTest : public ::testing::Test {
 protected:
  void start(v1::Tier tier, TimePoint at) {
    auto a = assignment("L1", "A1", "rep-1", tier, at, at - 90s);
    s = *on_assignment(a, nullptr, cfg, cal, at).state;
  }
  SlaDecision act(const std::string& id, const std::string& rep, v1::ActivityType type,
                  TimePoint at) {
    SlaDecision d = on_activity(activity("L1", id, rep, type, at), &s, cfg, cal, at);
    if (d.state) s = *d.state;
    return d;
  }
  SlaDecision stage(const std::string& id, v1::Stage st, v1::DispositionReason reason,
                    TimePoint at) {
    v1::StageChange sc;
    sc.mutable_envelope()->set_lead_id("L1");
    sc.mutable_envelope()->set_event_id(id);
    *sc.mutable_envelope()->mutable_event_time() = testing::ts(at);
    sc.set_stage(st);
    sc.mutable_disposition()->set_reason(reason);
    SlaDecision d = on_stage_change(sc, &s, cfg, cal, at);
    if (d.state) s = *d.state;
    return d;
  }
  SlaConfig cfg = testing::example_config();
  Calendar cal = testing::new_york();
  TimePoint t0 = utc(2024, 7, 9, 14, 0);  // Tuesday 10:00 EDT
  SlaState s;
};

TEST_F(SlaTouchTest, OwnersQualifyingTouchMeetsTheSlaWithTheResponseSplit) {
  start(v1::TIER_HIGH_INTENT, t0);
  SlaDecision d = act("S1", "rep-1", v1::ACTIVITY_CALL, t0 + 3min);
  EXPECT_EQ(s.status, ClockStatus::kMet);
  EXPECT_EQ(d.open_clocks_delta, -1);
  ASSERT_EQ(d.outputs.size(), 1u);
  const auto& met = sla_event(d, 0)->met();
  EXPECT_TRUE(met.within_sla());
  EXPECT_EQ(met.owner_rep_id(), "rep-1");
  EXPECT_DOUBLE_EQ(met.system_delay_seconds(), 90.0);
  EXPECT_DOUBLE_EQ(met.rep_delay_seconds(), 180.0);
  EXPECT_EQ(met.activity_type(), "call");
  EXPECT_EQ(d.outputs[0].event_id, "S1/sla.met");
  for (const char* t : {"L1/warn", "L1/breach", "L1/escalate", "L1/reassign"})
    EXPECT_TRUE(cancels(d, t)) << t;
  // A second touch changes nothing but the attempt count.
  SlaDecision again = act("S2", "rep-1", v1::ACTIVITY_EMAIL, t0 + 4min);
  EXPECT_TRUE(again.outputs.empty());
  EXPECT_EQ(s.attempts.size(), 2u);
}

TEST_F(SlaTouchTest, LateTouchIsMetOutsideTheSla) {
  start(v1::TIER_HIGH_INTENT, t0);
  SlaDecision d = act("S1", "rep-1", v1::ACTIVITY_EMAIL, t0 + 8min);
  EXPECT_FALSE(sla_event(d, 0)->met().within_sla());
}

TEST_F(SlaTouchTest, TouchBySomeoneElseDoesNotStopTheClock) {
  start(v1::TIER_HIGH_INTENT, t0);
  SlaDecision d = act("S1", "rep-2", v1::ACTIVITY_CALL, t0 + 1min);
  EXPECT_TRUE(d.outputs.empty());
  EXPECT_EQ(s.status, ClockStatus::kOpen);
  EXPECT_EQ(s.attempts.size(), 1u);
}

TEST_F(SlaTouchTest, NonQualifyingActivityDoesNotStopTheClock) {
  start(v1::TIER_STANDARD, t0);  // standard qualifies call, email, connect
  SlaDecision d = act("S1", "rep-1", v1::ACTIVITY_LINKEDIN, t0 + 1min);
  EXPECT_TRUE(d.outputs.empty());
  EXPECT_EQ(s.status, ClockStatus::kOpen);
}

TEST_F(SlaTouchTest, BusinessHoursRepDelayCountsOnlyWorkingTime) {
  TimePoint fri = utc(2024, 7, 12, 20, 55);  // Friday 16:55 EDT
  start(v1::TIER_STANDARD, fri);
  SlaDecision d = act("S1", "rep-1", v1::ACTIVITY_CALL, utc(2024, 7, 15, 13, 5));  // Mon 09:05
  EXPECT_TRUE(sla_event(d, 0)->met().within_sla());
  EXPECT_DOUBLE_EQ(sla_event(d, 0)->met().rep_delay_seconds(), 600.0);
}

TEST_F(SlaTouchTest, ScheduledCallbackPausesTheClockUntilTheAgreedTime) {
  start(v1::TIER_HIGH_INTENT, t0);
  v1::SalesActivity cb = activity("L1", "S1", "rep-1", v1::ACTIVITY_SCHEDULED_CALLBACK, t0 + 2min);
  *cb.mutable_callback_at() = testing::ts(t0 + 2h);
  SlaDecision d = on_activity(cb, &s, cfg, cal, t0 + 2min);
  s = *d.state;
  EXPECT_EQ(s.status, ClockStatus::kOpen);
  EXPECT_EQ(s.clock.paused_until, t0 + 2h);
  // 3 of 5 minutes remained: due 3 minutes after the callback time.
  EXPECT_EQ(s.clock.deadline, t0 + 2h + 3min);
  EXPECT_EQ(s.clock.warn_at, t0 + 2h + 2min);
  EXPECT_EQ(s.clock.escalate_at, t0 + 2h + 8min);
  EXPECT_EQ(s.clock.reassign_at, t0 + 2h + 18min);
  EXPECT_TRUE(has_timer(d, "L1/breach", t0 + 2h + 3min));
  // The old breach instant passes quietly.
  EXPECT_TRUE(on_timer("L1/breach", "A1", &s, cfg, cal, t0 + 5min).outputs.empty());
  // A call at the agreed time meets the SLA.
  SlaDecision m = act("S2", "rep-1", v1::ACTIVITY_CALL, t0 + 2h + 1min);
  EXPECT_TRUE(sla_event(m, 0)->met().within_sla());
}

TEST_F(SlaTouchTest, CallbackByAnotherRepDoesNotPause) {
  start(v1::TIER_HIGH_INTENT, t0);
  v1::SalesActivity cb = activity("L1", "S1", "rep-2", v1::ACTIVITY_SCHEDULED_CALLBACK, t0 + 2min);
  *cb.mutable_callback_at() = testing::ts(t0 + 2h);
  s = *on_activity(cb, &s, cfg, cal, t0 + 2min).state;
  EXPECT_EQ(s.clock.deadline, t0 + 5min);
  EXPECT_FALSE(s.clock.paused_until.has_value());
}

TEST_F(SlaTouchTest, ProgressStageMeetsTheClockAndIsForwarded) {
  // The CRM moving the lead to Contacted is proof of contact even when the
  // touch itself lags on its topic: exactly one met, at the stage's time.
  start(v1::TIER_HIGH_INTENT, t0);
  SlaDecision d = stage("C1", v1::STAGE_CONTACTED, v1::DISPOSITION_UNSPECIFIED, t0 + 1min);
  ASSERT_EQ(d.outputs.size(), 2u);
  EXPECT_EQ(d.outputs[0].to, Destination::kLifecycle);
  EXPECT_TRUE(d.outputs[0].forward_input);
  EXPECT_EQ(std::get<v1::StageChange>(d.outputs[0].message).stage(), v1::STAGE_CONTACTED);
  const auto& met = sla_event(d, 1)->met();
  EXPECT_EQ(met.activity_type(), "stage_change");
  EXPECT_TRUE(met.within_sla());
  EXPECT_DOUBLE_EQ(met.rep_delay_seconds(), 60.0);
  EXPECT_EQ(s.status, ClockStatus::kMet);
  EXPECT_EQ(d.open_clocks_delta, -1);
  EXPECT_TRUE(cancels(d, "L1/breach"));
  // The touch that arrives later changes nothing.
  SlaDecision later = act("S9", "rep-1", v1::ACTIVITY_CALL, t0 + 30s);
  EXPECT_TRUE(later.outputs.empty());
}

TEST_F(SlaTouchTest, RejectedStopsTheClockWithoutMet) {
  start(v1::TIER_HIGH_INTENT, t0);
  SlaDecision d = stage("C1", v1::STAGE_REJECTED, v1::DISPOSITION_WRONG_ICP, t0 + 1min);
  ASSERT_EQ(d.outputs.size(), 1u);
  EXPECT_EQ(d.outputs[0].to, Destination::kLifecycle);
  EXPECT_EQ(s.status, ClockStatus::kStopped);
  EXPECT_EQ(d.open_clocks_delta, -1);
  EXPECT_TRUE(cancels(d, "L1/breach"));
}

TEST_F(SlaTouchTest, UnresponsiveRecycleBeforeMinimumAttemptsIsRefused) {
  start(v1::TIER_HIGH_INTENT, t0);
  act("S1", "rep-1", v1::ACTIVITY_CALL, t0 + 1min);
  act("S2", "rep-1", v1::ACTIVITY_EMAIL, t0 + 2h);
  SlaDecision d = stage("C1", v1::STAGE_RECYCLED, v1::DISPOSITION_UNRESPONSIVE, t0 + 3h);
  ASSERT_EQ(d.outputs.size(), 1u);
  EXPECT_EQ(d.outputs[0].to, Destination::kSlaEvents);
  const auto& r = sla_event(d, 0)->recycle_rejected();
  EXPECT_EQ(r.attempts(), 2);
  EXPECT_EQ(r.required_attempts(), 3);
  EXPECT_EQ(r.distinct_days(), 1);
  EXPECT_EQ(r.required_distinct_days(), 2);
  EXPECT_EQ(r.missing(), "1 more contact attempt; 1 more distinct day");
  EXPECT_EQ(r.owner_rep_id(), "rep-1");
  EXPECT_EQ(d.outputs[0].event_id, "C1/sla.recycle_rejected");
  EXPECT_FALSE(d.state.has_value());  // nothing changes
}

TEST_F(SlaTouchTest, UnresponsiveRecycleAfterEnoughAttemptsIsForwarded) {
  start(v1::TIER_HIGH_INTENT, t0);
  act("S1", "rep-1", v1::ACTIVITY_CALL, t0 + 1min);
  act("S2", "rep-2", v1::ACTIVITY_EMAIL, t0 + 2h);
  // Next local day (Wednesday) counts as a second distinct day.
  act("S3", "rep-1", v1::ACTIVITY_CALL, t0 + 24h);
  SlaDecision d = stage("C1", v1::STAGE_RECYCLED, v1::DISPOSITION_UNRESPONSIVE, t0 + 25h);
  ASSERT_EQ(d.outputs.size(), 1u);
  EXPECT_EQ(d.outputs[0].to, Destination::kLifecycle);
  EXPECT_EQ(s.last_stage, v1::STAGE_RECYCLED);
}

TEST_F(SlaTouchTest, DistinctDaysAreLocalDaysOfTheOwnersZone) {
  start(v1::TIER_HIGH_INTENT, t0);
  // 22:00 and 23:30 EDT on Tuesday are different UTC days, same local day.
  act("S1", "rep-1", v1::ACTIVITY_CALL, utc(2024, 7, 10, 2, 0));
  act("S2", "rep-1", v1::ACTIVITY_CALL, utc(2024, 7, 10, 3, 30));
  act("S3", "rep-1", v1::ACTIVITY_CALL, utc(2024, 7, 9, 20, 0));
  SlaDecision d = stage("C1", v1::STAGE_RECYCLED, v1::DISPOSITION_UNRESPONSIVE, t0 + 1h);
  EXPECT_EQ(sla_event(d, 0)->recycle_rejected().missing(), "1 more distinct day");
}

TEST_F(SlaTouchTest, ChannelsBasisCountsDistinctActivityTypes) {
  cfg.min_attempts.over = DistinctBasis::kChannels;
  start(v1::TIER_HIGH_INTENT, t0);
  act("S1", "rep-1", v1::ACTIVITY_CALL, t0 + 1min);
  act("S2", "rep-1", v1::ACTIVITY_CALL, t0 + 2min);
  act("S3", "rep-1", v1::ACTIVITY_SMS, t0 + 3min);
  SlaDecision d = stage("C1", v1::STAGE_RECYCLED, v1::DISPOSITION_UNRESPONSIVE, t0 + 1h);
  EXPECT_EQ(d.outputs[0].to, Destination::kLifecycle);
}

TEST_F(SlaTouchTest, OtherRecyclesAndUnknownLeadsAreForwarded) {
  start(v1::TIER_HIGH_INTENT, t0);
  SlaDecision d = stage("C1", v1::STAGE_RECYCLED, v1::DISPOSITION_NO_BUDGET, t0 + 1h);
  EXPECT_EQ(d.outputs[0].to, Destination::kLifecycle);
  v1::StageChange sc;
  sc.mutable_envelope()->set_lead_id("L9");
  sc.mutable_envelope()->set_event_id("C9");
  sc.set_stage(v1::STAGE_RECYCLED);
  sc.mutable_disposition()->set_reason(v1::DISPOSITION_UNRESPONSIVE);
  SlaDecision u = on_stage_change(sc, nullptr, cfg, cal, t0);
  ASSERT_EQ(u.outputs.size(), 1u);
  EXPECT_EQ(u.outputs[0].to, Destination::kLifecycle);
  EXPECT_FALSE(u.state.has_value());
}

TEST_F(SlaTouchTest, InvalidInputsAreRejected) {
  start(v1::TIER_HIGH_INTENT, t0);
  EXPECT_FALSE(on_activity(activity("", "S1", "rep-1", v1::ACTIVITY_CALL, t0), &s, cfg, cal, t0)
                   .invalid.empty());
  EXPECT_FALSE(on_activity(activity("L1", "S1", "", v1::ACTIVITY_CALL, t0), &s, cfg, cal, t0)
                   .invalid.empty());
  EXPECT_FALSE(
      on_activity(activity("L1", "S1", "rep-1", v1::ACTIVITY_UNSPECIFIED, t0), &s, cfg, cal, t0)
          .invalid.empty());
  v1::StageChange sc;
  sc.mutable_envelope()->set_lead_id("L1");
  sc.mutable_envelope()->set_event_id("C1");
  EXPECT_FALSE(on_stage_change(sc, &s, cfg, cal, t0).invalid.empty());
}

}  // namespace
}  // namespace baton::sla
