// The feedback processor on every input topic.
#include <prometheus/registry.h>

#include "app/config.h"
#include "app/metrics.h"
#include "app/processor.h"
#include "harness/samples.h"
#include "harness/service_world.h"
#include "harness/targets.h"

namespace baton::fuzz {
namespace {

struct FeedbackWorld {
  prometheus::Registry registry;
  std::unique_ptr<runtime::Processor> processor;
  World world;

  FeedbackWorld() {
    auto section = example_section("services/feedback/config/feedback.example.yaml", "feedback");
    auto cfg = feedback::app::read_config(section);
    if (!section.status()) std::abort();
    auto metrics = std::make_shared<feedback::app::FeedbackMetrics>(registry, cfg);
    const auto t = cfg.topics;
    processor = std::make_unique<feedback::app::FeedbackProcessor>(cfg, metrics);
    world.globals = std::make_shared<Globals>();
    world.processors = {processor.get()};
    world.topics = {t.leads_captured,   t.routing_events, t.sla_events,
                    t.sales_activities, t.stage_changes,  t.erasure};
    world.warm = std::make_unique<Pump>(world.globals);
    world.warm->add(processor.get());
    const auto now = fuzz_now();
    runtime::Record rec;
    rec.topic = t.leads_captured;
    rec.key = "L-1";
    rec.value = sample_lead("L-1", "e-warm-1", now - std::chrono::minutes(5)).SerializeAsString();
    world.warm->run(rec, now, 4);
    rec.topic = t.routing_events;
    rec.value = sample_assignment("L-1", "e-warm-2", "rep-dach-1", now - std::chrono::minutes(4))
                    .SerializeAsString();
    world.warm->run(rec, now, 4);
  }
};

}  // namespace

int feedback_one(const uint8_t* data, size_t size) {
  static FeedbackWorld* w = new FeedbackWorld();
  return w->world.run(data, size);
}

}  // namespace baton::fuzz
