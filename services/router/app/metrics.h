// Router metrics (bounded labels: tier, pool, source, rep).
#pragma once

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <set>
#include <string>

namespace baton::router {

class RouterMetrics {
 public:
  explicit RouterMetrics(prometheus::Registry& registry);
  void routed(const std::string& tier, const std::string& pool, const std::string& source,
              double capture_to_assignment_seconds);
  void held_delta(double d);
  void open_leads_delta(const std::string& rep, double d);

  // Sources outside this set are reported as "other" (bounded labels).
  static std::string bounded_source(const std::string& source);

 private:
  prometheus::Family<prometheus::Counter>& routed_;
  prometheus::Histogram& latency_;
  prometheus::Gauge& held_;
  prometheus::Family<prometheus::Gauge>& open_;
};

}  // namespace baton::router
