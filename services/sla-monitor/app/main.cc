// baton-sla-monitor: first-touch SLA clocks per tier (see issue 6).
#include <memory>
#include <vector>

#include "baton/runtime/app.h"
#include "config_reader.h"
#include "sla_metrics.h"
#include "sla_processor.h"
#include "sla_query.h"

int main(int argc, char** argv) {
  using namespace baton;
  runtime::ServiceSpec spec;
  spec.name = "sla-monitor";
  spec.make = [](runtime::ConfigNode& section, prometheus::Registry& registry) {
    std::vector<std::unique_ptr<runtime::Processor>> out;
    auto cfg = sla::app::read_config(section);
    if (!cfg) return out;  // errors are on the section, naming each field
    auto metrics = std::make_shared<sla::app::SlaMetrics>(registry, cfg->max_rep_labels);
    out.push_back(std::make_unique<sla::app::SlaProcessor>(std::move(*cfg), metrics));
    return out;
  };
  spec.routes = [](runtime::QueryRouter& router) { sla::app::add_sla_routes(router); };
  return runtime::run_service(spec, argc, argv);
}
