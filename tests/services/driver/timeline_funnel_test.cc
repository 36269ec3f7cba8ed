// Issue 19 points 2 and 8 through the in-process chain (router -> sla ->
// feedback): every signal that moved the score is on the timeline
// (TimelineSignals), /funnel gives the rep delay's p50/p90 by source and by
// campaign (FunnelResponseTime), and the router's waiting gauges count the
// leads that truly wait for an owner (WaitingLeads).
// ctest -R 'TimelineSignals|FunnelResponseTime|WaitingLeads'.
#include <nlohmann/json.hpp>

#include "app/queries.h"
#include "baton/v1/roster.pb.h"
#include "chain.h"

namespace baton {
namespace {

using namespace std::chrono_literals;
using driver_test::Chain;

std::vector<feedback::state::TimelineEntry> steps(const Chain& c, const std::string& lead,
                                                  const std::string& kind) {
  std::vector<feedback::state::TimelineEntry> out;
  if (auto rec = driver_test::feedback_lead(c, lead))
    for (const auto& e : rec->timeline())
      if (e.kind() == kind) out.push_back(e);
  return out;
}

v1::LeadCaptured lead_from(const std::string& lead, const std::string& email,
                           const std::string& source, const std::string& campaign,
                           runtime::TimePoint at) {
  auto l = fuzz::sample_lead(lead, "cap-" + lead, at);
  l.mutable_person()->set_email(email);
  l.set_source(source);
  l.set_campaign(campaign);
  return l;
}

TEST(TimelineSignals, EverySignalThatMovedTheScoreIsAStepWithItsOwner) {
  Chain c;
  const auto t0 = fuzz::fuzz_now();
  c.d.pipe(c.settings->topics.captured, "L-S", fuzz::sample_lead("L-S", "cap-s", t0), t0);
  ASSERT_TRUE(c.d.rejections().empty()) << c.d.rejection_details()[0];
  auto a = c.assignments("L-S");
  ASSERT_EQ(a.size(), 1u);
  const std::string owner = a[0].owner_rep_id();

  const auto t1 = t0 + 3min;
  const auto sig = fuzz::sample_signal("L-S", "sig-pricing", v1::SIGNAL_PRICING_PAGE_VIEW, t1);
  c.d.pipe(c.settings->topics.signals, "L-S", sig, t1 + 1s);
  c.d.pipe(c.settings->topics.signals, "L-S", sig, t1 + 2s);  // a replay
  ASSERT_TRUE(c.d.rejections().empty()) << c.d.rejection_details()[0];

  // The router named the signal on the ScoreUpdated it caused.
  int annotated = 0;
  for (const auto& ev : c.d.read<v1::RoutingEvent>(c.settings->topics.routing))
    if (ev.has_score_updated() && ev.score_updated().signal_type() != v1::SIGNAL_UNSPECIFIED) {
      ++annotated;
      const auto& u = ev.score_updated();
      EXPECT_EQ(u.signal_type(), v1::SIGNAL_PRICING_PAGE_VIEW);
      EXPECT_GT(u.signal_points(), 0);
      EXPECT_GT(u.score().intent(), u.previous_intent());
      EXPECT_EQ(u.owner(), owner);
    }
  EXPECT_EQ(annotated, 1) << "the replay moved nothing";

  auto s = steps(c, "L-S", "signal");
  ASSERT_EQ(s.size(), 1u);
  EXPECT_EQ(runtime::to_millis(time::from_timestamp(s[0].at())), runtime::to_millis(t1));
  EXPECT_EQ(s[0].owner_rep_id(), owner);
  EXPECT_EQ(s[0].detail().rfind("SIGNAL_PRICING_PAGE_VIEW: fit ", 0), 0u) << s[0].detail();
  ASSERT_GE(s[0].reasons_size(), 2);
  EXPECT_EQ(s[0].reasons(0).rfind("points +", 0), 0u);

  // A negative signal moves the score too: a second step, in time order.
  const auto t2 = t1 + 10min;
  c.d.pipe(c.settings->topics.signals, "L-S",
           fuzz::sample_signal("L-S", "sig-careers", v1::SIGNAL_CAREERS_PAGE_VIEW, t2), t2);
  s = steps(c, "L-S", "signal");
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s[1].detail().rfind("SIGNAL_CAREERS_PAGE_VIEW", 0), 0u);
  EXPECT_EQ(s[1].reasons(0).rfind("points -", 0), 0u);
}

// The funnel's report, as /funnel serves it, over the chain's feedback state.
nlohmann::json funnel(const Chain& c, const std::string& by) {
  runtime::StateScan scan = [&](std::string_view, std::string_view prefix, const auto& fn) {
    c.d.state("feedback").scan(prefix, fn);
  };
  feedback::app::FeedbackConfig config;
  auto r = feedback::app::funnel_query(scan, by, config);
  EXPECT_EQ(r.status, 200);
  return nlohmann::json::parse(r.body);
}

const nlohmann::json* row(const nlohmann::json& report, const std::string& by,
                          const std::string& key) {
  for (const auto& r : report["rows"])
    if (r[by] == key) return &r;
  return nullptr;
}

TEST(FunnelResponseTime, RepDelayP50P90BySourceAndCampaign) {
  Chain c;
  const auto t0 = fuzz::fuzz_now();
  // Two web/spring leads answered after 2 and 10 minutes, one
  // paid_search/autumn lead after 15 (all before a reassignment at 20).
  struct Case {
    std::string lead, email, source, campaign;
    std::chrono::seconds delay;
  };
  const std::vector<Case> cases = {
      {"L-F1", "f1@one.example", "web", "spring", 120s},
      {"L-F2", "f2@two.example", "web", "spring", 600s},
      {"L-F3", "f3@three.example", "paid_search", "autumn", 900s},
  };
  for (const auto& k : cases) {
    c.d.pipe(c.settings->topics.captured, k.lead,
             lead_from(k.lead, k.email, k.source, k.campaign, t0), t0);
    ASSERT_TRUE(c.d.rejections().empty()) << c.d.rejection_details()[0];
    ASSERT_EQ(c.assignments(k.lead).size(), 1u) << k.lead;
  }
  // The owners call back in time order (cases are ordered by delay).
  for (const auto& k : cases) {
    const auto a = c.assignments(k.lead);
    const auto call_at = time::from_timestamp(a[0].assigned_at()) + k.delay;
    auto call = fuzz::sample_activity(k.lead, "call-" + k.lead, v1::ACTIVITY_CALL, call_at);
    call.set_rep_id(a[0].owner_rep_id());
    c.d.pipe(driver_test::kActivities, k.lead, call, call_at);
    ASSERT_TRUE(c.d.rejections().empty()) << c.d.rejection_details()[0];
  }

  const auto by_source = funnel(c, "source");
  const auto* web = row(by_source, "source", "web");
  ASSERT_NE(web, nullptr) << by_source.dump();
  EXPECT_EQ((*web)["response_time"]["rep_delays"], 2);
  // Buckets 60-120 s and 300-600 s: p50 at the top of the first, p90 80%
  // into the second.
  EXPECT_DOUBLE_EQ((*web)["response_time"]["p50_seconds"].get<double>(), 120);
  EXPECT_DOUBLE_EQ((*web)["response_time"]["p90_seconds"].get<double>(), 540);
  const auto* ads = row(by_source, "source", "paid_search");
  ASSERT_NE(ads, nullptr);
  EXPECT_EQ((*ads)["response_time"]["rep_delays"], 1);
  EXPECT_DOUBLE_EQ((*ads)["response_time"]["p50_seconds"].get<double>(), 750);  // 600-900
  EXPECT_DOUBLE_EQ((*ads)["response_time"]["p90_seconds"].get<double>(), 870);

  const auto by_campaign = funnel(c, "campaign");
  const auto* spring = row(by_campaign, "campaign", "spring");
  const auto* autumn = row(by_campaign, "campaign", "autumn");
  ASSERT_TRUE(spring && autumn) << by_campaign.dump();
  EXPECT_EQ((*spring)["response_time"]["rep_delays"], 2);
  EXPECT_DOUBLE_EQ((*spring)["response_time"]["p90_seconds"].get<double>(), 540);
  EXPECT_EQ((*autumn)["response_time"]["rep_delays"], 1);

  // The by-campaign histogram (bounded campaign label) saw the same delays.
  double campaign_sum = 0;
  for (const auto& fam : c.registry.Collect())
    if (fam.name == "baton_feedback_rep_delay_by_campaign_seconds")
      for (const auto& m : fam.metric) campaign_sum += m.histogram.sample_sum;
  EXPECT_DOUBLE_EQ(campaign_sum, 120 + 600 + 900);
}

// Everyone inactive: the pool and its fallback have nobody eligible.
void everyone_away(Chain& c, bool away) {
  const auto globals =
      fuzz::example_globals(c.settings->topics.roster, c.settings->topics.accounts);
  for (const auto& [k, v] : globals->at(c.settings->topics.roster)) {
    v1::Rep rep;
    ASSERT_TRUE(rep.ParseFromString(v));
    if (away) rep.set_active(false);
    c.d.put_global(c.settings->topics.roster, k, rep.SerializeAsString());
  }
}

double gauge(const Chain& c, const std::string& name, const std::string& tier) {
  double v = 0;
  for (const auto& fam : c.registry.Collect())
    if (fam.name == name)
      for (const auto& m : fam.metric)
        for (const auto& l : m.label)
          if (l.name == "tier" && l.value == tier) v += m.gauge.value;
  return v;
}

TEST(WaitingLeads, HeldLeadCountsUntilAssignedWithItsRequestTime) {
  Chain c;
  const auto t0 = fuzz::fuzz_now();
  everyone_away(c, true);
  c.d.pipe(c.settings->topics.captured, "L-W", fuzz::sample_lead("L-W", "cap-w", t0), t0);
  ASSERT_TRUE(c.d.rejections().empty()) << c.d.rejection_details()[0];
  ASSERT_TRUE(c.assignments("L-W").empty()) << "nobody is eligible: held";
  EXPECT_EQ(gauge(c, "baton_router_waiting_leads", "high-intent"), 1);
  EXPECT_DOUBLE_EQ(gauge(c, "baton_router_waiting_oldest_requested_seconds", "high-intent"),
                   static_cast<double>(runtime::to_millis(t0)) / 1000.0)
      << "the oldest request is the capture's event time";

  // Rebuilt from state when the task is assigned (restart, rebalance).
  c.pool_desk->on_revoked(0);
  EXPECT_EQ(gauge(c, "baton_router_waiting_leads", "high-intent"), 0);
  c.pool_desk->on_assigned(0, c.d.state(router::kPoolDeskName));
  EXPECT_EQ(gauge(c, "baton_router_waiting_leads", "high-intent"), 1);

  // Reps come back: the held lead's retry assigns it and it stops waiting.
  everyone_away(c, false);
  // (Before its SLA could breach and reassign it.)
  c.d.advance(t0 + 2min);
  ASSERT_EQ(c.assignments("L-W").size(), 1u);
  EXPECT_EQ(gauge(c, "baton_router_waiting_leads", "high-intent"), 0);
  EXPECT_EQ(gauge(c, "baton_router_waiting_oldest_requested_seconds", "high-intent"), 0);
}

TEST(WaitingLeads, AnAssignedLeadNeverWaits) {
  Chain c;
  const auto t0 = fuzz::fuzz_now();
  c.d.pipe(c.settings->topics.captured, "L-A", fuzz::sample_lead("L-A", "cap-a", t0), t0);
  ASSERT_EQ(c.assignments("L-A").size(), 1u);
  EXPECT_EQ(gauge(c, "baton_router_waiting_leads", "high-intent"), 0);
  // A reassignment answered at once (breach at t0+20min) does not wait either.
  c.d.advance(t0 + 21min);
  ASSERT_EQ(c.assignments("L-A").size(), 2u);
  EXPECT_EQ(gauge(c, "baton_router_waiting_leads", "high-intent"), 0);
}

}  // namespace
}  // namespace baton
