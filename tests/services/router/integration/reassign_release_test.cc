// Issue 5 #7/#10 end to end: reassignment never returns a lead to a rep who
// held it this cycle and escalates past the limit; a won lead frees its
// owner's slot so caps stay true (a held lead then gets that rep); a roster
// update naming an unknown pool is reported and ignored.
#include <gtest/gtest.h>

#include "baton/v1/lifecycle.pb.h"
#include "router_system.h"

namespace baton::test::router {
namespace {

using namespace std::chrono_literals;

class RouterLifecycle : public ::testing::Test {
 protected:
  void SetUp() override {
    sys_.create_topics();
    auto roster = standard_roster();
    // Names a pool the config does not know: reported, ignored, rep kept.
    roster[0].add_pools("no-such-pool");
    send_roster(sys_, roster);
    start_routers(sys_, 1);
    ASSERT_TRUE(sys_.all_ready(180s)) << sys_.dir();
  }

  // Waits for the n-th assignment of a lead.
  v1::Assignment nth_assignment(const std::string& lead_id, size_t n) {
    v1::Assignment out;
    bool ok = wait_until(
        [&] {
          auto a = assignments(sys_);
          if (a[lead_id].size() < n) return false;
          out = a[lead_id][n - 1];
          return true;
        },
        120s, 200ms);
    EXPECT_TRUE(ok) << lead_id << ": assignment " << n << " missing; " << sys_.dir();
    return out;
  }

  // The lead desk has read the assignment back (the lead is "assigned" there):
  // its routing query shows that assignment.
  void wait_lead_desk_saw(const v1::Assignment& a) {
    const std::string lead_id = a.envelope().lead_id();
    bool ok = wait_until(
        [&] {
          auto r = http_get(sys_.port("router", "r0"), "/leads/" + lead_id + "/routing");
          return r && r->status == 200 &&
                 r->body.find(a.envelope().event_id()) != std::string::npos;
        },
        120s, 200ms);
    EXPECT_TRUE(ok) << lead_id << ": lead desk never saw its assignment; " << sys_.dir();
  }

  System sys_{"router-life"};
};

TEST_F(RouterLifecycle, ReassignmentNeverPicksAPreviousHolderThenEscalates) {
  sys_.send("baton.leads.captured", "R1", lead("R1", "re"), "cap-R1");
  auto first = nth_assignment("R1", 1);
  std::vector<std::string> owners{first.owner_rep_id()};
  ASSERT_FALSE(owners[0].empty());
  wait_lead_desk_saw(first);
  for (size_t i = 1; i <= 3; ++i) {
    v1::ReassignmentRequest req;
    req.mutable_envelope()->set_event_id("re-R1-" + std::to_string(i));
    req.mutable_envelope()->set_lead_id("R1");
    req.set_current_owner_rep_id(owners.back());
    req.set_reason("sla_breach");
    sys_.send("baton.routing.reassign", "R1", req, req.envelope().event_id());
    auto a = nth_assignment("R1", i + 1);
    ASSERT_FALSE(a.owner_rep_id().empty());
    for (const auto& before : owners)
      EXPECT_NE(a.owner_rep_id(), before) << "reassignment " << i << " went back to " << before;
    EXPECT_EQ(a.previous_owner_rep_id(), owners.back());
    owners.push_back(a.owner_rep_id());
    wait_lead_desk_saw(a);
  }
  // re-1..re-3 each held it once; the third reassignment passes the limit
  // (2) and goes to the pool's manager.
  EXPECT_EQ(owners.back(), "mgr-re");
  EXPECT_EQ(assignments(sys_)["R1"].back().handoff().selection(), "manager");
}

TEST_F(RouterLifecycle, WonLeadFreesTheSlotAndAHeldLeadTakesIt) {
  // ll-1 and ll-2 take one open lead each.
  sys_.send("baton.leads.captured", "L1", lead("L1", "ll"), "cap-L1");
  sys_.send("baton.leads.captured", "L2", lead("L2", "ll"), "cap-L2");
  std::string o1 = nth_assignment("L1", 1).owner_rep_id();
  std::string o2 = nth_assignment("L2", 1).owner_rep_id();
  EXPECT_NE(o1, o2);
  sys_.send("baton.leads.captured", "L3", lead("L3", "ll"), "cap-L3");
  ASSERT_TRUE(wait_until([&] { return count_held(sys_, "L3") > 0; }, 120s, 200ms))
      << "L3 should wait: both reps at capacity; " << sys_.dir();
  EXPECT_EQ(assignments(sys_).count("L3"), 0u);

  // Feedback applies Opportunity -> Won for L1: o1's slot is free again.
  v1::LifecycleEvent won;
  auto* t = won.mutable_transitioned();
  t->mutable_envelope()->set_event_id("won-L1");
  t->mutable_envelope()->set_lead_id("L1");
  t->set_from(v1::STAGE_OPPORTUNITY);
  t->set_to(v1::STAGE_WON);
  t->set_owner_rep_id(o1);
  sys_.send("baton.lifecycle.events", "L1", won, "won-L1");
  auto a3 = nth_assignment("L3", 1);
  EXPECT_EQ(a3.owner_rep_id(), o1);
  EXPECT_EQ(assignments(sys_)["L3"].size(), 1u);

  // The unknown pool was reported (counter) and the rep kept its known pool.
  int port = sys_.port("router", "r0");
  auto unknown = metric(port, "baton_router_roster_unknown_pool_total");
  ASSERT_TRUE(unknown.has_value());
  EXPECT_GE(*unknown, 1);
  auto routed = metric(port, "baton_router_leads_routed_total", "tier=\"high-intent\"");
  ASSERT_TRUE(routed.has_value());
  EXPECT_GE(*routed, 3);
}

}  // namespace
}  // namespace baton::test::router
