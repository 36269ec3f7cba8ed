#include <gtest/gtest.h>

#include "config_reader.h"
#include "factories.h"
#include "harness/service_world.h"
#include "sla_metrics.h"
#include "sla_processor.h"

namespace baton::driver_test {

std::unique_ptr<runtime::Processor> sla_processor(prometheus::Registry& registry) {
  auto ss =
      fuzz::example_section("services/sla-monitor/config/sla-monitor.example.yaml", "sla-monitor");
  auto cfg = sla::app::read_config(ss);
  EXPECT_TRUE(cfg && ss.status()) << ss.status().message();
  auto sm = std::make_shared<sla::app::SlaMetrics>(registry, cfg->max_rep_labels);
  return std::make_unique<sla::app::SlaProcessor>(std::move(*cfg), sm);
}

}  // namespace baton::driver_test
