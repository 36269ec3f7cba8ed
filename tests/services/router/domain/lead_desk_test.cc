#include "domain/lead_desk.h"

#include <gtest/gtest.h>

#include "baton/v1/contract.h"
#include "domain/identity_check.h"
#include "fixtures.h"

namespace baton::router {
namespace {

using test::at;

using test::assigned;
using test::capture;
using test::intake;
using test::signal;

TEST(InvalidLead, GoesToDeadLettersWithAReason) {
  auto cfg = test::base_config();
  auto now = at("2024-03-01T10:00:00Z");
  struct Case {
    const char* name;
    std::function<void(v1::LeadCaptured&)> edit;
    const char* reason;
  } cases[] = {
      {"ok", [](v1::LeadCaptured&) {}, nullptr},
      {"no_id", [](v1::LeadCaptured& l) { l.mutable_envelope()->clear_lead_id(); }, "invalid"},
      {"no_contact", [](v1::LeadCaptured& l) { l.mutable_person()->clear_email(); }, "invalid"},
      {"absurd_time",
       [](v1::LeadCaptured& l) {
         *l.mutable_envelope()->mutable_event_time() = test::ts("2091-01-01T00:00:00Z");
       },
       "invalid"},
      {"unknown_trigger", [](v1::LeadCaptured& l) { l.set_trigger_signal("telepathy"); },
       "unknown_enum"},
  };
  for (auto& c : cases) {
    auto l = capture("L1", "e1", "2024-03-01T09:59:00Z");
    c.edit(l);
    auto r = invalid_lead(l, cfg, now);
    EXPECT_EQ(r ? r->first : "", c.reason ? c.reason : "") << c.name;
  }
  LeadContext ctx{cfg, {}, now};
  auto bad = signal("L1", "s1", static_cast<v1::SignalType>(99), "2024-03-01T09:00:00Z");
  EXPECT_EQ(on_signal(bad, nullptr, ctx).reject->first, "unknown_enum");
}

TEST(LeadDesk, SalesReadyCaptureAsksThePoolWithHandoff) {
  auto cfg = test::base_config();
  LeadContext ctx{cfg, {}, at("2024-03-01T10:00:00Z")};
  auto d = decide_lead(intake(capture("L1", "e1", "2024-03-01T09:59:00Z")), nullptr, ctx);
  ASSERT_EQ(d.pool_requests.size(), 1u);
  const auto& r = d.pool_requests[0].request;
  EXPECT_EQ(r.pool(), "dach");
  EXPECT_EQ(r.fallback_pool(), "general");
  EXPECT_EQ(r.tier(), v1::TIER_HIGH_INTENT);
  EXPECT_EQ(r.handoff().rule_matched(), "dach");
  EXPECT_EQ(r.handoff().trigger_signal(), "demo_request");
  EXPECT_EQ(r.handoff().landing_page(), "/e1");
  EXPECT_GT(r.handoff().score().breakdown_size(), 0);
  EXPECT_EQ(d.state->status(), "requested");
  // The same capture again has no effect.
  auto again = decide_lead(intake(capture("L1", "e1", "2024-03-01T09:59:00Z")), &*d.state, ctx);
  EXPECT_FALSE(again.state.has_value());
  EXPECT_TRUE(again.pool_requests.empty());
}

TEST(LeadDesk, NurtureLeadIsAssignedWhenIntentCrossesTheBar) {
  auto cfg = test::base_config();
  LeadContext ctx{cfg, {}, at("2024-03-01T10:00:00Z")};
  auto d = decide_lead(intake(capture("L1", "e1", "2024-03-01T09:00:00Z", "content_download")),
                       nullptr, ctx);
  ASSERT_EQ(d.events.size(), 1u);
  EXPECT_TRUE(d.events[0].event.has_nurture());
  EXPECT_TRUE(d.pool_requests.empty());
  auto s = on_signal(signal("L1", "s1", v1::SIGNAL_PRICING_PAGE_VIEW, "2024-03-01T09:30:00Z"),
                     &*d.state, ctx);
  ASSERT_EQ(s.pool_requests.size(), 1u);
  EXPECT_EQ(s.pool_requests[0].request.tier(), v1::TIER_STANDARD);
}

TEST(LeadDesk, MergeKeepsFirstTouchAndUpdatesLatestAndIntent) {
  auto cfg = test::base_config();
  LeadContext ctx{cfg, {}, at("2024-03-01T10:00:00Z")};
  auto d1 = decide_lead(intake(capture("L1", "e1", "2024-03-01T09:00:00Z", "content_download")),
                        nullptr, ctx);
  auto second = capture("L1", "e2", "2024-03-01T09:50:00Z", "demo_request");
  auto d2 = decide_lead(intake(second), &*d1.state, ctx);
  EXPECT_EQ(d2.state->captured().first_touch().landing_page(), "/e1");
  EXPECT_EQ(d2.state->latest_touch().landing_page(), "/e2");
  EXPECT_EQ(d2.state->merged_captures(), 1);
  EXPECT_GT(d2.state->score().intent(), d1.state->score().intent());
  ASSERT_EQ(d2.pool_requests.size(), 1u) << "merged capture makes it sales-ready: one request";
}

TEST(LeadDesk, IdentityMergeProducesIntakeAndAlias) {
  auto cfg = test::base_config();
  v1::IdentityCheck c1;
  *c1.mutable_lead() = capture("L1", "e1", "2024-03-01T09:00:00Z");
  auto o1 = resolve_identity(c1, nullptr, cfg, at("2024-03-01T09:00:00Z"));
  v1::IdentityCheck c2;
  *c2.mutable_lead() = capture("L2", "e2", "2024-03-02T09:00:00Z");
  auto o2 = resolve_identity(c2, &o1.record, cfg, at("2024-03-02T09:00:00Z"));
  ASSERT_EQ(o2.internal.size(), 2u);
  EXPECT_EQ(o2.internal[0].key, "L1");
  EXPECT_EQ(o2.internal[0].input.intake().lead().envelope().lead_id(), "L1");
  EXPECT_EQ(o2.internal[1].key, "L2");
  EXPECT_EQ(o2.internal[1].input.alias().canonical_lead_id(), "L1");
  // A signal of the alias is forwarded to the canonical lead.
  auto alias = on_alias(o2.internal[1].input.alias(), nullptr, at("2024-03-02T09:00:00Z"));
  LeadContext ctx{cfg, {}, at("2024-03-02T10:00:00Z")};
  auto f = on_signal(signal("L2", "s1", v1::SIGNAL_PRICING_PAGE_VIEW, "2024-03-02T09:30:00Z"),
                     &*alias.state, ctx);
  ASSERT_EQ(f.internal.size(), 1u);
  EXPECT_EQ(f.internal[0].key, "L1");
}

TEST(LeadDesk, AccountMatchPrefersAccountOwner) {
  auto cfg = test::base_config();
  v1::Account acc;
  acc.set_id("A1");
  acc.set_owner_rep_id("r-owner");
  LeadContext ctx{cfg,
                  [&](const std::string& d) -> std::optional<v1::Account> {
                    if (d == "acme.com") return acc;
                    return std::nullopt;
                  },
                  at("2024-03-01T10:00:00Z")};
  auto d = decide_lead(intake(capture("L1", "e1", "2024-03-01T09:59:00Z")), nullptr, ctx);
  EXPECT_EQ(d.state->account_id(), "A1");
  EXPECT_EQ(d.pool_requests[0].request.preferred_rep_id(), "r-owner");
}

TEST(Reassignment, ExcludesEveryPreviousHolderThenEscalates) {
  auto cfg = test::base_config();  // max_reassignments = 2
  LeadContext ctx{cfg, {}, at("2024-03-01T10:00:00Z")};
  auto d = decide_lead(intake(capture("L1", "e1", "2024-03-01T09:59:00Z")), nullptr, ctx);
  v1::LeadState s = *d.state;
  std::vector<v1::PoolRequestKind> kinds;
  for (const char* owner : {"r1", "r2", "r3"}) {
    s = *on_routing_event(assigned("L1", owner, "dach"), &s, ctx).state;
    v1::ReassignmentRequest req;
    req.mutable_envelope()->set_event_id(std::string("re-") + owner);
    req.set_current_owner_rep_id(owner);
    auto r = on_reassign(req, &s, ctx);
    ASSERT_EQ(r.pool_requests.size(), 1u);
    const auto& pr = r.pool_requests[0].request;
    EXPECT_EQ(pr.release_rep_id(), owner);
    EXPECT_EQ(pr.excluded_reps_size(), static_cast<int>(kinds.size()) + 1);
    kinds.push_back(v1::pool_request_kind(pr));
    s = *r.state;
  }
  EXPECT_EQ(kinds, (std::vector<v1::PoolRequestKind>{v1::POOL_REQUEST_KIND_ASSIGN,
                                                     v1::POOL_REQUEST_KIND_ASSIGN,
                                                     v1::POOL_REQUEST_KIND_ESCALATE}));
  // A stale request (owner already changed) is ignored.
  s = *on_routing_event(assigned("L1", "r4", "dach"), &s, ctx).state;
  v1::ReassignmentRequest stale;
  stale.set_current_owner_rep_id("r1");
  EXPECT_TRUE(on_reassign(stale, &s, ctx).pool_requests.empty());
}

TEST(TierChange, AssignedLeadWhoseTierRisesEmitsTierChanged) {
  auto cfg = test::base_config();
  LeadContext ctx{cfg, {}, at("2024-03-01T10:00:00Z")};
  auto d = decide_lead(intake(capture("L1", "e1", "2024-03-01T10:00:00Z", "pricing_page_view")),
                       nullptr, ctx);
  EXPECT_EQ(d.state->tier(), v1::TIER_STANDARD);
  auto s = *on_routing_event(assigned("L1", "r1", "dach", v1::TIER_STANDARD), &*d.state, ctx).state;
  auto up = on_signal(signal("L1", "s9", v1::SIGNAL_DEMO_REQUEST, "2024-03-01T09:55:00Z"), &s, ctx);
  bool tier_changed = false;
  for (const auto& e : up.events)
    if (e.event.has_tier_changed()) {
      tier_changed = true;
      EXPECT_EQ(e.event.tier_changed().tier(), v1::TIER_HIGH_INTENT);
      EXPECT_EQ(e.event.tier_changed().owner_rep_id(), "r1");
    }
  EXPECT_TRUE(tier_changed);
  EXPECT_TRUE(up.pool_requests.empty()) << "an assigned lead is not routed again";
}

// An owned lead captured again with the contact of a lead seen first
// becomes an alias: no close will ever reach it, so its rep's slot is freed
// (it was held for good before). An assignment that lands after the merge is
// released as it arrives.
TEST(MergeOfAnOwnedLead, ReleasesTheRepsSlot) {
  auto cfg = test::base_config();
  LeadContext ctx{cfg, {}, at("2024-03-01T10:00:00Z")};
  auto d = decide_lead(intake(capture("L2", "e1", "2024-03-01T09:59:00Z")), nullptr, ctx);
  auto s = *on_routing_event(assigned("L2", "r1", "dach"), &*d.state, ctx).state;
  ASSERT_EQ(s.status(), "assigned");
  v1::AliasNotice notice;
  notice.set_lead_id("L2");
  notice.set_canonical_lead_id("L1");
  auto merged = on_alias(notice, &s, ctx.now);
  ASSERT_EQ(merged.pool_requests.size(), 1u);
  const auto& rel = merged.pool_requests[0].request;
  EXPECT_EQ(v1::pool_request_kind(rel), v1::POOL_REQUEST_KIND_RELEASE);
  EXPECT_EQ(rel.pool(), "dach");
  EXPECT_EQ(rel.release_rep_id(), "r1");
  EXPECT_EQ(rel.envelope().lead_id(), "L2");
  EXPECT_EQ(merged.state->canonical_lead_id(), "L1");
  EXPECT_TRUE(merged.state->owner_rep_id().empty());

  // Requested, then merged, then its assignment arrives: released at once,
  // and the lead stays an alias.
  auto requested = on_alias(notice, &*d.state, ctx.now);
  EXPECT_TRUE(requested.pool_requests.empty()) << "no slot is held yet";
  auto late = on_routing_event(assigned("L2", "r2", "dach"), &*requested.state, ctx);
  ASSERT_EQ(late.pool_requests.size(), 1u);
  EXPECT_EQ(late.pool_requests[0].request.release_rep_id(), "r2");
  EXPECT_FALSE(late.state.has_value()) << "the alias state stays as it is";
  EXPECT_TRUE(late.events.empty());

  // A lead merged before anything was owned releases nothing.
  EXPECT_TRUE(on_alias(notice, nullptr, ctx.now).pool_requests.empty());
}

}  // namespace
}  // namespace baton::router

// Issue 19 point 2: a pool request carries the event time of its cause
// (capture, promoting signal, reassignment request) as requested_at.
namespace baton::router {
namespace {

// Chaos run finding: the SLA monitor can ask to reassign a lead before this
// desk has read back its own assignment (status still "requested"). The
// request waits in state and is applied when the assignment arrives.
TEST(Reassignment, ARequestReadBeforeTheOwnAssignmentWaitsForIt) {
  auto cfg = test::base_config();
  LeadContext ctx{cfg, {}, at("2024-03-01T10:00:00Z")};
  auto d = decide_lead(intake(capture("L1", "e1", "2024-03-01T09:59:00Z")), nullptr, ctx);
  v1::LeadState s = *d.state;
  ASSERT_EQ(s.status(), "requested");
  v1::ReassignmentRequest req;
  req.mutable_envelope()->set_event_id("re-r1");
  req.set_current_owner_rep_id("r1");
  auto early = on_reassign(req, &s, ctx);
  EXPECT_TRUE(early.pool_requests.empty());
  ASSERT_TRUE(early.state);
  EXPECT_TRUE(early.state->has_pending_reassignment());
  s = *early.state;
  auto r = on_routing_event(assigned("L1", "r1", "dach"), &s, ctx);
  ASSERT_EQ(r.pool_requests.size(), 1u) << "applied when the assignment is read";
  EXPECT_EQ(r.pool_requests[0].request.release_rep_id(), "r1");
  ASSERT_TRUE(r.state);
  EXPECT_EQ(r.state->status(), "requested");
  EXPECT_EQ(r.state->reassignment_count(), 1);
  EXPECT_FALSE(r.state->has_pending_reassignment());
  // A deferred request about another owner lapses when the assignment names a different one.
  auto again = decide_lead(intake(capture("L2", "e2", "2024-03-01T09:59:00Z")), nullptr, ctx);
  req.set_current_owner_rep_id("r9");
  v1::LeadState waiting = *on_reassign(req, &*again.state, ctx).state;
  auto other = on_routing_event(assigned("L2", "r1", "dach"), &waiting, ctx);
  EXPECT_TRUE(other.pool_requests.empty());
  ASSERT_TRUE(other.state);
  EXPECT_EQ(other.state->status(), "assigned");
  EXPECT_FALSE(other.state->has_pending_reassignment());
}

TEST(ReassignmentDelay, PoolRequestCarriesTheCauseTime) {
  auto cfg = test::base_config();
  LeadContext ctx{cfg, {}, at("2024-03-01T10:30:00Z")};
  // Captured into nurture at 09:00, promoted by a signal at 09:30.
  auto d = decide_lead(intake(capture("L1", "e1", "2024-03-01T09:00:00Z", "content_download")),
                       nullptr, ctx);
  ASSERT_TRUE(d.pool_requests.empty());
  auto s = on_signal(signal("L1", "s1", v1::SIGNAL_PRICING_PAGE_VIEW, "2024-03-01T09:30:00Z"),
                     &*d.state, ctx);
  ASSERT_EQ(s.pool_requests.size(), 1u);
  EXPECT_EQ(time::timestamp_millis(s.pool_requests[0].request.requested_at()),
            time::to_millis(at("2024-03-01T09:30:00Z")));
  EXPECT_EQ(time::timestamp_millis(s.pool_requests[0].request.captured_at()),
            time::to_millis(at("2024-03-01T09:00:00Z")));
  // A sales-ready capture: its own event time.
  auto c = decide_lead(intake(capture("L2", "e2", "2024-03-01T09:59:00Z")), nullptr, ctx);
  ASSERT_EQ(c.pool_requests.size(), 1u);
  EXPECT_EQ(time::timestamp_millis(c.pool_requests[0].request.requested_at()),
            time::to_millis(at("2024-03-01T09:59:00Z")));
  // A reassignment request at 10:20: the new request counts from it.
  v1::LeadState st = *on_routing_event(assigned("L2", "r1", "dach"), &*c.state, ctx).state;
  v1::ReassignmentRequest req;
  req.mutable_envelope()->set_event_id("re-1");
  *req.mutable_envelope()->mutable_event_time() = time::to_timestamp(at("2024-03-01T10:20:00Z"));
  req.set_current_owner_rep_id("r1");
  auto r = on_reassign(req, &st, ctx);
  ASSERT_FALSE(r.pool_requests.empty());
  const auto& pr = r.pool_requests.back().request;
  EXPECT_EQ(v1::pool_request_kind(pr), v1::POOL_REQUEST_KIND_ASSIGN);
  EXPECT_EQ(time::timestamp_millis(pr.requested_at()), time::to_millis(at("2024-03-01T10:20:00Z")));
  EXPECT_EQ(time::timestamp_millis(pr.captured_at()), time::to_millis(at("2024-03-01T09:59:00Z")));
}

}  // namespace
}  // namespace baton::router
