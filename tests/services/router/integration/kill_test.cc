// Issue 5: kill -9 mid-stream. 2,100 leads while the router is killed with
// SIGKILL at random progress points (six times) and restarted on the same
// state folder; afterwards every lead has exactly one committed assignment.
#include <gtest/gtest.h>
#include <signal.h>

#include <random>

#include "router_system.h"

namespace baton::test::router {
namespace {

using namespace std::chrono_literals;

constexpr int kBatches = 6;
constexpr int kPerBatch = 350;

TEST(RouterKill, EveryLeadAssignedExactlyOnceAcrossSigkills) {
  System sys("router-kill");
  sys.create_topics();
  send_roster(sys, standard_roster());
  start_routers(sys, 1);
  ASSERT_TRUE(sys.all_ready(180s)) << sys.dir();

  std::mt19937 rng(std::random_device{}());
  int kills = 0;
  size_t sent = 0;
  for (int b = 0; b < kBatches; ++b) {
    size_t before = assignments(sys).size();
    for (int i = 0; i < kPerBatch; ++i) {
      std::string id = "K" + std::to_string(b) + "-" + std::to_string(i);
      // Alternate pools so both desks (and the repartition hop) are under way.
      sys.send("baton.leads.captured", id, lead(id, i % 3 == 0 ? "wt" : "rr"), "cap-" + id);
    }
    sent += kPerBatch;
    // Kill somewhere between 5% and 80% of this batch's assignments.
    size_t target =
        before + std::uniform_int_distribution<size_t>(kPerBatch / 20, kPerBatch * 4 / 5)(rng);
    ASSERT_TRUE(wait_until([&] { return assignments(sys).size() >= target; }, 600s, 100ms))
        << "stalled at " << assignments(sys).size() << " before kill " << kills + 1 << "; "
        << sys.dir();
    auto rc = sys.stop("router", "r0", SIGKILL);
    ASSERT_TRUE(rc.has_value());
    ++kills;
    sys.start("router", "r0", write_config(sys));
  }
  EXPECT_GE(kills, 5);
  ASSERT_TRUE(wait_until([&] { return assignments(sys).size() >= sent; }, 900s, 500ms))
      << "lost leads: " << sent - assignments(sys).size() << " never assigned; " << sys.dir();
  ASSERT_TRUE(settle(sys, 1, 300s)) << sys.dir();
  auto all = assignments(sys);
  EXPECT_EQ(all.size(), sent);
  int duplicated = 0;
  for (const auto& [lead_id, list] : all)
    if (list.size() != 1) {
      ++duplicated;
      ADD_FAILURE() << lead_id << " assigned " << list.size() << " times";
      if (duplicated > 10) break;
    }
  EXPECT_EQ(duplicated, 0);
}

}  // namespace
}  // namespace baton::test::router
