// The three services' processors on one in-process TopologyDriver, built
// from their example configs and the fuzz harness's roster (shared by the
// Driver tests).
#pragma once

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

namespace baton::driver_test {

using testing::TopologyDriver;

struct Chain {
  prometheus::Registry registry;
  std::shared_ptr<const router::RouterSettings> settings;
  std::unique_ptr<runtime::Processor> lead_desk, pool_desk, sla, feedback;
  TopologyDriver d;

  Chain() {
    auto rs = fuzz::example_section("services/router/config/router.example.yaml", "router");
    auto s = std::make_shared<router::RouterSettings>(
        router::read_router_config(rs, router::system_time_zones()));
    EXPECT_TRUE(rs.status()) << rs.status().message();
    settings = s;
    std::set<std::string> pools;
    for (const auto& [name, pool] : s->routing.pools) pools.insert(name);
    auto rm = std::make_shared<router::RouterMetrics>(registry, pools, s->metric_sources);
    lead_desk = router::make_lead_desk(settings, rm);
    pool_desk = router::make_pool_desk(settings, rm, router::system_time_zones());

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

}  // namespace baton::driver_test
