#include "domain/lead.h"

#include <gtest/gtest.h>

#include "domain/lifecycle.h"
#include "fixtures.h"

namespace baton::feedback {
namespace {

using namespace test;

const FeedbackPolicy kPolicy{};

TEST(Lead, CaptureStartsTheRecordWithAttributionAndNoPii) {
  const auto s = on_lead_captured(std::nullopt, captured("c1", 1000), kPolicy, tp(0));
  ASSERT_TRUE(s.lead);
  const auto& l = *s.lead;
  EXPECT_EQ(l.lead_id(), "L1");
  EXPECT_EQ(l.stage(), v1::STAGE_CAPTURED);
  EXPECT_EQ(l.source(), "google");
  EXPECT_EQ(l.campaign(), "spring");
  EXPECT_EQ(l.first_touch().campaign(), "awareness");
  EXPECT_EQ(l.creation_touch().campaign(), "spring");
  EXPECT_EQ(l.landing_page(), "/lp/spring");
  EXPECT_EQ(l.ad_message(), "ad spring");
  EXPECT_TRUE(s.funnel.empty()) << "a lead counts once the router accepted it";
  EXPECT_EQ(l.SerializeAsString().find("ada@example.com"), std::string::npos);
  ASSERT_EQ(l.timeline_size(), 1);
  EXPECT_EQ(l.timeline(0).kind(), "captured");
  EXPECT_TRUE(s.lifecycle.empty());
  EXPECT_TRUE(s.outcomes.empty());
}

TEST(Lead, AttributionContextDoesNotDependOnWhetherCaptureOrAssignmentArrivesFirst) {
  // The router's handoff names the first touch's ad and both touches.
  auto a = assignment("a1", 1060, "rep-1");
  auto* h = a.mutable_assignment()->mutable_handoff();
  const auto c = captured("c1", 1000);
  *h->mutable_first_touch() = c.first_touch();
  *h->mutable_latest_touch() = c.latest_touch();
  h->set_landing_page("/lp/awareness");
  h->set_ad_message("ad awareness");
  MaybeLead capture_first, assignment_first;
  adopt(capture_first, on_lead_captured(capture_first, c, kPolicy, tp(0)));
  adopt(capture_first, on_routing_event(capture_first, a, kPolicy, tp(0)));
  adopt(assignment_first, on_routing_event(assignment_first, a, kPolicy, tp(0)));
  const auto s = on_lead_captured(assignment_first, c, kPolicy, tp(0));
  adopt(assignment_first, s);
  for (const auto* l : {&*capture_first, &*assignment_first}) {
    EXPECT_EQ(l->creation_touch().campaign(), "spring");
    EXPECT_EQ(l->landing_page(), "/lp/spring");
    EXPECT_EQ(l->ad_message(), "ad spring");
    EXPECT_EQ(l->middle_touches_size(), 0);
    EXPECT_TRUE(l->capture_seen());
  }
  for (const auto& e : s.lead->timeline()) {
    if (e.kind() == "captured") {
      EXPECT_EQ(e.detail().find("repeat"), std::string::npos);
    }
  }
}

TEST(Lead, AssignmentDerivesAssignedAndKeepsTheHandoff) {
  MaybeLead l;
  adopt(l, on_lead_captured(l, captured("c1", 1000), kPolicy, tp(0)));
  const auto s = on_routing_event(l, assignment("a1", 1060, "rep-1", 60, 20), kPolicy, tp(0));
  ASSERT_TRUE(s.lead);
  EXPECT_EQ(s.lead->stage(), v1::STAGE_ASSIGNED);
  EXPECT_EQ(s.lead->owner_rep_id(), "rep-1");
  EXPECT_EQ(s.lead->score_fit_at_handoff(), 60);
  EXPECT_EQ(s.lead->tier_at_handoff(), v1::TIER_HIGH_INTENT);
  EXPECT_EQ(s.lead->score_band(), "75-100");
  ASSERT_EQ(s.calibration.size(), 1u);
  EXPECT_TRUE(s.calibration[0].handoff);
  ASSERT_EQ(s.lifecycle.size(), 1u);
  EXPECT_EQ(s.lifecycle[0].transitioned().from(), v1::STAGE_CAPTURED);
  EXPECT_EQ(s.lifecycle[0].transitioned().to(), v1::STAGE_ASSIGNED);
  EXPECT_EQ(s.lifecycle[0].transitioned().envelope().causation_id(), "a1");
  EXPECT_TRUE(s.outcomes.empty()) << "Assigned is not a marketing outcome";
  bool reasons = false;
  for (const auto& e : s.lead->timeline())
    if (e.kind() == "assigned")
      for (const auto& r : e.reasons()) reasons = reasons || r.find("emea-enterprise") == 5;
  EXPECT_TRUE(reasons) << "the assigned step names the rule that matched";
}

TEST(Lead, AssignmentForAnUnseenLeadCreatesItFromTheHandoff) {
  const auto s = on_routing_event(std::nullopt, assignment("a1", 1060, "rep-1"), kPolicy, tp(0));
  ASSERT_TRUE(s.lead);
  EXPECT_EQ(s.lead->stage(), v1::STAGE_ASSIGNED);
  EXPECT_EQ(s.lead->source(), "google");
  ASSERT_EQ(s.funnel.size(), 2u);
  EXPECT_EQ(s.funnel[0].stage, v1::STAGE_CAPTURED);
  EXPECT_EQ(s.funnel[1].stage, v1::STAGE_ASSIGNED);
}

TEST(Lead, ReassignmentChangesOwnerWithoutATransition) {
  MaybeLead l;
  adopt(l, on_routing_event(l, assignment("a1", 1060, "rep-1"), kPolicy, tp(0)));
  auto re = assignment("a2", 2000, "rep-2");
  re.mutable_assignment()->set_previous_owner_rep_id("rep-1");
  const auto s = on_routing_event(l, re, kPolicy, tp(0));
  EXPECT_EQ(s.lead->owner_rep_id(), "rep-2");
  EXPECT_TRUE(s.lifecycle.empty());
  EXPECT_TRUE(s.calibration.empty()) << "a lead is calibrated at its first handoff only";
  EXPECT_EQ(s.lead->timeline(s.lead->timeline_size() - 1).kind(), "reassigned");
}

TEST(Lead, FirstTouchDerivesContactedOnce) {
  MaybeLead l;
  adopt(l, on_routing_event(l, assignment("a1", 1000, "rep-1"), kPolicy, tp(0)));
  auto s = on_sales_activity(l, activity("t1", 1300, "rep-1"), kPolicy, tp(0));
  ASSERT_TRUE(s.lead);
  EXPECT_EQ(s.lead->stage(), v1::STAGE_CONTACTED);
  ASSERT_EQ(s.lifecycle.size(), 1u);
  EXPECT_EQ(s.lifecycle[0].transitioned().to(), v1::STAGE_CONTACTED);
  adopt(l, s);
  s = on_sales_activity(l, activity("t2", 1400, "rep-1"), kPolicy, tp(0));
  EXPECT_TRUE(s.lifecycle.empty());
  EXPECT_EQ(s.lead->timeline(s.lead->timeline_size() - 1).kind(), "touch");
}

TEST(Lead, TouchBeforeAssignmentDerivesContactedWhenAssigned) {
  MaybeLead l;
  adopt(l, on_lead_captured(l, captured("c1", 1000), kPolicy, tp(0)));
  auto s = on_sales_activity(l, activity("t1", 1100, "rep-1"), kPolicy, tp(0));
  EXPECT_TRUE(s.lifecycle.empty());
  adopt(l, s);
  s = on_routing_event(l, assignment("a1", 1050, "rep-1"), kPolicy, tp(0));
  ASSERT_EQ(s.lifecycle.size(), 2u);
  EXPECT_EQ(s.lead->stage(), v1::STAGE_CONTACTED);
}

// Chaos run finding: the next cycle's first touch can be read before its
// assignment (other topics, read unevenly). It must still derive Contacted in
// the new cycle; a touch of the ended cycle must not.
TEST(Lead, NextCyclesTouchReadBeforeItsAssignmentDerivesContacted) {
  MaybeLead l;
  adopt(l, on_lead_captured(l, captured("c1", 1000), kPolicy, tp(0)));
  adopt(l, on_routing_event(l, assignment("a1", 1010, "rep-1"), kPolicy, tp(0)));
  adopt(l, on_sales_activity(l, activity("t1", 1020, "rep-1"), kPolicy, tp(0)));
  adopt(l, on_stage_change(l,
                           with_disposition(change("r1", 1030, v1::STAGE_RECYCLED, "rep-1"),
                                            v1::DISPOSITION_NO_URGENCY),
                           kPolicy, tp(0)));
  ASSERT_EQ(l->stage(), v1::STAGE_RECYCLED);
  adopt(l, on_sales_activity(l, activity("t2", 1200, "rep-2"), kPolicy, tp(0)));
  auto a2 = assignment("a2", 1100, "rep-2");
  a2.mutable_assignment()->set_cycle(2);
  auto s = on_routing_event(l, a2, kPolicy, tp(0));
  ASSERT_TRUE(s.lead);
  EXPECT_EQ(s.lead->stage(), v1::STAGE_CONTACTED);
  ASSERT_EQ(s.lifecycle.size(), 2u);
  EXPECT_EQ(s.lifecycle[1].transitioned().to(), v1::STAGE_CONTACTED);
  EXPECT_EQ(s.lead->first_touch_at().seconds(), 1200);
}

TEST(Lead, AnEndedCyclesTouchDoesNotContactTheNextCycle) {
  MaybeLead l;
  adopt(l, on_lead_captured(l, captured("c1", 1000), kPolicy, tp(0)));
  adopt(l, on_routing_event(l, assignment("a1", 1010, "rep-1"), kPolicy, tp(0)));
  adopt(l, on_sales_activity(l, activity("t1", 1020, "rep-1"), kPolicy, tp(0)));
  adopt(l, on_stage_change(l,
                           with_disposition(change("r1", 1030, v1::STAGE_RECYCLED, "rep-1"),
                                            v1::DISPOSITION_NO_URGENCY),
                           kPolicy, tp(0)));
  auto a2 = assignment("a2", 1100, "rep-2");
  a2.mutable_assignment()->set_cycle(2);
  auto s = on_routing_event(l, a2, kPolicy, tp(0));
  ASSERT_TRUE(s.lead);
  EXPECT_EQ(s.lead->stage(), v1::STAGE_ASSIGNED) << "cycle 1's touch is not cycle 2's";
  EXPECT_FALSE(s.lead->has_first_touch_at());
}

TEST(Lead, SlaMetGivesTheResponseTime) {
  MaybeLead l;
  adopt(l, on_routing_event(l, assignment("a1", 1000, "rep-1"), kPolicy, tp(0)));
  adopt(l, on_sla_event(l, sla_met("m1", 1200, "rep-1", 180), kPolicy, tp(0)));
  EXPECT_TRUE(l->responded());
  EXPECT_EQ(l->response_time_seconds(), 180);
  adopt(l, on_sla_event(l, sla_met("m2", 1300, "rep-1", 999), kPolicy, tp(0)));
  EXPECT_EQ(l->response_time_seconds(), 180) << "the first SlaMet of a cycle counts";
}

TEST(Lead, SlaEventsForUnknownLeadsAreIgnored) {
  const auto s = on_sla_event(std::nullopt, sla_met("m1", 1, "r", 1), kPolicy, tp(0));
  EXPECT_EQ(s.ignored, "unknown_lead");
  EXPECT_FALSE(s.lead);
}

// Found by the 1M-lead chaos run: a restarted instance caught up on the
// activities topic before the captured and routing topics, and the touch was
// dropped, so the lead never reached Contacted.
TEST(Lead, TouchReadBeforeCaptureAndAssignmentStillDerivesContacted) {
  MaybeLead l;
  auto s = on_sales_activity(l, activity("t1", 1100, "rep-1"), kPolicy, tp(0));
  ASSERT_TRUE(s.lead);
  EXPECT_TRUE(s.lifecycle.empty());
  EXPECT_TRUE(s.funnel.empty()) << "nothing is counted before the capture";
  adopt(l, s);
  s = on_lead_captured(l, captured("c1", 1000), kPolicy, tp(0));
  EXPECT_TRUE(s.funnel.empty()) << "not accepted by the router yet";
  EXPECT_EQ(s.lead->captured_at().seconds(), 1000) << "captured at the capture's time";
  adopt(l, s);
  s = on_routing_event(l, assignment("a1", 1050, "rep-1"), kPolicy, tp(0));
  ASSERT_FALSE(s.funnel.empty());
  EXPECT_EQ(s.funnel[0].stage, v1::STAGE_CAPTURED) << "the assignment counts Captured once";
  ASSERT_EQ(s.lifecycle.size(), 2u);
  EXPECT_EQ(s.lead->stage(), v1::STAGE_CONTACTED);
  EXPECT_EQ(s.lead->history_size(), 3) << "captured, assigned, contacted";
}

TEST(Lead, TouchReadBeforeTheAssignmentOfAnUncapturedLeadStillDerivesContacted) {
  MaybeLead l;
  adopt(l, on_sales_activity(l, activity("t1", 1100, "rep-1"), kPolicy, tp(0)));
  auto s = on_routing_event(l, assignment("a1", 1050, "rep-1"), kPolicy, tp(0));
  EXPECT_EQ(s.lead->stage(), v1::STAGE_CONTACTED);
  EXPECT_EQ(s.lead->history_size(), 3);
}

TEST(Lead, DuplicateInputsChangeNothing) {
  MaybeLead l;
  adopt(l, on_lead_captured(l, captured("c1", 1000), kPolicy, tp(0)));
  EXPECT_EQ(on_lead_captured(l, captured("c1", 1000), kPolicy, tp(0)).ignored, "duplicate");
  adopt(l, on_routing_event(l, assignment("a1", 1060, "rep-1"), kPolicy, tp(0)));
  const auto dup = on_routing_event(l, assignment("a1", 1060, "rep-1"), kPolicy, tp(0));
  EXPECT_EQ(dup.ignored, "duplicate");
  EXPECT_FALSE(dup.lead);
  EXPECT_TRUE(dup.lifecycle.empty());
  EXPECT_EQ(on_sla_event(l, sla_met("a1", 1, "r", 1), kPolicy, tp(0)).ignored, "duplicate");
}

TEST(Lead, SeenEventIdsAreBounded) {
  FeedbackPolicy p;
  p.max_seen_event_ids = 3;
  MaybeLead l;
  adopt(l, on_lead_captured(l, captured("c1", 1000), p, tp(0)));
  for (int i = 0; i < 5; ++i)
    adopt(l, on_sales_activity(l, activity("t" + std::to_string(i), 1100 + i, "r"), p, tp(0)));
  EXPECT_EQ(l->seen_event_ids_size(), 3);
  EXPECT_EQ(l->seen_event_ids(2), "t4");
}

TEST(Lead, MissingEventTimeUsesNow) {
  auto c = captured("c1", 1000);
  c.mutable_envelope()->clear_event_time();
  const auto s = on_lead_captured(std::nullopt, c, kPolicy, tp(4242));
  EXPECT_EQ(s.lead->captured_at().seconds(), 4242);
}

TEST(Lead, ErasureNamesEveryKeyOfTheLead) {
  EXPECT_EQ(erase_lead("L1"), (std::vector<std::string>{"lead/L1"}));
  EXPECT_EQ(lead_key("L1"), "lead/L1");
}

// Issue 16: the funnel counts a capture as a lead only when the router
// accepted it (assigned, nurtured or held), in either arrival order, once.
TEST(Lead, FunnelCountsACaptureOnlyWhenTheRouterAcceptedIt) {
  MaybeLead l;
  auto s = on_lead_captured(l, captured("c1", 1000), kPolicy, tp(0));
  EXPECT_TRUE(s.funnel.empty()) << "a merged or rejected capture never gets further";
  adopt(l, s);
  v1::RoutingEvent nurture;
  nurture.mutable_nurture()->mutable_envelope()->set_event_id("n1");
  nurture.mutable_nurture()->mutable_envelope()->set_lead_id("L1");
  s = on_routing_event(l, nurture, kPolicy, tp(0));
  ASSERT_EQ(s.funnel.size(), 1u);
  EXPECT_EQ(s.funnel[0].stage, v1::STAGE_CAPTURED);
  EXPECT_EQ(s.funnel[0].source, "google");
  adopt(l, s);
  s = on_routing_event(l, assignment("a1", 1050, "rep-1"), kPolicy, tp(0));
  for (const auto& f : s.funnel) EXPECT_NE(f.stage, v1::STAGE_CAPTURED) << "counted once";

  MaybeLead early;  // the router's decision read before the capture
  s = on_routing_event(early, nurture, kPolicy, tp(0));
  EXPECT_TRUE(s.funnel.empty()) << "source unknown until the capture";
  adopt(early, s);
  s = on_lead_captured(early, captured("c1", 1000), kPolicy, tp(0));
  ASSERT_EQ(s.funnel.size(), 1u);
  EXPECT_EQ(s.funnel[0].source, "google");
}

// Issue 16: a capture the router merged into an earlier lead of the same
// person is a touch of the surviving lead, never a lead in the funnel.
TEST(Lead, MergedCaptureIsATouchOfTheSurvivingLead) {
  MaybeLead l;
  auto s = on_lead_captured(l, captured("c1", 1000), kPolicy, tp(0));
  adopt(l, s);
  s = on_routing_event(l, assignment("a1", 1050, "rep-1"), kPolicy, tp(0));
  adopt(l, s);
  v1::RoutingEvent merged;
  auto* m = merged.mutable_merged();
  m->mutable_envelope()->set_event_id("m1");
  m->mutable_envelope()->set_lead_id("L1");
  m->set_merged_lead_id("L9");
  m->set_source("linkedin");
  m->mutable_touch()->set_campaign("webinar");
  m->mutable_touch()->set_url("https://example.com/webinar");
  m->mutable_touch()->mutable_time()->set_seconds(2000);
  s = on_routing_event(l, merged, kPolicy, tp(0));
  ASSERT_TRUE(s.lead);
  EXPECT_TRUE(s.funnel.empty()) << "a merged capture is not a lead";
  EXPECT_EQ(s.lead->latest_touch().campaign(), "webinar");
  bool on_timeline = false;
  for (const auto& e : s.lead->timeline()) on_timeline |= e.kind() == "merged_capture";
  EXPECT_TRUE(on_timeline);
}

}  // namespace
}  // namespace baton::feedback
