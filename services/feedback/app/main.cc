// baton-feedback: lifecycle, closed-loop outcomes, funnel, calibration,
// timeline and erasure for every lead.
#include <memory>

#include "app/config.h"
#include "app/metrics.h"
#include "app/processor.h"
#include "app/queries.h"
#include "baton/runtime/app.h"

int main(int argc, char** argv) {
  using namespace baton::feedback::app;
  auto config = std::make_shared<FeedbackConfig>();
  baton::runtime::ServiceSpec spec;
  spec.name = "feedback";
  spec.make = [config](baton::runtime::ConfigNode& section, prometheus::Registry& registry) {
    *config = read_config(section);
    auto metrics = std::make_shared<FeedbackMetrics>(registry, *config);
    std::vector<std::unique_ptr<baton::runtime::Processor>> out;
    out.push_back(std::make_unique<FeedbackProcessor>(*config, metrics));
    return out;
  };
  spec.routes = [config](baton::runtime::QueryRouter& router) { install_routes(router, *config); };
  return baton::runtime::run_service(spec, argc, argv);
}
