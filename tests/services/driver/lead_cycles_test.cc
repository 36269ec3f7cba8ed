// A lead's whole life over months, on the three services chained in process:
// won, lost and recycled leads that raise their hand again start a new cycle
// (a new owner, a new clock, a new outcome); a recycled lead needs fresh
// intent, never its old signals. ctest -R 'ReturningBuyer|RecycledNeedsFreshIntent'.
#include <algorithm>

#include "chain.h"

namespace baton {
namespace {

using namespace std::chrono_literals;
using driver_test::Chain;

// The outcomes that close a cycle (won, lost), in order.
std::vector<v1::Stage> closing_outcomes(const Chain& c, const std::string& lead) {
  std::vector<v1::Stage> out;
  for (const auto& o : driver_test::outcomes(c, lead))
    if (o.stage() == v1::STAGE_WON || o.stage() == v1::STAGE_LOST) out.push_back(o.stage());
  return out;
}

bool timeline_has(const feedback::state::LeadRecord& r, const std::string& needle) {
  return std::any_of(r.timeline().begin(), r.timeline().end(), [&](const auto& e) {
    return std::any_of(e.reasons().begin(), e.reasons().end(),
                       [&](const std::string& s) { return s.find(needle) != std::string::npos; });
  });
}

// Capture, assignment, a call, and the owner works it to `end`.
std::string close_first_cycle(Chain& c, const std::string& lead, v1::Stage end,
                              runtime::TimePoint t0) {
  c.d.pipe(c.settings->topics.captured, lead, fuzz::sample_lead(lead, lead + "-cap-1", t0), t0);
  EXPECT_TRUE(c.d.rejections().empty()) << c.d.rejection_details()[0];
  auto a = c.assignments(lead);
  EXPECT_EQ(a.size(), 1u);
  if (a.empty()) return {};
  EXPECT_EQ(a[0].cycle(), 1);
  const std::string rep = a[0].owner_rep_id();
  auto call = fuzz::sample_activity(lead, lead + "-call-1", v1::ACTIVITY_CALL, t0 + 2min);
  call.set_rep_id(rep);
  c.d.pipe(driver_test::kActivities, lead, call, t0 + 2min);
  std::vector<v1::Stage> path = {v1::STAGE_QUALIFIED, v1::STAGE_OPPORTUNITY, end};
  if (end == v1::STAGE_RECYCLED) path = {v1::STAGE_RECYCLED};
  driver_test::work_through(c, lead, rep, path, t0 + 1h);
  EXPECT_TRUE(c.d.rejections().empty()) << c.d.rejection_details()[0];
  return rep;
}

TEST(ReturningBuyer, WonCustomerAsksAgainMonthsLaterAndGetsANewCycle) {
  Chain c;
  const auto t0 = fuzz::fuzz_now();
  const std::string rep = close_first_cycle(c, "L-won", v1::STAGE_WON, t0);
  auto rl = driver_test::router_lead(c, "L-won");
  ASSERT_TRUE(rl);
  EXPECT_EQ(rl->status(), "closed");
  EXPECT_EQ(rl->closed_stage(), v1::STAGE_WON);
  ASSERT_EQ(closing_outcomes(c, "L-won"), std::vector<v1::Stage>{v1::STAGE_WON});

  // Four months later the customer asks for a demo again, same lead id.
  const auto t1 = t0 + 24h * 120;
  c.d.advance(t1);
  c.d.pipe(c.settings->topics.captured, "L-won", fuzz::sample_lead("L-won", "L-won-cap-2", t1), t1);
  ASSERT_TRUE(c.d.rejections().empty()) << c.d.rejection_details()[0];
  auto a = c.assignments("L-won");
  ASSERT_EQ(a.size(), 2u) << "the returning buyer gets an owner";
  EXPECT_EQ(a[1].cycle(), 2);
  EXPECT_EQ(a[1].handoff().why(), "wants a demo");
  EXPECT_EQ(driver_test::clocks_started(c, "L-won"), 2) << "a new first-touch clock";

  auto fb = driver_test::feedback_lead(c, "L-won");
  ASSERT_TRUE(fb);
  EXPECT_EQ(fb->stage(), v1::STAGE_ASSIGNED);
  EXPECT_EQ(fb->cycle(), 2);
  EXPECT_TRUE(timeline_has(*fb, "returning: previous cycle won"));
  EXPECT_TRUE(timeline_has(*fb, "cycle 2"));

  // The new cycle ends in a new outcome.
  const std::string rep2 = a[1].owner_rep_id();
  driver_test::work_through(
      c, "L-won", rep2,
      {v1::STAGE_CONTACTED, v1::STAGE_QUALIFIED, v1::STAGE_OPPORTUNITY, v1::STAGE_LOST}, t1 + 1h);
  ASSERT_TRUE(c.d.rejections().empty()) << c.d.rejection_details()[0];
  EXPECT_EQ(closing_outcomes(c, "L-won"), (std::vector<v1::Stage>{v1::STAGE_WON, v1::STAGE_LOST}))
      << "one outcome per cycle";
  (void)rep;
}

TEST(ReturningBuyer, LostLeadReopensOnAStrongSignalNotOnAWeakOne) {
  Chain c;
  const auto t0 = fuzz::fuzz_now();
  close_first_cycle(c, "L-lost", v1::STAGE_LOST, t0);
  ASSERT_EQ(driver_test::router_lead(c, "L-lost")->status(), "closed");

  const auto t1 = t0 + 24h * 60;
  c.d.advance(t1);
  c.d.pipe(c.settings->topics.signals, "L-lost",
           fuzz::sample_signal("L-lost", "L-lost-view", v1::SIGNAL_PAGE_VIEW, t1), t1);
  EXPECT_EQ(c.assignments("L-lost").size(), 1u) << "a page view does not re-open a lost lead";
  EXPECT_EQ(driver_test::router_lead(c, "L-lost")->status(), "closed");

  c.d.pipe(c.settings->topics.signals, "L-lost",
           fuzz::sample_signal("L-lost", "L-lost-demo", v1::SIGNAL_DEMO_REQUEST, t1 + 1h), t1 + 1h);
  ASSERT_TRUE(c.d.rejections().empty()) << c.d.rejection_details()[0];
  auto a = c.assignments("L-lost");
  ASSERT_EQ(a.size(), 2u) << "a demo request re-opens it";
  EXPECT_EQ(a[1].cycle(), 2);
  EXPECT_EQ(driver_test::router_lead(c, "L-lost")->previous_outcome(), v1::STAGE_LOST);
  EXPECT_EQ(driver_test::clocks_started(c, "L-lost"), 2);
  EXPECT_EQ(driver_test::feedback_lead(c, "L-lost")->stage(), v1::STAGE_ASSIGNED);
}

TEST(RecycledNeedsFreshIntent, OldDemoRequestNeverRequalifiesARecycledLead) {
  Chain c;
  const auto t0 = fuzz::fuzz_now();
  close_first_cycle(c, "L-rec", v1::STAGE_RECYCLED, t0);
  auto rl = driver_test::router_lead(c, "L-rec");
  ASSERT_TRUE(rl);
  EXPECT_EQ(rl->status(), "nurture");
  EXPECT_EQ(rl->cycle(), 2);
  EXPECT_EQ(c.assignments("L-rec").size(), 1u) << "recycled to nurture, not re-routed at once";

  // A week later: a page view. The first cycle's demo request does not count.
  const auto t1 = t0 + 24h * 7;
  c.d.advance(t1);
  c.d.pipe(c.settings->topics.signals, "L-rec",
           fuzz::sample_signal("L-rec", "L-rec-view", v1::SIGNAL_PAGE_VIEW, t1), t1);
  EXPECT_EQ(c.assignments("L-rec").size(), 1u);
  rl = driver_test::router_lead(c, "L-rec");
  EXPECT_EQ(rl->status(), "nurture");
  EXPECT_LT(rl->score().intent(), c.settings->routing.scoring.intent_min);

  // Fresh intent in this cycle routes it again.
  c.d.pipe(c.settings->topics.signals, "L-rec",
           fuzz::sample_signal("L-rec", "L-rec-demo", v1::SIGNAL_DEMO_REQUEST, t1 + 1h), t1 + 1h);
  auto a = c.assignments("L-rec");
  ASSERT_EQ(a.size(), 2u);
  EXPECT_EQ(a[1].cycle(), 2);
}

TEST(RecycledNeedsFreshIntent, DemoRequestDecaysByItsHalfLife) {
  Chain c;
  const auto t0 = fuzz::fuzz_now();
  // A demo request captured 90 days ago (six half-lives of 14 days) is
  // replayed now: it is not high intent any more.
  const auto then = t0 - 24h * 90;
  c.d.pipe(c.settings->topics.captured, "L-old", fuzz::sample_lead("L-old", "L-old-cap", then), t0);
  ASSERT_TRUE(c.d.rejections().empty()) << c.d.rejection_details()[0];
  auto rl = driver_test::router_lead(c, "L-old");
  ASSERT_TRUE(rl);
  EXPECT_NE(rl->tier(), v1::TIER_HIGH_INTENT);
  for (const auto& a : c.assignments("L-old")) EXPECT_NE(a.tier(), v1::TIER_HIGH_INTENT);
}

// The minimum-attempts guard applies per cycle (issue 19): an "unresponsive"
// recycle needs the minimum contact attempts (the example: 6 over 3 distinct
// days) made in the current cycle; a returning lead's earlier attempts do not
// count. The guard is the SLA monitor's, on the CRM's stage changes.
// ctest -R MinAttemptsPerCycle.
inline constexpr const char* kCrmStages = "baton.crm.stage-changes";

// `n` calls by `rep`, two a day from `from` (so n/2 distinct days, rounded up).
void calls(Chain& c, const std::string& lead, const std::string& rep, int n,
           runtime::TimePoint from, const std::string& tag) {
  for (int i = 0; i < n; ++i) {
    const auto t = from + 24h * (i / 2) + 1h * (i % 2);
    c.d.advance(t);
    auto call = fuzz::sample_activity(lead, lead + "-" + tag + "-call-" + std::to_string(i),
                                      v1::ACTIVITY_CALL, t);
    call.set_rep_id(rep);
    c.d.pipe(driver_test::kActivities, lead, call, t);
  }
}

// The owner asks the CRM to recycle the lead as unresponsive.
void recycle_unresponsive(Chain& c, const std::string& lead, const std::string& rep,
                          runtime::TimePoint t, const std::string& tag) {
  c.d.advance(t);
  auto sc = fuzz::sample_stage(lead, lead + "-recycle-" + tag, v1::STAGE_RECYCLED, t);
  sc.set_owner_rep_id(rep);
  sc.mutable_disposition()->set_reason(v1::DISPOSITION_UNRESPONSIVE);
  sc.mutable_disposition()->set_text("no answer");
  c.d.pipe(kCrmStages, lead, sc, t);
}

std::vector<v1::RecycleRejected> recycle_refusals(const Chain& c, const std::string& lead) {
  std::vector<v1::RecycleRejected> out;
  for (const auto& e : c.sla_events())
    if (e.has_recycle_rejected() && e.recycle_rejected().envelope().lead_id() == lead)
      out.push_back(e.recycle_rejected());
  return out;
}

TEST(MinAttemptsPerCycle, AReturningLeadMustMakeTheMinimumAgainInItsNewCycle) {
  Chain c;
  const std::string lead = "L-att";
  const auto t0 = fuzz::fuzz_now();
  c.d.pipe(c.settings->topics.captured, lead, fuzz::sample_lead(lead, lead + "-cap-1", t0), t0);
  ASSERT_TRUE(c.d.rejections().empty()) << c.d.rejection_details()[0];
  auto a = c.assignments(lead);
  ASSERT_EQ(a.size(), 1u);
  const std::string rep1 = a[0].owner_rep_id();

  // Cycle 1: six calls over three days, then "unresponsive": accepted.
  calls(c, lead, rep1, 6, t0 + 10min, "c1");
  recycle_unresponsive(c, lead, rep1, t0 + 24h * 3, "c1");
  ASSERT_TRUE(c.d.rejections().empty()) << c.d.rejection_details()[0];
  EXPECT_TRUE(recycle_refusals(c, lead).empty()) << "the minimum was made in cycle 1";
  ASSERT_EQ(driver_test::feedback_lead(c, lead)->stage(), v1::STAGE_RECYCLED);

  // A month later the lead asks for a demo: cycle 2, a new owner and clock.
  const auto t1 = t0 + 24h * 30;
  c.d.advance(t1);
  c.d.pipe(c.settings->topics.signals, lead,
           fuzz::sample_signal(lead, lead + "-demo-2", v1::SIGNAL_DEMO_REQUEST, t1), t1);
  ASSERT_TRUE(c.d.rejections().empty()) << c.d.rejection_details()[0];
  a = c.assignments(lead);
  ASSERT_EQ(a.size(), 2u);
  EXPECT_EQ(a[1].cycle(), 2);
  const std::string rep2 = a[1].owner_rep_id();

  // One call in cycle 2, then "unresponsive": refused, the six calls of
  // cycle 1 do not count.
  calls(c, lead, rep2, 1, t1 + 10min, "c2a");
  recycle_unresponsive(c, lead, rep2, t1 + 1h, "c2a");
  ASSERT_TRUE(c.d.rejections().empty()) << c.d.rejection_details()[0];
  auto refused = recycle_refusals(c, lead);
  ASSERT_EQ(refused.size(), 1u);
  EXPECT_EQ(refused[0].attempts(), 1);
  EXPECT_EQ(refused[0].required_attempts(), 6);
  EXPECT_EQ(refused[0].distinct_days(), 1);
  EXPECT_EQ(refused[0].missing(), "5 more contact attempts; 2 more distinct days");
  EXPECT_NE(driver_test::feedback_lead(c, lead)->stage(), v1::STAGE_RECYCLED);

  // Five more calls over the next three days: the minimum, in this cycle.
  calls(c, lead, rep2, 5, t1 + 24h, "c2b");
  recycle_unresponsive(c, lead, rep2, t1 + 24h * 4, "c2b");
  ASSERT_TRUE(c.d.rejections().empty()) << c.d.rejection_details()[0];
  EXPECT_EQ(recycle_refusals(c, lead).size(), 1u);
  EXPECT_EQ(driver_test::feedback_lead(c, lead)->stage(), v1::STAGE_RECYCLED);
  EXPECT_EQ(driver_test::feedback_lead(c, lead)->cycle(), 3) << "recycled again: a new cycle";
}

}  // namespace
}  // namespace baton
