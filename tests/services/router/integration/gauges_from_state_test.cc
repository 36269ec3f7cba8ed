// Gauges from state (issue 20, point 2): baton_router_held_leads and
// baton_router_open_leads count what the pool desk's state holds, per task.
// Summed over the instances, as Prometheus would, they stay the truth after
// a kill -9 and restart, a scale-out (rebalance) and a graceful leave. Kept
// from in-memory deltas, they restarted at 0 and drifted.
#include <gtest/gtest.h>
#include <signal.h>

#include "router_system.h"

namespace baton::test::router {
namespace {

using namespace std::chrono_literals;

class GaugesFromState : public ::testing::Test {
 protected:
  void SetUp() override {
    sys_.create_topics();
    send_roster(sys_, standard_roster());  // ll-1, ll-2: capacity 1 each
  }

  // Sum over the running instances of one gauge; nullopt if one cannot be read.
  std::optional<double> sum(const std::string& name, const std::vector<std::string>& insts) {
    double total = 0;
    for (const auto& i : insts) {
      auto v = metric(sys_.port("router", i), name);
      if (!v) return std::nullopt;
      total += *v;
    }
    return total;
  }

  // Awaits the deployment's truth: `held` leads waiting, `open` leads booked.
  void expect_truth(const std::vector<std::string>& insts, double held, double open,
                    const std::string& when) {
    std::optional<double> h, o;
    bool ok = wait_until(
        [&] {
          h = sum("baton_router_held_leads", insts);
          o = sum("baton_router_open_leads", insts);
          return h == held && o == open;
        },
        120s, 250ms);
    EXPECT_TRUE(ok) << when << ": held " << h.value_or(-1) << " (want " << held << "), open "
                    << o.value_or(-1) << " (want " << open << "); logs in " << sys_.dir();
  }

  System sys_{"router-gauges"};
};

TEST_F(GaugesFromState, SumOverInstancesIsTheTruthAfterRestartAndRebalance) {
  const std::string config = write_config(sys_);
  sys_.start("router", "r0", config);
  ASSERT_TRUE(sys_.all_ready(180s)) << sys_.dir();
  // 8 leads for pool ll (2 reps of capacity 1): 2 booked, 6 held.
  // 6 leads for pool rr (5 reps, no cap): 6 booked.
  for (int i = 0; i < 8; ++i) {
    const std::string id = "GL" + std::to_string(i);
    sys_.send_async("baton.leads.captured", id, lead(id, "ll"), "cap-" + id);
  }
  for (int i = 0; i < 6; ++i) {
    const std::string id = "GR" + std::to_string(i);
    sys_.send_async("baton.leads.captured", id, lead(id, "rr"), "cap-" + id);
  }
  sys_.flush();
  ASSERT_TRUE(wait_until([&] { return assignments(sys_).size() == 8; }, 120s, 250ms))
      << assignments(sys_).size() << " of 8 leads assigned; " << sys_.dir();
  expect_truth({"r0"}, 6, 8, "one instance");

  // kill -9 and restart: the counts come back from the restored state.
  sys_.stop("router", "r0", SIGKILL);
  sys_.start("router", "r0", config);
  ASSERT_TRUE(sys_.all_ready(180s)) << sys_.dir();
  expect_truth({"r0"}, 6, 8, "after kill -9 and restart");

  // Scale out: each instance reports only the tasks it now holds.
  sys_.start("router", "r1", config);
  ASSERT_TRUE(sys_.all_ready(180s)) << sys_.dir();
  ASSERT_TRUE(settle(sys_, 2, 180s)) << sys_.dir();
  expect_truth({"r0", "r1"}, 6, 8, "after scale-out to two instances");
  for (const auto& i : {"r0", "r1"})
    for (const auto& name : {"baton_router_held_leads", "baton_router_open_leads"}) {
      auto v = metric(sys_.port("router", i), name);
      ASSERT_TRUE(v.has_value()) << i;
      EXPECT_GE(*v, 0) << i << " " << name;
    }

  // A graceful leave hands everything back to r0.
  EXPECT_EQ(sys_.stop("router", "r1", SIGTERM), std::optional<int>(0));
  expect_truth({"r0"}, 6, 8, "after r1 left");
  // No lead was assigned twice on the way.
  for (const auto& [lead_id, list] : assignments(sys_)) EXPECT_EQ(list.size(), 1u) << lead_id;
}

}  // namespace
}  // namespace baton::test::router
