// Issue 19 points 8 and 2 on the router's side: the ScoreUpdated a signal
// causes names it (ctest -R TimelineSignals), and the waiting book counts
// held leads per desk and tier with the oldest request (ctest -R WaitingLeads).
#include <gtest/gtest.h>

#include "domain/signal_score.h"
#include "domain/waiting.h"
#include "fixtures.h"

namespace baton::router {
namespace {

using test::at;

v1::LeadIntake capture(const std::string& id, const char* when) {
  v1::LeadIntake in;
  auto* l = in.mutable_lead();
  l->mutable_envelope()->set_lead_id(id);
  l->mutable_envelope()->set_event_id("cap-" + id);
  *l->mutable_envelope()->mutable_event_time() = test::ts(when);
  l->mutable_person()->set_email("jane@acme.com");
  l->mutable_company()->set_industry("software");
  l->mutable_company()->set_employee_band("201-1000");
  l->mutable_company()->set_country("DE");
  l->set_trigger_signal("content_download");
  return in;
}

v1::EngagementSignal signal(const std::string& id, v1::SignalType t, const char* when) {
  v1::EngagementSignal s;
  s.mutable_envelope()->set_lead_id("L1");
  s.mutable_envelope()->set_event_id(id);
  *s.mutable_envelope()->mutable_event_time() = test::ts(when);
  s.set_type(t);
  return s;
}

const v1::ScoreUpdated* score_update(const LeadDecision& d) {
  for (const auto& e : d.events)
    if (e.event.has_score_updated()) return &e.event.score_updated();
  return nullptr;
}

TEST(TimelineSignals, RouterNamesTheSignalThatMovedTheScore) {
  auto cfg = test::base_config();
  LeadContext ctx{cfg, {}, at("2024-03-01T10:00:00Z")};
  auto d = decide_lead(capture("L1", "2024-03-01T09:00:00Z"), nullptr, ctx);
  ASSERT_TRUE(d.state);
  auto s = *d.state;
  s.set_owner_queue("marketing-queue");
  if (const auto* first = score_update(d)) {
    EXPECT_EQ(first->signal_type(), v1::SIGNAL_UNSPECIFIED) << "a capture's score names no signal";
  }

  auto up =
      on_scored_signal(signal("s1", v1::SIGNAL_PRICING_PAGE_VIEW, "2024-03-01T09:30:00Z"), &s, ctx);
  const auto* u = score_update(up);
  ASSERT_NE(u, nullptr);
  EXPECT_EQ(u->signal_type(), v1::SIGNAL_PRICING_PAGE_VIEW);
  EXPECT_GT(u->signal_points(), 0);
  EXPECT_EQ(u->previous_intent(), s.score().intent());
  EXPECT_GT(u->score().intent(), u->previous_intent());
  EXPECT_EQ(u->previous_tier(), s.tier());
  EXPECT_EQ(u->owner(), "marketing-queue") << "no rep yet: the queue owns it";
  EXPECT_EQ(u->signal_at().seconds(), test::ts("2024-03-01T09:30:00Z").seconds());

  // The same signal again: nothing moved, nothing named.
  auto again = on_scored_signal(signal("s1", v1::SIGNAL_PRICING_PAGE_VIEW, "2024-03-01T09:30:00Z"),
                                &*up.state, ctx);
  EXPECT_EQ(score_update(again), nullptr);
}

v1::HeldLead held(const std::string& pool, v1::Tier tier, const char* requested) {
  v1::HeldLead h;
  h.mutable_request()->set_pool(pool);
  h.mutable_request()->set_tier(tier);
  if (requested) *h.mutable_request()->mutable_requested_at() = test::ts(requested);
  h.set_held_since_ms(42);
  return h;
}

TEST(WaitingLeads, HeldLeadWaitsAsItsDeskTierAndRequest) {
  auto cfg = test::base_config();
  cfg.pools["us"].desk = "americas";
  auto w = waiting_lead(held("us", v1::TIER_HIGH_INTENT, "2024-03-01T09:00:00Z"), cfg);
  EXPECT_EQ(w.desk, "americas");
  EXPECT_EQ(w.tier, v1::TIER_HIGH_INTENT);
  EXPECT_EQ(w.requested_ms, time::to_millis(test::at("2024-03-01T09:00:00Z")));
  EXPECT_EQ(waiting_lead(held("dach", v1::TIER_STANDARD, nullptr), cfg).requested_ms, 42)
      << "no requested_at or captured_at: held since";
  EXPECT_EQ(waiting_lead(held("dach", v1::TIER_STANDARD, nullptr), cfg).desk, kDefaultDesk);
}

TEST(WaitingLeads, BookCountsAndKeepsTheOldestAcrossPartitions) {
  WaitingBook b;
  const WaitingBook::Key hi{"desk", v1::TIER_HIGH_INTENT};
  EXPECT_EQ(b.summary(hi).count, 0);
  b.put(0, "held/dach/L1", {"desk", v1::TIER_HIGH_INTENT, 3000});
  b.put(1, "held/us/L2", {"desk", v1::TIER_HIGH_INTENT, 1000});
  b.put(1, "held/us/L3", {"desk", v1::TIER_STANDARD, 500});
  EXPECT_EQ(b.summary(hi).count, 2);
  EXPECT_EQ(b.summary(hi).oldest_requested_ms, 1000);
  // The same key again (a retry rewrites the hold): still one lead.
  b.put(1, "held/us/L2", {"desk", v1::TIER_HIGH_INTENT, 1000});
  EXPECT_EQ(b.summary(hi).count, 2);
  b.remove(1, "held/us/L2");  // assigned
  EXPECT_EQ(b.summary(hi).count, 1);
  EXPECT_EQ(b.summary(hi).oldest_requested_ms, 3000);
  b.remove(1, "held/us/unknown");  // idempotent
  b.drop(0);                       // task revoked
  EXPECT_EQ(b.summary(hi).count, 0);
  EXPECT_EQ(b.summary(hi).oldest_requested_ms, 0);
  EXPECT_EQ(b.summary({"desk", v1::TIER_STANDARD}).count, 1);
  // Rebuilt from state (task assigned again).
  b.set(0, {{"held/dach/L1", {"desk", v1::TIER_HIGH_INTENT, 3000}}});
  EXPECT_EQ(b.summary(hi).count, 1);
  EXPECT_EQ(b.keys().size(), 2u);
}

}  // namespace
}  // namespace baton::router
