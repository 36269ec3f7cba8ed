#include <gtest/gtest.h>

#include "domain/lead.h"
#include "domain/lifecycle.h"
#include "fixtures.h"

namespace baton::feedback {
namespace {

using namespace test;

const FeedbackPolicy kPolicy{};

// Captured at 1000 (first touch 900), assigned at 1060, contacted at 1360.
MaybeLead contacted_lead() {
  MaybeLead l;
  adopt(l, on_lead_captured(l, captured("c1", 1000), kPolicy, tp(0)));
  adopt(l, on_routing_event(l, assignment("a1", 1060, "rep-1", 60, 20), kPolicy, tp(0)));
  adopt(l, on_sla_event(l, sla_met("m1", 1360, "rep-1", 300), kPolicy, tp(0)));
  adopt(l, on_sales_activity(l, activity("t1", 1360, "rep-1"), kPolicy, tp(0)));
  return l;
}

TEST(StageChange, UnknownLeadIsRefusedWithoutState) {
  const auto s =
      on_stage_change(std::nullopt, change("s1", 1, v1::STAGE_QUALIFIED), kPolicy, tp(0));
  EXPECT_FALSE(s.lead);
  ASSERT_EQ(s.lifecycle.size(), 1u);
  EXPECT_EQ(s.lifecycle[0].rejected().rule(), "unknown_lead");
  EXPECT_EQ(s.lifecycle[0].rejected().envelope().lead_id(), "L1");
  EXPECT_EQ(s.rejected_rules, (std::vector<std::string>{"unknown_lead"}));
}

TEST(StageChange, QualifiedEmitsTransitionAndOutcomeWithContext) {
  auto l = contacted_lead();
  ASSERT_EQ(l->stage(), v1::STAGE_CONTACTED);
  const auto s =
      on_stage_change(l, change("s1", 2000, v1::STAGE_QUALIFIED, "rep-1"), kPolicy, tp(0));
  ASSERT_EQ(s.lifecycle.size(), 1u);
  EXPECT_EQ(s.lifecycle[0].transitioned().from(), v1::STAGE_CONTACTED);
  EXPECT_EQ(s.lifecycle[0].transitioned().to(), v1::STAGE_QUALIFIED);
  EXPECT_EQ(s.lifecycle[0].transitioned().at().seconds(), 2000);
  ASSERT_EQ(s.outcomes.size(), 1u);
  const auto& o = s.outcomes[0];
  EXPECT_EQ(o.stage(), v1::STAGE_QUALIFIED);
  EXPECT_EQ(o.source(), "google");
  EXPECT_EQ(o.campaign(), "spring");
  EXPECT_EQ(o.first_touch().campaign(), "awareness");
  EXPECT_EQ(o.landing_page(), "/lp/spring");
  EXPECT_EQ(o.score_fit_at_handoff(), 60);
  EXPECT_EQ(o.tier_at_handoff(), v1::TIER_HIGH_INTENT);
  EXPECT_EQ(o.owner_rep_id(), "rep-1");
  EXPECT_EQ(o.response_time_seconds(), 300);
  EXPECT_EQ(o.envelope().lead_id(), "L1");
  EXPECT_EQ(o.envelope().causation_id(), "s1");
  // Captured 60s, Assigned 300s, Contacted 640s.
  ASSERT_EQ(o.stage_durations_size(), 3);
  EXPECT_EQ(o.stage_durations(0).stage(), v1::STAGE_CAPTURED);
  EXPECT_EQ(o.stage_durations(0).seconds(), 60);
  EXPECT_EQ(o.stage_durations(1).seconds(), 300);
  EXPECT_EQ(o.stage_durations(2).seconds(), 640);
  ASSERT_EQ(s.funnel.size(), 1u);
  EXPECT_EQ(s.funnel[0].stage, v1::STAGE_QUALIFIED);
}

TEST(StageChange, RefusedTransitionIsNotAppliedButIsOnTheTimeline) {
  auto l = contacted_lead();
  const auto s = on_stage_change(l, won("s1", 2000, 100), kPolicy, tp(0));
  ASSERT_TRUE(s.lead);
  EXPECT_EQ(s.lead->stage(), v1::STAGE_CONTACTED);
  ASSERT_EQ(s.lifecycle.size(), 1u);
  EXPECT_EQ(s.lifecycle[0].rejected().rule(), "skips_stages");
  EXPECT_EQ(s.lifecycle[0].rejected().from(), v1::STAGE_CONTACTED);
  EXPECT_TRUE(s.outcomes.empty());
  EXPECT_EQ(s.lead->timeline(s.lead->timeline_size() - 1).kind(), "transition_rejected");
}

TEST(StageChange, OutOfOrderIsRefused) {
  auto l = contacted_lead();  // Contacted at 1360
  const auto s = on_stage_change(l, change("s1", 1359, v1::STAGE_QUALIFIED), kPolicy, tp(0));
  ASSERT_EQ(s.lifecycle.size(), 1u);
  EXPECT_EQ(s.lifecycle[0].rejected().rule(), "out_of_order");
  EXPECT_EQ(s.lead->stage(), v1::STAGE_CONTACTED);
  // Same instant is in order.
  EXPECT_TRUE(on_stage_change(l, change("s2", 1360, v1::STAGE_QUALIFIED), kPolicy, tp(0))
                  .lifecycle[0]
                  .has_transitioned());
}

TEST(StageChange, DuplicateIsDroppedWithoutASecondOutcome) {
  auto l = contacted_lead();
  const auto first = on_stage_change(l, change("s1", 2000, v1::STAGE_QUALIFIED), kPolicy, tp(0));
  adopt(l, first);
  const auto again = on_stage_change(l, change("s1", 2000, v1::STAGE_QUALIFIED), kPolicy, tp(0));
  EXPECT_EQ(again.ignored, "duplicate");
  EXPECT_FALSE(again.lead);
  EXPECT_TRUE(again.outcomes.empty());
  EXPECT_TRUE(again.lifecycle.empty());
  // The same change with a new id is a same-stage refusal, not a new outcome.
  const auto resent = on_stage_change(l, change("s9", 2001, v1::STAGE_QUALIFIED), kPolicy, tp(0));
  EXPECT_EQ(resent.lifecycle[0].rejected().rule(), "same_stage");
  EXPECT_TRUE(resent.outcomes.empty());
}

TEST(StageChange, DispositionRules) {
  auto l = contacted_lead();
  auto missing = on_stage_change(l, change("s1", 2000, v1::STAGE_REJECTED), kPolicy, tp(0));
  EXPECT_EQ(missing.lifecycle[0].rejected().rule(), "disposition_required");
  auto other = on_stage_change(
      l, with_disposition(change("s2", 2000, v1::STAGE_REJECTED), v1::DISPOSITION_OTHER), kPolicy,
      tp(0));
  EXPECT_EQ(other.lifecycle[0].rejected().rule(), "disposition_text_required");
  auto okay = on_stage_change(
      l, with_disposition(change("s3", 2000, v1::STAGE_REJECTED), v1::DISPOSITION_WRONG_ICP),
      kPolicy, tp(0));
  ASSERT_TRUE(okay.lifecycle[0].has_transitioned());
  EXPECT_EQ(okay.lifecycle[0].transitioned().disposition().reason(), v1::DISPOSITION_WRONG_ICP);
  ASSERT_EQ(okay.outcomes.size(), 1u);
  EXPECT_EQ(okay.outcomes[0].disposition().reason(), v1::DISPOSITION_WRONG_ICP);
  ASSERT_EQ(okay.funnel.size(), 1u);
  EXPECT_EQ(okay.funnel[0].disposition, "wrong_icp");
}

TEST(StageChange, WonNeedsAmountAndCurrencyAndIsAttributed) {
  auto l = contacted_lead();
  adopt(l, on_stage_change(l, change("s1", 2000, v1::STAGE_QUALIFIED), kPolicy, tp(0)));
  auto opp = on_stage_change(l, change("s2", 3000, v1::STAGE_OPPORTUNITY), kPolicy, tp(0));
  ASSERT_EQ(opp.calibration.size(), 1u) << "Opportunity converts for calibration";
  EXPECT_TRUE(opp.calibration[0].converted);
  adopt(l, opp);
  EXPECT_EQ(on_stage_change(l, won("s3", 4000, 0), kPolicy, tp(0)).lifecycle[0].rejected().rule(),
            "won_amount_required");
  EXPECT_EQ(
      on_stage_change(l, won("s4", 4000, 10, "eur"), kPolicy, tp(0)).lifecycle[0].rejected().rule(),
      "won_amount_required");
  const auto w = on_stage_change(l, won("s5", 4000, 1000001), kPolicy, tp(0));
  ASSERT_EQ(w.outcomes.size(), 1u);
  const auto& o = w.outcomes[0];
  EXPECT_EQ(o.amount_minor(), 1000001);
  EXPECT_EQ(o.currency(), "EUR");
  int64_t sum = 0;
  for (const auto& c : o.attribution().w_shaped()) sum += c.amount_minor();
  EXPECT_EQ(sum, 1000001);
  EXPECT_EQ(o.attribution().first_touch(0).campaign(), "awareness");
  adopt(l, w);
  EXPECT_EQ(
      on_stage_change(
          l, with_disposition(change("s6", 5000, v1::STAGE_RECYCLED), v1::DISPOSITION_NO_URGENCY),
          kPolicy, tp(0))
          .lifecycle[0]
          .rejected()
          .rule(),
      "terminal_stage");
}

TEST(StageChange, RecycleStartsANewCycleThroughAssignment) {
  auto l = contacted_lead();
  adopt(l,
        on_stage_change(
            l, with_disposition(change("s1", 2000, v1::STAGE_RECYCLED), v1::DISPOSITION_NO_URGENCY),
            kPolicy, tp(0)));
  EXPECT_EQ(l->stage(), v1::STAGE_RECYCLED);
  EXPECT_EQ(l->cycle(), 1);
  const auto s = on_routing_event(l, assignment("a2", 9000, "rep-2"), kPolicy, tp(0));
  EXPECT_EQ(s.lead->stage(), v1::STAGE_ASSIGNED);
  EXPECT_TRUE(s.funnel.empty()) << "each stage counts once per lead in the funnel";
  EXPECT_FALSE(s.lead->responded()) << "a new cycle measures a new first response";
  adopt(l, s);
  const auto again = on_stage_change(
      l, with_disposition(change("s2", 9500, v1::STAGE_RECYCLED), v1::DISPOSITION_UNRESPONSIVE),
      kPolicy, tp(0));
  ASSERT_EQ(again.funnel.size(), 1u);
  EXPECT_FALSE(again.funnel[0].first) << "the lead was recycled before";
  EXPECT_EQ(again.funnel[0].disposition, "unresponsive") << "every disposition counts";
  EXPECT_EQ(again.outcomes.size(), 1u) << "a new cycle's recycle is a new outcome";
}

TEST(StageChange, FullJourneyTimelineIsOrderedAndComplete) {
  auto l = contacted_lead();
  adopt(l, on_stage_change(l, change("s1", 2000, v1::STAGE_QUALIFIED), kPolicy, tp(0)));
  adopt(l, on_stage_change(l, change("s2", 3000, v1::STAGE_OPPORTUNITY), kPolicy, tp(0)));
  adopt(l, on_stage_change(l, won("s3", 4000, 500), kPolicy, tp(0)));
  std::vector<std::string> kinds;
  int64_t prev = 0;
  for (const auto& e : l->timeline()) {
    EXPECT_GE(e.at().seconds(), prev);
    prev = e.at().seconds();
    kinds.push_back(e.kind());
  }
  for (const char* k :
       {"captured", "scored", "assigned", "stage_changed", "sla_met", "touch", "outcome"})
    EXPECT_NE(std::find(kinds.begin(), kinds.end(), k), kinds.end()) << k;
  EXPECT_EQ(kinds.back(), "outcome");
  EXPECT_EQ(l->stage(), v1::STAGE_WON);
}

}  // namespace
}  // namespace baton::feedback
