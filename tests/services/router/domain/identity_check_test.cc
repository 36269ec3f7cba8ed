// The identity hop with the decision made at capture (issue 18 point 1):
// the lead's desk decides a capture at once; the person-keyed identity task
// sends that decision on unless the person merges into another lead.
// ctest -R IdentityAtCapture.
#include "domain/identity_check.h"

#include <gtest/gtest.h>

#include "domain/lead_desk.h"
#include "fixtures.h"

namespace baton::router {
namespace {

using test::at;
using test::capture;
using test::signal;

// The check LeadDesk sends for a decision made at capture.
v1::IdentityCheck decided_check(const v1::LeadCaptured& lead, const LeadDecision& d) {
  v1::IdentityCheck c;
  *c.mutable_lead() = lead;
  c.set_identity_key("p1");
  c.set_decided(true);
  for (const auto& e : d.events) *c.add_routing() = e.event;
  for (const auto& p : d.pool_requests) *c.add_pool_requests() = p.request;
  return c;
}

TEST(IdentityAtCapture, ANewPersonKeepsTheDecisionMadeAtCapture) {
  auto cfg = test::base_config();
  LeadContext ctx{cfg, {}, at("2024-03-01T10:00:00Z")};
  auto lead = capture("L1", "e1", "2024-03-01T09:59:00Z");
  auto d = decide_captured(lead, nullptr, ctx);
  ASSERT_TRUE(d.state);
  EXPECT_TRUE(d.state->identity_pending());
  EXPECT_EQ(d.state->status(), "requested");
  ASSERT_EQ(d.pool_requests.size(), 1u);

  auto o = resolve_identity(decided_check(lead, d), nullptr, cfg, ctx.now);
  EXPECT_TRUE(o.keep_decision) << "first capture of this person: the pool request goes on";
  EXPECT_TRUE(o.internal.empty()) << "no intake back to the lead's desk: the placement confirms";
  EXPECT_EQ(o.record.canonical_lead_id(), "L1");

  // The same lead captured again is not a merge either.
  auto again = resolve_identity(decided_check(capture("L1", "e2", "2024-03-01T10:00:00Z"), d),
                                &o.record, cfg, ctx.now);
  EXPECT_TRUE(again.keep_decision);
}

TEST(IdentityAtCapture, ALeadThatAskedNoPoolIsConfirmed) {
  auto cfg = test::base_config();
  LeadContext ctx{cfg, {}, at("2024-03-01T10:00:00Z")};
  auto lead = capture("L1", "e1", "2024-03-01T09:00:00Z", "content_download");
  auto d = decide_captured(lead, nullptr, ctx);
  ASSERT_TRUE(d.state);
  EXPECT_EQ(d.state->status(), "nurture");
  ASSERT_TRUE(d.pool_requests.empty());

  auto o = resolve_identity(decided_check(lead, d), nullptr, cfg, ctx.now);
  EXPECT_TRUE(o.keep_decision);
  ASSERT_EQ(o.internal.size(), 1u);
  EXPECT_EQ(o.internal[0].key, "L1");
  EXPECT_EQ(o.internal[0].input.confirmed().lead_id(), "L1");

  auto c = on_identity_confirmed(&*d.state, "confirm-1", ctx);
  ASSERT_TRUE(c.state);
  EXPECT_FALSE(c.state->identity_pending());
  EXPECT_TRUE(c.events.empty()) << "nothing read meanwhile: nothing to re-score";
  EXPECT_FALSE(on_identity_confirmed(&*c.state, "confirm-2", ctx).state) << "idempotent";
}

TEST(IdentityAtCapture, AMergedPersonDropsTheDecisionAndGoesToTheFirstLead) {
  auto cfg = test::base_config();
  LeadContext ctx{cfg, {}, at("2024-03-01T10:00:00Z")};
  auto first = capture("L1", "e1", "2024-03-01T09:00:00Z");
  auto d1 = decide_captured(first, nullptr, ctx);
  auto o1 = resolve_identity(decided_check(first, d1), nullptr, cfg, ctx.now);

  // Another source captures the same person under another lead id.
  auto second = capture("L2", "e2", "2024-03-01T09:30:00Z");
  auto d2 = decide_captured(second, nullptr, ctx);
  ASSERT_EQ(d2.pool_requests.size(), 1u) << "decided at capture, as its own lead";
  // A signal for L2 is read before the check answers: kept, not scored.
  auto s2 = on_signal(signal("L2", "s1", v1::SIGNAL_PRICING_PAGE_VIEW, "2024-03-01T09:31:00Z"),
                      &*d2.state, ctx);
  ASSERT_TRUE(s2.state);
  EXPECT_TRUE(s2.pool_requests.empty());
  EXPECT_TRUE(s2.events.empty());

  auto o2 = resolve_identity(decided_check(second, d2), &o1.record, cfg, ctx.now);
  EXPECT_FALSE(o2.keep_decision) << "L2's own pool request must not go on: one owner per person";
  ASSERT_EQ(o2.internal.size(), 2u);
  EXPECT_EQ(o2.internal[0].key, "L1");
  EXPECT_TRUE(o2.internal[0].input.intake().merged());
  EXPECT_EQ(o2.internal[1].input.alias().canonical_lead_id(), "L1");

  // L2 becomes an alias; what it kept goes to L1, the capture's own
  // trigger included, which L1 has from the intake already.
  auto alias = on_alias(o2.internal[1].input.alias(), &*s2.state, ctx.now);
  EXPECT_EQ(alias.state->canonical_lead_id(), "L1");
  EXPECT_FALSE(alias.state->identity_pending());
  ASSERT_EQ(alias.internal.size(), 2u);
  auto l1 = decide_lead(o2.internal[0].input.intake(), &*d1.state, ctx);
  ASSERT_TRUE(l1.state);
  for (const auto& fwd : alias.internal) {
    auto r = on_signal(fwd.input.signal(), &*l1.state, ctx);
    if (fwd.input.signal().envelope().event_id() == "e2")
      EXPECT_FALSE(r.state) << "the trigger is applied once";
    else
      EXPECT_TRUE(r.state) << "the signal read while pending reaches L1";
  }
}

TEST(IdentityAtCapture, SignalsReadWhilePendingScoreAtThePlacement) {
  auto cfg = test::base_config();
  LeadContext ctx{cfg, {}, at("2024-03-01T10:00:00Z")};
  auto d = decide_captured(capture("L1", "e1", "2024-03-01T09:59:00Z", "pricing_page_view"),
                           nullptr, ctx);
  ASSERT_EQ(d.state->tier(), v1::TIER_STANDARD);
  auto s = on_signal(signal("L1", "s1", v1::SIGNAL_DEMO_REQUEST, "2024-03-01T09:59:30Z"), &*d.state,
                     ctx);
  ASSERT_TRUE(s.state);
  EXPECT_EQ(s.state->tier(), v1::TIER_STANDARD) << "kept, not scored, while pending";
  EXPECT_TRUE(s.state->signals_while_pending());

  auto p =
      on_routing_event(test::assigned("L1", "rep-a", "dach", v1::TIER_STANDARD), &*s.state, ctx);
  ASSERT_TRUE(p.state);
  EXPECT_FALSE(p.state->identity_pending());
  EXPECT_EQ(p.state->status(), "assigned");
  EXPECT_EQ(p.state->tier(), v1::TIER_HIGH_INTENT);
  bool tier_changed = false;
  for (const auto& e : p.events) tier_changed = tier_changed || e.event.has_tier_changed();
  EXPECT_TRUE(tier_changed) << "the owner is told the demo request raised the tier";
}

TEST(IdentityAtCapture, ConfirmationRoutesANurtureLeadRaisedMeanwhile) {
  auto cfg = test::base_config();
  LeadContext ctx{cfg, {}, at("2024-03-01T10:00:00Z")};
  auto d = decide_captured(capture("L1", "e1", "2024-03-01T09:00:00Z", "content_download"), nullptr,
                           ctx);
  auto s = on_signal(signal("L1", "s1", v1::SIGNAL_PRICING_PAGE_VIEW, "2024-03-01T09:30:00Z"),
                     &*d.state, ctx);
  EXPECT_TRUE(s.pool_requests.empty()) << "no request while the identity check is open";
  auto c = on_identity_confirmed(&*s.state, "confirm-1", ctx);
  ASSERT_EQ(c.pool_requests.size(), 1u);
  EXPECT_EQ(c.pool_requests[0].request.tier(), v1::TIER_STANDARD);
  EXPECT_EQ(c.state->status(), "requested");
}

}  // namespace
}  // namespace baton::router
