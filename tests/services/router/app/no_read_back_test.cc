// No read amplification (issue 18 point 2): the router does not read back
// its own baton.routing.events to learn what it decided. PoolDesk tells the
// lead's desk of an assignment or a hold with a LeadDeskInput `placed` on
// baton-router-leads; LeadDesk does not subscribe to the routing topic. The
// router's two processors on the in-process TopologyDriver, which pipes every
// output to the processors that read its topic (as the broker would).
// ctest -R NoReadBack.
#include <gtest/gtest.h>

#include <algorithm>

#include "app/identity_desk.h"
#include "baton/v1/router_state.pb.h"
#include "harness/samples.h"
#include "router_driver.h"

namespace baton::router {
namespace {

using namespace std::chrono_literals;

v1::Rep rep(const std::string& id, bool active) {
  v1::Rep r;
  r.set_id(id);
  r.add_pools("dach");
  r.add_pools("general");
  r.set_time_zone("UTC");  // no working hours: always working
  r.set_active(active);
  return r;
}

struct Router : test::RouterDriver {
  using RouterDriver::RouterDriver;
  void capture(const std::string& lead, runtime::TimePoint at) {
    ++captures;
    auto l = fuzz::sample_lead(lead, lead + "-cap", at);
    l.mutable_person()->set_email(lead + "@" + lead + ".example");
    d.pipe(s->topics.captured, lead, l, at);
    ASSERT_TRUE(d.rejections().empty()) << d.rejection_details()[0];
  }
  v1::LeadState lead(const std::string& id) const {
    v1::LeadState st;
    if (auto raw = d.state(kLeadDeskName).get("lead/" + id)) st.ParseFromString(*raw);
    return st;
  }
  // Records the router's processors consumed: the capture plus everything
  // written to a topic one of them reads.
  size_t captures = 0;
  size_t records_read() const {
    size_t n = captures;
    for (const auto* p : {leads.get(), pools.get()})
      for (const auto& t : p->input_topics()) n += d.output(t).size();
    return n;
  }
  // The pool requests on their topic; identity checks share it.
  std::vector<v1::PoolRequest> requests() const {
    std::vector<v1::PoolRequest> out;
    for (const auto& rec : d.output(s->topics.pool_requests)) {
      v1::PoolRequest req;
      if (!rec.is_type(kIdentityCheckType) && req.ParseFromString(rec.value)) out.push_back(req);
    }
    return out;
  }
  std::vector<v1::LeadDeskInput> placements() const {
    std::vector<v1::LeadDeskInput> out;
    for (auto& in : d.read<v1::LeadDeskInput>(s->topics.leads))
      if (in.has_placed()) out.push_back(in);
    return out;
  }
};

TEST(NoReadBack, LeadDeskDoesNotReadTheRoutingTopic) {
  Router r;
  auto topics = r.leads->input_topics();
  EXPECT_EQ(std::count(topics.begin(), topics.end(), r.s->topics.routing), 0)
      << "LeadDesk reads its own routing events back";
  auto pool_topics = r.pools->input_topics();
  EXPECT_EQ(std::count(pool_topics.begin(), pool_topics.end(), r.s->topics.routing), 0);
}

TEST(NoReadBack, TheOwnerArrivesAsAPlacementAndEachLeadCostsThreeReads) {
  Router r;
  r.put(rep("rep-x", true));
  const auto t0 = fuzz::fuzz_now();
  r.capture("L-1", t0);
  ASSERT_EQ(r.assignments("L-1").size(), 1u);
  const auto st = r.lead("L-1");
  EXPECT_EQ(st.status(), "assigned");
  EXPECT_EQ(st.owner_rep_id(), "rep-x") << "LeadDesk learned the owner from the placement";
  EXPECT_FALSE(st.identity_pending()) << "the placement confirms the identity check";
  ASSERT_EQ(r.placements().size(), 1u);
  EXPECT_EQ(r.placements()[0].placed().assignment().owner_rep_id(), "rep-x");
  // capture, identity check (at the desk, which assigns in the same step),
  // placement: the routing events (ScoreUpdated, Assignment, ...) are
  // written, never read back, and there is no intake or pool-request record.
  EXPECT_EQ(r.records_read(), 3u);
  EXPECT_GE(r.d.output(r.s->topics.routing).size(), 1u);

  r.capture("L-2", t0 + 1s);
  EXPECT_EQ(r.records_read(), 6u) << "three reads per routed lead, flat";
}

// Issue 18 point 4 (lean per record): a routed lead's one de-duplication
// record is its capture's, an input from the world that may come twice. The
// identity check and the placement travel on the router's own exactly-once
// hops and write none. An erasure's check still does: it may reach the desk
// twice (identity_desk.h).
TEST(NoReadBack, OnlyTheCaptureOfARoutedLeadWritesADeduplicationRecord) {
  Router r;
  r.put(rep("rep-x", true));
  const auto t0 = fuzz::fuzz_now();
  r.capture("L-1", t0);
  r.capture("L-2", t0 + 1s);
  ASSERT_EQ(r.assignments("L-2").size(), 1u);
  ASSERT_EQ(r.placements().size(), 2u);
  EXPECT_EQ(r.d.dedup_ids(kLeadDeskName).size(), 2u) << "one per capture; none per placement";
  EXPECT_TRUE(r.d.dedup_ids(kPoolDeskName).empty()) << "a capture's identity check";

  v1::ErasureRequest req;
  req.mutable_envelope()->set_lead_id("L-1");
  req.mutable_envelope()->set_event_id("erase-L-1");
  r.d.pipe(r.s->topics.erasure, "L-1", req, t0 + 1h);
  ASSERT_TRUE(r.d.rejections().empty()) << r.d.rejection_details()[0];
  const auto& checks = r.d.output(r.s->topics.pool_requests);
  size_t erase_checks = 0, requests = 0;
  for (const auto& rec : checks) {
    if (!rec.is_type(kIdentityCheckType)) {
      ++requests;
      continue;
    }
    v1::IdentityCheck c;
    if (c.ParseFromString(rec.value) && c.erase()) ++erase_checks;
  }
  ASSERT_GE(erase_checks, 1u);
  EXPECT_EQ(r.d.dedup_ids(kPoolDeskName).size(), erase_checks + requests)
      << "the erasure's checks (it may send two) and any pool request keep theirs";
}

// Issue 18 point 1: capture -> identity desk (resolves the person, then
// decides the capture's request for a pool on its own desk) -> assignment.
TEST(NoReadBack, CaptureToAssignmentInTwoHops) {
  Router r;
  r.put(rep("rep-x", true));
  r.capture("L-1", fuzz::fuzz_now());
  ASSERT_EQ(r.assignments("L-1").size(), 1u);
  EXPECT_TRUE(r.d.output(r.s->topics.identity).empty()) << "no person-keyed hop";
  const auto& desk = r.d.output(r.s->topics.pool_requests);
  ASSERT_EQ(desk.size(), 1u) << "the identity check only: no pool-request record";
  EXPECT_EQ(desk[0].key, kDefaultDesk);
  EXPECT_TRUE(r.requests().empty());
  for (const auto& in : r.d.read<v1::LeadDeskInput>(r.s->topics.leads))
    EXPECT_TRUE(in.has_placed()) << "only the placement goes back to the lead's desk";
  EXPECT_EQ(r.lead("L-1").owner_rep_id(), "rep-x");
}

// A pool whose desk is not the identity desk: the identity desk sends the
// request on by the topic (another task may own that desk), one hop more.
TEST(NoReadBack, APoolOnAnotherDeskTakesOneHopMore) {
  Router r([](RouterSettings& s) {
    for (auto& [name, pool] : s.routing.pools) pool.desk = "desk-" + name;
    s.routing.identity.desk = "people";
  });
  r.put(rep("rep-x", true));
  r.capture("L-1", fuzz::fuzz_now());
  ASSERT_EQ(r.assignments("L-1").size(), 1u);
  const auto& out = r.d.output(r.s->topics.pool_requests);
  ASSERT_EQ(out.size(), 2u) << "the check, then the request sent on";
  EXPECT_EQ(out[0].key, "people");
  const auto requests = r.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(out[1].key, "desk-" + requests[0].pool());
  EXPECT_EQ(r.records_read(), 4u);
}

// Two sources capture one person under two lead ids: the second one's
// decision made at capture is dropped by the identity check, which merges it.
TEST(NoReadBack, AMergeDropsTheSecondLeadsOwnRequest) {
  Router r;
  r.put(rep("rep-x", true));
  const auto t0 = fuzz::fuzz_now();
  auto first = fuzz::sample_lead("L-1", "L-1-cap", t0);
  first.mutable_person()->set_email("same@person.example");
  r.d.pipe(r.s->topics.captured, "L-1", first, t0);
  auto second = fuzz::sample_lead("L-2", "L-2-cap", t0 + 1s);
  second.mutable_person()->set_email("same@person.example");
  r.d.pipe(r.s->topics.captured, "L-2", second, t0 + 1s);
  ASSERT_TRUE(r.d.rejections().empty()) << r.d.rejection_details()[0];
  EXPECT_EQ(r.assignments("L-1").size(), 1u);
  EXPECT_TRUE(r.assignments("L-2").empty()) << "one owner per person";
  EXPECT_EQ(r.lead("L-2").canonical_lead_id(), "L-1");
  EXPECT_EQ(r.lead("L-1").merged_captures(), 1);
  size_t routed = 0;
  for (const auto& ev : r.d.read<v1::RoutingEvent>(r.s->topics.routing))
    if (ev.has_assignment()) {
      ++routed;
      EXPECT_EQ(ev.assignment().envelope().lead_id(), "L-1");
    }
  EXPECT_EQ(routed, 1u);
  // Operators see the merge rate (baton_router_identity_checks_total).
  EXPECT_EQ(r.identity_checks("kept"), 1);
  EXPECT_EQ(r.identity_checks("merged"), 1);
  EXPECT_EQ(r.identity_checks("erased"), 0);
}

TEST(NoReadBack, AHeldLeadWaitsInStateAndIsToldWhenItIsAssigned) {
  Router r;
  r.put(rep("rep-x", false));
  const auto t0 = fuzz::fuzz_now();
  r.capture("L-1", t0);
  EXPECT_TRUE(r.assignments("L-1").empty());
  EXPECT_EQ(r.lead("L-1").status(), "held") << "told of the hold";
  const size_t after_hold = r.records_read();

  // Retries are PoolDesk timers over its held/ state: no record per retry.
  r.d.advance(t0 + 5 * r.s->routing.held_retry + 1s);
  EXPECT_EQ(r.records_read(), after_hold) << "a held lead waits in state, not in records";

  r.put(rep("rep-x", true));
  r.d.advance(r.d.now() + r.s->routing.held_retry + 1s);
  ASSERT_EQ(r.assignments("L-1").size(), 1u);
  EXPECT_EQ(r.lead("L-1").owner_rep_id(), "rep-x");
  EXPECT_EQ(r.lead("L-1").status(), "assigned");
}

TEST(NoReadBack, AFallbackOnAnotherDeskStillTakesTheTopic) {
  // general on its own desk: another task may own it, so the hop and its
  // answer are records on the pool-request topic, as before. Identities are
  // resolved on dach's desk (the default pool's, general, would be the other).
  Router r([](RouterSettings& s) {
    s.routing.pools.at("general").desk = "desk-general";
    s.routing.identity.desk = kDefaultDesk;
  });
  r.put(rep("rep-x", false));
  const auto t0 = fuzz::fuzz_now();
  r.capture("L-1", t0);
  // The assign request is decided at the identity desk in place; its
  // fallback hop and the answer are records.
  const auto requests = r.requests();
  ASSERT_EQ(requests.size(), 2u) << "fallback, fallback_none";
  EXPECT_EQ(requests[0].pool(), "general");
  EXPECT_EQ(r.d.output(r.s->topics.pool_requests)[1].key, "desk-general");
  EXPECT_EQ(requests[1].pool(), "dach");
  EXPECT_EQ(r.lead("L-1").status(), "held");

  r.put(rep("rep-x", true));
  r.d.advance(t0 + r.s->routing.held_retry + 1s);
  ASSERT_EQ(r.assignments("L-1").size(), 1u);
  EXPECT_EQ(r.lead("L-1").owner_rep_id(), "rep-x");
}

}  // namespace
}  // namespace baton::router
