// The router's LeadDesk + PoolDesk on every input topic (and the internal
// identity / leads / pool-request hops they feed each other).
#include <prometheus/registry.h>

#include "app/processors.h"
#include "app/router_config.h"
#include "harness/samples.h"
#include "harness/service_world.h"
#include "harness/targets.h"

namespace baton::fuzz {
namespace {

struct RouterWorld {
  prometheus::Registry registry;
  std::shared_ptr<const router::RouterSettings> settings;
  std::shared_ptr<router::RouterMetrics> metrics;
  std::unique_ptr<runtime::Processor> lead_desk, pool_desk;
  World world;

  RouterWorld() {
    auto section = example_section("services/router/config/router.example.yaml", "router");
    auto s = std::make_shared<router::RouterSettings>(
        router::read_router_config(section, baton::time::system_zones()));
    if (!section.status()) std::abort();
    settings = s;
    std::set<std::string> pools;
    for (const auto& [name, pool] : s->routing.pools) pools.insert(name);
    metrics = std::make_shared<router::RouterMetrics>(registry, pools, s->metric_sources);
    lead_desk = router::make_lead_desk(settings, metrics);
    pool_desk = router::make_pool_desk(settings, metrics, baton::time::system_zones());
    const auto& t = s->topics;
    world.globals = example_globals(t.roster, t.accounts);
    world.processors = {lead_desk.get(), pool_desk.get()};
    world.topics = {t.captured, t.signals,  t.reassign, t.routing,      t.lifecycle,
                    t.erasure,  t.identity, t.leads,    t.pool_requests};
    world.warm = std::make_unique<Pump>(world.globals);
    for (auto* p : world.processors) world.warm->add(p);
    // L-1: captured five minutes ago (routed, assigned in the warm state).
    const auto now = fuzz_now();
    runtime::Record rec;
    rec.topic = t.captured;
    rec.key = "L-1";
    rec.value = sample_lead("L-1", "e-warm-1", now - std::chrono::minutes(5)).SerializeAsString();
    world.warm->run(rec, now, 64);
  }
};

}  // namespace

int router_one(const uint8_t* data, size_t size) {
  static RouterWorld* w = new RouterWorld();
  return w->world.run(data, size);
}

}  // namespace baton::fuzz
