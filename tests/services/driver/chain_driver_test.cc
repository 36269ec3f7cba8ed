// The three services' processors chained on the in-process TopologyDriver
// (no broker, milliseconds): a high-intent capture is routed with its
// handoff, its first-touch clock warns, breaches, escalates and asks for a
// new owner, the router reassigns, the new owner's touch meets the clock,
// and feedback keeps the whole story. ctest -R Driver.
#include <gtest/gtest.h>
#include <prometheus/registry.h>

#include <set>

#include "app/processors.h"
#include "app/router_config.h"
#include "baton/testing/topology_driver.h"
#include "baton/v1/routing.pb.h"
#include "baton/v1/sla.pb.h"
#include "factories.h"
#include "harness/samples.h"
#include "harness/service_world.h"

namespace baton {
namespace {

using namespace std::chrono_literals;
using testing::TopologyDriver;

struct Chain {
  prometheus::Registry registry;
  std::shared_ptr<const router::RouterSettings> settings;
  std::unique_ptr<runtime::Processor> lead_desk, pool_desk, sla, feedback;
  TopologyDriver d;

  Chain() {
    auto rs = fuzz::example_section("services/router/config/router.example.yaml", "router");
    auto s = std::make_shared<router::RouterSettings>(
        router::read_router_config(rs, baton::time::system_zones()));
    EXPECT_TRUE(rs.status()) << rs.status().message();
    settings = s;
    std::set<std::string> pools;
    for (const auto& [name, pool] : s->routing.pools) pools.insert(name);
    auto rm = std::make_shared<router::RouterMetrics>(registry, pools, s->metric_sources);
    lead_desk = router::make_lead_desk(settings, rm);
    pool_desk = router::make_pool_desk(settings, rm, baton::time::system_zones());

    sla = driver_test::sla_processor(registry);
    feedback = driver_test::feedback_processor(registry);

    for (auto* p : {lead_desk.get(), pool_desk.get(), sla.get(), feedback.get()}) d.add(p);
    const auto globals = fuzz::example_globals(s->topics.roster, s->topics.accounts);
    for (const auto& [topic, table] : *globals)
      for (const auto& [k, v] : table) d.put_global(topic, k, v);
  }
  std::vector<v1::Assignment> assignments(const std::string& lead) const {
    std::vector<v1::Assignment> out;
    for (const auto& ev : d.read<v1::RoutingEvent>(settings->topics.routing))
      if (ev.has_assignment() && ev.assignment().envelope().lead_id() == lead)
        out.push_back(ev.assignment());
    return out;
  }
  std::vector<v1::SlaEvent> sla_events() const { return d.read<v1::SlaEvent>("baton.sla.events"); }
};

TEST(Driver, HighIntentLeadIsRoutedClockedEscalatedReassignedAndMet) {
  Chain c;
  const auto t0 = fuzz::fuzz_now();  // a Tuesday, 12:00 UTC
  c.d.pipe(c.settings->topics.captured, "L-7", fuzz::sample_lead("L-7", "cap-7", t0), t0);
  ASSERT_TRUE(c.d.rejections().empty()) << c.d.rejection_details()[0];

  // Routed at once, with the why and the handoff package.
  auto a = c.assignments("L-7");
  ASSERT_EQ(a.size(), 1u);
  const std::string first = a[0].owner_rep_id();
  EXPECT_EQ(first.rfind("rep-dach-", 0), 0u) << first;
  EXPECT_EQ(a[0].handoff().pool(), "dach");
  EXPECT_FALSE(a[0].handoff().why().empty());
  // The SLA monitor started the first-touch clock; feedback holds the lead.
  auto started = [&] {
    int n = 0;
    for (const auto& e : c.sla_events()) n += e.has_started() ? 1 : 0;
    return n;
  };
  EXPECT_EQ(started(), 1);
  EXPECT_TRUE(c.d.state("feedback").get("lead/L-7"));

  // Nobody touches it: warning at 4 min, breach at 5, escalation at 10,
  // a reassignment request at 20, and the router picks another owner.
  c.d.advance(t0 + 21min);
  bool warned = false, breached = false, escalated = false, asked = false;
  for (const auto& e : c.sla_events()) {
    warned |= e.has_warning();
    breached |= e.has_breached();
    escalated |= e.has_escalated();
    asked |= e.has_reassignment_requested();
  }
  EXPECT_TRUE(warned && breached && escalated && asked) << warned << breached << escalated << asked;
  a = c.assignments("L-7");
  ASSERT_EQ(a.size(), 2u) << "reassigned once";
  const std::string second = a[1].owner_rep_id();
  EXPECT_NE(second, first);
  EXPECT_EQ(started(), 2) << "a new clock for the new owner";

  // The new owner calls: the clock is met, and feedback sees the touch.
  auto call = fuzz::sample_activity("L-7", "call-7", v1::ACTIVITY_CALL, t0 + 22min);
  call.set_rep_id(second);
  c.d.pipe("baton.sales.activities", "L-7", call, t0 + 22min);
  ASSERT_TRUE(c.d.rejections().empty()) << c.d.rejection_details()[0];
  bool met = false;
  for (const auto& e : c.sla_events()) met |= e.has_met() && e.met().owner_rep_id() == second;
  EXPECT_TRUE(met) << "the second owner's call meets the clock";
  EXPECT_TRUE(c.d.state("feedback").get("lead/L-7"));
}

}  // namespace
}  // namespace baton
