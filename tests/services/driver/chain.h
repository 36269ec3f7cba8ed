// The three services' processors built from their example configs and
// chained on the in-process TopologyDriver (runtime/testing): records piped
// in flow router -> sla-monitor -> feedback -> router with no broker.
#pragma once

#include <gtest/gtest.h>
#include <prometheus/registry.h>

#include <functional>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "app/processors.h"
#include "app/router_config.h"
#include "baton/feedback/state.pb.h"
#include "baton/testing/topology_driver.h"
#include "baton/v1/lifecycle.pb.h"
#include "baton/v1/outcome.pb.h"
#include "baton/v1/router_state.pb.h"
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

  // `tweak` edits the router's example settings before the processors are
  // built (e.g. turning router.nurture off).
  explicit Chain(const std::function<void(router::RouterSettings&)>& tweak = {}) {
    auto rs = fuzz::example_section("services/router/config/router.example.yaml", "router");
    auto s = std::make_shared<router::RouterSettings>(
        router::read_router_config(rs, baton::time::system_zones()));
    EXPECT_TRUE(rs.status()) << rs.status().message();
    if (tweak) tweak(*s);
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

// The chain's well-known topics (the example configs' names).
inline constexpr const char* kActivities = "baton.sales.activities";
inline constexpr const char* kStageChanges = "baton.lifecycle.stage-changes";
inline constexpr const char* kOutcomes = "baton.outcomes";

// The router's record of a lead (LeadDesk state), if any.
inline std::optional<v1::LeadState> router_lead(const Chain& c, const std::string& lead) {
  auto raw = c.d.state(router::kLeadDeskName).get("lead/" + lead);
  v1::LeadState s;
  if (!raw || !s.ParseFromString(*raw)) return std::nullopt;
  return s;
}

// Feedback's record of a lead, if any.
inline std::optional<feedback::state::LeadRecord> feedback_lead(const Chain& c,
                                                                const std::string& lead) {
  auto raw = c.d.state("feedback").get("lead/" + lead);
  feedback::state::LeadRecord r;
  if (!raw || !r.ParseFromString(*raw)) return std::nullopt;
  return r;
}

inline std::vector<v1::Outcome> outcomes(const Chain& c, const std::string& lead) {
  std::vector<v1::Outcome> out;
  for (const auto& o : c.d.read<v1::Outcome>(kOutcomes))
    if (o.envelope().lead_id() == lead) out.push_back(o);
  return out;
}

inline int clocks_started(const Chain& c, const std::string& lead) {
  int n = 0;
  for (const auto& e : c.sla_events())
    n += e.has_started() && e.started().envelope().lead_id() == lead ? 1 : 0;
  return n;
}

// The owner works the lead through the stages given (a stage change each),
// one minute apart from `at`.
inline void work_through(Chain& c, const std::string& lead, const std::string& rep,
                         const std::vector<v1::Stage>& stages, runtime::TimePoint at) {
  int i = 0;
  for (v1::Stage st : stages) {
    auto t = at + std::chrono::minutes(i);
    auto sc = fuzz::sample_stage(
        lead, lead + "-stage-" + std::to_string(t.time_since_epoch().count()), st, t);
    sc.set_owner_rep_id(rep);
    c.d.pipe(kStageChanges, lead, sc, t);
    ++i;
  }
}

}  // namespace baton::driver_test
