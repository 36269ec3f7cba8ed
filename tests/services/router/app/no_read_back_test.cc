// No read amplification (issue 18 point 2): the router does not read back
// its own baton.routing.events to learn what it decided. PoolDesk tells the
// lead's desk of an assignment or a hold with a LeadDeskInput `placed` on
// baton-router-leads; LeadDesk does not subscribe to the routing topic. The
// router's two processors on the in-process TopologyDriver, which pipes every
// output to the processors that read its topic (as the broker would).
// ctest -R NoReadBack.
#include <gtest/gtest.h>

#include <algorithm>

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

TEST(NoReadBack, TheOwnerArrivesAsAPlacementAndEachLeadCostsFourReads) {
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
  // capture, identity check, pool request, placement: the routing events
  // (ScoreUpdated, Assignment, ...) are written, never read back, and the
  // identity check sends the capture's decision on (no intake record).
  EXPECT_EQ(r.records_read(), 4u);
  EXPECT_GE(r.d.output(r.s->topics.routing).size(), 1u);

  r.capture("L-2", t0 + 1s);
  EXPECT_EQ(r.records_read(), 8u) << "four reads per routed lead, flat";
}

// Issue 18 point 1: capture -> identity (by person) -> pool requests (by
// desk) -> assignment. The lead's desk decides at capture; no intake hop.
TEST(NoReadBack, CaptureToAssignmentInThreeHops) {
  Router r;
  r.put(rep("rep-x", true));
  r.capture("L-1", fuzz::fuzz_now());
  ASSERT_EQ(r.assignments("L-1").size(), 1u);
  EXPECT_EQ(r.d.output(r.s->topics.identity).size(), 1u);
  EXPECT_EQ(r.d.output(r.s->topics.pool_requests).size(), 1u);
  for (const auto& in : r.d.read<v1::LeadDeskInput>(r.s->topics.leads))
    EXPECT_TRUE(in.has_placed()) << "only the placement goes back to the lead's desk";
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
  for (const auto& req : r.d.read<v1::PoolRequest>(r.s->topics.pool_requests))
    EXPECT_EQ(req.envelope().lead_id(), "L-1");
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
  // answer are records on the pool-request topic, as before.
  Router r([](RouterSettings& s) { s.routing.pools.at("general").desk = "desk-general"; });
  r.put(rep("rep-x", false));
  const auto t0 = fuzz::fuzz_now();
  r.capture("L-1", t0);
  const auto requests = r.d.read<v1::PoolRequest>(r.s->topics.pool_requests);
  ASSERT_EQ(requests.size(), 3u) << "assign, fallback, fallback_none";
  EXPECT_EQ(requests[1].pool(), "general");
  EXPECT_EQ(r.d.output(r.s->topics.pool_requests)[1].key, "desk-general");
  EXPECT_EQ(requests[2].pool(), "dach");
  EXPECT_EQ(r.lead("L-1").status(), "held");

  r.put(rep("rep-x", true));
  r.d.advance(t0 + r.s->routing.held_retry + 1s);
  ASSERT_EQ(r.assignments("L-1").size(), 1u);
  EXPECT_EQ(r.lead("L-1").owner_rep_id(), "rep-x");
}

}  // namespace
}  // namespace baton::router
