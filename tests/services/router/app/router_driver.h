// The router's two processors (lead desk, pool desk) chained on the
// in-process TopologyDriver with the example config
// (services/router/config/router.example.yaml): the app-layer tests' world.
#pragma once

#include <gtest/gtest.h>
#include <prometheus/registry.h>

#include <functional>
#include <memory>
#include <set>
#include <string>

#include "app/processors.h"
#include "app/router_config.h"
#include "baton/testing/topology_driver.h"
#include "baton/v1/roster.pb.h"
#include "baton/v1/routing.pb.h"
#include "harness/service_world.h"
#include "metric_value.h"

namespace baton::router::test {

struct RouterDriver {
  prometheus::Registry registry;
  std::shared_ptr<const RouterSettings> s;
  std::unique_ptr<runtime::Processor> leads, pools;
  testing::TopologyDriver d;

  // tweak: changes to the example's settings before the processors are made.
  explicit RouterDriver(const std::function<void(RouterSettings&)>& tweak = {}) {
    auto rs = fuzz::example_section("services/router/config/router.example.yaml", "router");
    auto settings = std::make_shared<RouterSettings>(read_router_config(rs, time::system_zones()));
    EXPECT_TRUE(rs.status()) << rs.status().message();
    if (tweak) tweak(*settings);
    s = settings;
    std::set<std::string> names;
    for (const auto& [name, pool] : s->routing.pools) names.insert(name);
    auto m = std::make_shared<RouterMetrics>(registry, names, s->metric_sources);
    leads = make_lead_desk(s, m);
    pools = make_pool_desk(s, m, time::system_zones());
    d.add(leads.get());
    d.add(pools.get());
  }

  // A rep on the roster (global table).
  void put(const v1::Rep& r) { d.put_global(s->topics.roster, r.id(), r.SerializeAsString()); }

  // baton_router_identity_checks_total{outcome} (-1: no such series).
  double identity_checks(const std::string& outcome) const {
    return baton::test::metric_value(registry, "baton_router_identity_checks_total",
                                     {{"outcome", outcome}})
        .value_or(-1);
  }

  // The lead's committed assignments, in order.
  std::vector<v1::Assignment> assignments(const std::string& lead) const {
    std::vector<v1::Assignment> out;
    for (const auto& ev : d.read<v1::RoutingEvent>(s->topics.routing))
      if (ev.has_assignment() && ev.assignment().envelope().lead_id() == lead)
        out.push_back(ev.assignment());
    return out;
  }
};

}  // namespace baton::router::test
