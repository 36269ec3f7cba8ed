// The sla-monitor's processor on every input topic, then its durable
// timers (warnings, breaches, escalations, census) in due order.
#include <prometheus/registry.h>

#include "config_reader.h"
#include "harness/samples.h"
#include "harness/service_world.h"
#include "harness/targets.h"
#include "sla_metrics.h"
#include "sla_processor.h"

namespace baton::fuzz {
namespace {

struct SlaWorld {
  prometheus::Registry registry;
  std::unique_ptr<runtime::Processor> processor;
  World world;

  SlaWorld() {
    auto section =
        example_section("services/sla-monitor/config/sla-monitor.example.yaml", "sla-monitor");
    auto cfg = sla::app::read_config(section);
    if (!cfg || !section.status()) std::abort();
    const auto topics = cfg->topics;
    auto metrics = std::make_shared<sla::app::SlaMetrics>(registry, cfg->max_rep_labels);
    processor = std::make_unique<sla::app::SlaProcessor>(std::move(*cfg), metrics);
    world.globals = example_globals(topics.roster_reps, "baton.roster.accounts");
    world.processors = {processor.get()};
    world.topics = {topics.routing_events, topics.activities, topics.crm_stage_changes,
                    topics.erasure};
    world.warm = std::make_unique<Pump>(world.globals);
    world.warm->add(processor.get());
    // L-1 assigned to rep-dach-1 a minute ago: its clock is running.
    const auto now = fuzz_now();
    runtime::Record rec;
    rec.topic = topics.routing_events;
    rec.key = "L-1";
    rec.value = sample_assignment("L-1", "e-warm-1", "rep-dach-1", now - std::chrono::minutes(1))
                    .SerializeAsString();
    world.warm->run(rec, now, 1);  // no timers: they fire during each run
  }
};

}  // namespace

int sla_monitor_one(const uint8_t* data, size_t size) {
  static SlaWorld* w = new SlaWorld();
  return w->world.run(data, size);
}

}  // namespace baton::fuzz
