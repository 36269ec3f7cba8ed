// Chaos run with an oracle (issues 10 and 19): all three services, two or
// more instances each, leads flowing through their stories (chaos_driver.h:
// normal, breach with reassignment, merge, recycling, returning buyer,
// erasure), while instances are SIGKILLed at random moments (>= 10 kills per
// service), the broker restarts once and the router scales 1 -> 3 -> 1.
// Read_committed consumers must then see every lead's story exactly once.
// CHAOS_LEADS sets the size (default 20,000).
#include <gtest/gtest.h>
#include <signal.h>

#include <cstdlib>
#include <iostream>
#include <random>

#include "chaos_driver.h"

namespace baton::test {
namespace {

using namespace std::chrono_literals;
using Steady = std::chrono::steady_clock;

TEST(Chaos, EveryLeadExactlyOnceThroughKillsBrokerRestartAndScaling) {
  const int leads = std::getenv("CHAOS_LEADS") ? std::atoi(std::getenv("CHAOS_LEADS")) : 20000;
  // Capture pacing: CHAOS_RATE leads/s (default 200), over at least 60 s.
  const int rate =
      std::max(1, std::getenv("CHAOS_RATE") ? std::atoi(std::getenv("CHAOS_RATE")) : 200);
  const auto run_for = std::chrono::seconds(std::max(60, leads / rate));
  System sys("chaos");
  sys.create_topics();
  ChaosDriver driver(sys, leads);
  driver.send_roster();
  const auto sla = ChaosDriver::chaos_sla_config(sys.dir());
  std::map<std::string, std::string> configs{
      {"router", ""}, {"sla-monitor", sla}, {"feedback", ""}};
  std::map<std::string, std::vector<std::string>> members{
      {"router", {"r0"}}, {"sla-monitor", {"s0", "s1"}}, {"feedback", {"f0", "f1"}}};
  for (auto& [svc, insts] : members)
    for (auto& i : insts) sys.start(svc, i, configs[svc]);
  ASSERT_TRUE(sys.all_ready(180s)) << sys.dir();

  std::mt19937 rng(std::random_device{}());
  std::map<std::string, int> kills;
  std::vector<std::tuple<Steady::time_point, std::string, std::string>> down;
  bool scaled_up = false, scaled_down = false, broker_restarted = false;
  auto start = Steady::now();
  auto next_kill = start + 3s;
  auto next_report = start + run_for + 30s;
  auto deadline = start + run_for + std::chrono::minutes(20);
  auto quotas_met = [&] {
    for (auto& [svc, insts] : members)
      if (kills[svc] < 10) return false;
    return true;
  };
  while (Steady::now() < deadline) {
    auto now = Steady::now();
    double frac = std::min(1.0, std::chrono::duration<double>(now - start) / run_for);
    driver.capture_until(static_cast<int>(frac * leads));
    driver.step();
    // Bring killed instances back after their random downtime.
    for (auto it = down.begin(); it != down.end();) {
      if (std::get<0>(*it) <= now) {
        sys.start(std::get<1>(*it), std::get<2>(*it), configs[std::get<1>(*it)]);
        it = down.erase(it);
      } else {
        ++it;
      }
    }
    if (!scaled_up && frac >= 0.2) {
      for (auto i : {"r1", "r2"}) {
        sys.start("router", i);
        members["router"].push_back(i);
      }
      scaled_up = true;
    }
    if (scaled_up && !scaled_down && frac >= 0.6) {
      for (std::string i : {"r1", "r2"}) {
        // An instance the monkey just killed stays down; a live one leaves cleanly.
        bool was_down = false;
        for (auto it = down.begin(); it != down.end();) {
          if (std::get<1>(*it) == "router" && std::get<2>(*it) == i) {
            it = down.erase(it);
            was_down = true;
          } else {
            ++it;
          }
        }
        if (!was_down && sys.child("router", i).running()) {
          // A graceful leave is promised once the instance runs: wait for it.
          wait_until(
              [&] {
                auto r = http_get(sys.port("router", i), "/readyz");
                return r && r->status == 200;
              },
              120s, 100ms);
          EXPECT_EQ(sys.stop("router", i, SIGTERM), std::optional<int>(0)) << i;
        }
      }
      members["router"] = {"r0"};
      scaled_down = true;
    }
    if (!broker_restarted && frac >= 0.4) {
      sys.restart_broker();
      broker_restarted = true;
    }
    if (now >= next_kill && !quotas_met()) {
      // The service furthest from its quota; a random instance of it.
      std::string svc;
      for (auto& [s, insts] : members)
        if (svc.empty() || kills[s] < kills[svc]) svc = s;
      auto& insts = members[svc];
      auto inst = insts[rng() % insts.size()];
      bool is_down = false;
      for (auto& d : down) is_down = is_down || (std::get<1>(d) == svc && std::get<2>(d) == inst);
      if (!is_down && sys.child(svc, inst).running()) {
        sys.stop(svc, inst, SIGKILL);
        ++kills[svc];
        down.emplace_back(now + std::chrono::milliseconds(300 + rng() % 2500), svc, inst);
      }
      next_kill = now + std::chrono::milliseconds(800 + rng() % 2200);
    }
    if (driver.captured() >= leads && now >= next_report) {
      // Every lead captured: show what is still on its way.
      int waiting = 0;
      auto stories = driver.undone(3, &waiting);
      std::cout << "waiting for " << waiting << " leads" << std::endl;
      for (const auto& s : stories) std::cout << "  " << s << std::endl;
      next_report = now + 30s;
    }
    if (driver.captured() >= leads && driver.done() >= leads && quotas_met() && down.empty() &&
        scaled_down && broker_restarted)
      break;
  }
  for (auto& d : down) sys.start(std::get<1>(d), std::get<2>(d), configs[std::get<1>(d)]);
  // Let everything settle, then stop cleanly and read every topic to its end.
  wait_until([&] { return driver.step() >= leads; },
             std::chrono::seconds(std::max(300, leads / 500)), 100ms);
  EXPECT_TRUE(sys.all_ready(180s)) << "instances restarted last must be up before they leave";
  for (auto& [svc, inst] : sys.instances())
    EXPECT_EQ(sys.stop(svc, inst, SIGTERM), std::optional<int>(0)) << svc << "/" << inst;
  for (int i = 0; i < 5; ++i) driver.step();
  auto v = driver.verdict();
  int total_kills = 0;
  for (auto& [s, k] : kills) total_kills += k;
  for (const auto& [cls, cv] : v.by_class) {
    std::cout << "RESULT class=" << class_name(cls) << " leads=" << cv.leads << " lost=" << cv.lost
              << " duplicated=" << cv.duplicated << std::endl;
    EXPECT_EQ(cv.lost, 0) << class_name(cls);
    EXPECT_EQ(cv.duplicated, 0) << class_name(cls);
  }
  std::cout << "RESULT leads=" << leads << " lost=" << v.lost << " duplicated=" << v.duplicated
            << " kills=" << total_kills << std::endl;
  for (const auto& e : v.examples) std::cout << "  " << e << std::endl;
  // One story per class in full, to show what the oracle saw.
  for (int i = 0; i < std::min(leads, 6); ++i)
    std::cout << "  story " << driver.describe(ChaosDriver::lead_id(i)) << std::endl;
  for (auto& [s, k] : kills) EXPECT_GE(k, 10) << s;
  EXPECT_TRUE(broker_restarted);
  EXPECT_TRUE(scaled_down);
  EXPECT_EQ(v.lost, 0) << "logs in " << sys.dir();
  EXPECT_EQ(v.duplicated, 0) << "logs in " << sys.dir();
}

}  // namespace
}  // namespace baton::test
