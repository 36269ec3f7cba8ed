// Issue 5 #8: one decision per pool. The same input routed by one router
// instance and by three gives the same per-rep distribution (each lead
// assigned exactly once).
#include <gtest/gtest.h>

#include "router_system.h"

namespace baton::test::router {
namespace {

using namespace std::chrono_literals;

constexpr int kRoundRobinLeads = 300;
constexpr int kWeightedLeads = 120;

std::map<std::string, int> distribution(int instances) {
  std::map<std::string, int> per_rep;
  System sys("router-fair" + std::to_string(instances));
  sys.create_topics();
  send_roster(sys, standard_roster());
  start_routers(sys, instances);
  if (!sys.all_ready(180s)) {
    ADD_FAILURE() << "routers not ready; logs in " << sys.dir();
    return per_rep;
  }
  for (int i = 0; i < kRoundRobinLeads; ++i) {
    std::string id = "F" + std::to_string(i);
    sys.send("baton.leads.captured", id, lead(id, "rr"), "cap-" + id);
  }
  for (int i = 0; i < kWeightedLeads; ++i) {
    std::string id = "W" + std::to_string(i);
    sys.send("baton.leads.captured", id, lead(id, "wt"), "cap-" + id);
  }
  const size_t total = kRoundRobinLeads + kWeightedLeads;
  bool all = wait_until([&] { return assignments(sys).size() >= total; }, 600s, 500ms);
  EXPECT_TRUE(all) << "only " << assignments(sys).size() << " of " << total
                   << " leads assigned; logs in " << sys.dir();
  EXPECT_TRUE(settle(sys, instances, 300s)) << sys.dir();
  for (const auto& [lead_id, list] : assignments(sys)) {
    EXPECT_EQ(list.size(), 1u) << lead_id << " assigned " << list.size() << " times";
    per_rep[list.front().owner_rep_id()]++;
  }
  return per_rep;
}

TEST(RouterFairness, ThreeInstancesGiveTheDistributionOfOne) {
  auto one = distribution(1);
  auto three = distribution(3);
  EXPECT_EQ(one, three);
  for (int i = 1; i <= 5; ++i)
    EXPECT_EQ(one["rr-" + std::to_string(i)], kRoundRobinLeads / 5) << "round robin is even";
  EXPECT_EQ(one["wt-1"] + one["wt-2"] + one["wt-3"], kWeightedLeads);
  EXPECT_GT(one["wt-1"], one["wt-2"]);
  EXPECT_GT(one["wt-2"], one["wt-3"]);
}

}  // namespace
}  // namespace baton::test::router
