// Gauges from state (issue 20, point 2): baton_router_held_leads and
// baton_router_open_leads count what the pool desk's state holds, per task.
// Summed over the instances, by a real Prometheus scraping them (and from
// each instance's /metrics), they stay the truth after a kill -9 and
// restart, a scale-out (rebalance) and a graceful leave. Kept from in-memory
// deltas, they restarted at 0 and drifted.
#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>

#include <fstream>
#include <regex>

#include "router_system.h"

namespace baton::test::router {
namespace {

using namespace std::chrono_literals;

// Debian's prometheus, scraping the given admin ports every second; a new
// target list is applied with SIGHUP.
class Prometheus {
 public:
  Prometheus(const std::string& dir) : dir_(dir), port_(free_port()) {}
  void scrape(const std::vector<int>& ports) {
    std::ofstream cfg(dir_ + "/prometheus.yml");
    cfg << "global: {scrape_interval: 1s, scrape_timeout: 1s}\n"
           "scrape_configs:\n  - job_name: router\n    static_configs:\n      - targets: [";
    for (size_t i = 0; i < ports.size(); ++i)
      cfg << (i ? ", " : "") << "'127.0.0.1:" << ports[i] << "'";
    cfg << "]\n";
    cfg.close();
    if (child_) {
      child_->signal(SIGHUP);
      return;
    }
    child_ = std::make_unique<Child>(
        std::vector<std::string>{BATON_PROMETHEUS_BIN, "--config.file=" + dir_ + "/prometheus.yml",
                                 "--storage.tsdb.path=" + dir_ + "/prometheus-data",
                                 "--web.listen-address=127.0.0.1:" + std::to_string(port_),
                                 "--log.level=warn"},
        std::map<std::string, std::string>{}, dir_ + "/prometheus.log");
  }
  // The value of an instant query returning one sample; nullopt otherwise.
  std::optional<double> query(const std::string& expr) {
    httplib::Client c("127.0.0.1", port_);
    c.set_connection_timeout(1, 0);
    auto r =
        c.Get(("/api/v1/query?" + httplib::detail::params_to_query_str({{"query", expr}})).c_str());
    if (!r || r->status != 200) return std::nullopt;
    std::smatch m;
    static const std::regex kValue(R"re("value":\[[0-9.]+,"(-?[0-9.e+]+)"\])re");
    if (!std::regex_search(r->body, m, kValue)) return std::nullopt;
    return std::stod(m[1]);
  }

 private:
  std::string dir_;
  int port_;
  std::unique_ptr<Child> child_;
};

class GaugesFromState : public ::testing::Test {
 protected:
  void SetUp() override {
    sys_.create_topics();
    send_roster(sys_, standard_roster());  // ll-1, ll-2: capacity 1 each
  }

  // Prometheus scrapes the instances in `insts` (their admin ports).
  void scrape(const std::vector<std::string>& insts) {
    std::vector<int> ports;
    for (const auto& i : insts) ports.push_back(sys_.port("router", i));
    prometheus_.scrape(ports);
  }

  // Sum over the running instances of one gauge; nullopt if one cannot be read.
  std::optional<double> sum(const std::string& name, const std::vector<std::string>& insts) {
    double total = 0;
    for (const auto& i : insts) {
      auto up = http_get(sys_.port("router", i), "/metrics");
      if (!up || up->status != 200) return std::nullopt;
      // No series yet: this instance holds none of it.
      total += metric(sys_.port("router", i), name).value_or(0);
    }
    return total;
  }

  // Awaits the deployment's truth: `held` leads waiting, `open` leads booked.
  void expect_truth(const std::vector<std::string>& insts, double held, double open,
                    const std::string& when) {
    std::optional<double> h, o, ph, po;
    bool ok = wait_until(
        [&] {
          h = sum("baton_router_held_leads", insts);
          o = sum("baton_router_open_leads", insts);
          return h == held && o == open;
        },
        120s, 250ms);
    EXPECT_TRUE(ok) << when << ": held " << h.value_or(-1) << " (want " << held << "), open "
                    << o.value_or(-1) << " (want " << open << "); logs in " << sys_.dir();
    // The same sums as Prometheus computes them from its scrapes (a killed
    // instance's series go stale; a restarted one's come back).
    ok = wait_until(
        [&] {
          ph = prometheus_.query("sum(baton_router_held_leads)");
          po = prometheus_.query("sum(baton_router_open_leads)");
          return ph == held && po == open;
        },
        120s, 500ms);
    EXPECT_TRUE(ok) << when << " (Prometheus): held " << ph.value_or(-1) << ", open "
                    << po.value_or(-1) << "; logs in " << sys_.dir();
  }

  System sys_{"router-gauges"};
  Prometheus prometheus_{sys_.dir()};
};

TEST_F(GaugesFromState, SumOverInstancesIsTheTruthAfterRestartAndRebalance) {
  const std::string config = write_config(sys_);
  sys_.start("router", "r0", config);
  ASSERT_TRUE(sys_.all_ready(180s)) << sys_.dir();
  scrape({"r0"});
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
  scrape({"r0", "r1"});
  ASSERT_TRUE(settle(sys_, 2, 180s)) << sys_.dir();
  expect_truth({"r0", "r1"}, 6, 8, "after scale-out to two instances");
  for (const auto& i : {"r0", "r1"})
    for (const auto& name : {"baton_router_held_leads", "baton_router_open_leads"})
      EXPECT_GE(metric(sys_.port("router", i), name).value_or(0), 0) << i << " " << name;

  // A graceful leave hands everything back to r0.
  EXPECT_EQ(sys_.stop("router", "r1", SIGTERM), std::optional<int>(0));
  scrape({"r0"});
  expect_truth({"r0"}, 6, 8, "after r1 left");
  // No lead was assigned twice on the way.
  for (const auto& [lead_id, list] : assignments(sys_)) EXPECT_EQ(list.size(), 1u) << lead_id;
}

}  // namespace
}  // namespace baton::test::router
