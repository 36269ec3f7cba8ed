// Router metrics. Labels are bounded: tier is one of high-intent, standard,
// nurture (the dashboard's values); pool is a configured pool or "other";
// source is a configured source or "other" ("unknown" when absent); rep is a
// roster rep id.
#pragma once

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <set>
#include <string>
#include <vector>

#include "baton/v1/common.pb.h"

namespace baton::router {

class RouterMetrics {
 public:
  // pools: configured pool names; sources: allowed source labels (empty:
  // default_sources()).
  RouterMetrics(prometheus::Registry& registry, std::set<std::string> pools,
                const std::vector<std::string>& sources = {});
  void routed(v1::Tier tier, const std::string& pool, const std::string& source,
              double capture_to_assignment_seconds);
  void held_delta(const std::string& pool, double d);
  void open_leads_delta(const std::string& rep, double d);
  // A roster update naming a pool the config does not know (ignored).
  void roster_unknown_pool();

  static const std::vector<std::string>& default_sources();
  std::string source_label(const std::string& source) const;
  std::string pool_label(const std::string& pool) const;

  // Buckets of baton_router_capture_to_assignment_seconds (0.005 ... 60, then
  // longer waits for held leads).
  static const std::vector<double>& latency_buckets();

 private:
  std::set<std::string> pools_;
  std::set<std::string> sources_;
  prometheus::Family<prometheus::Counter>& routed_;
  prometheus::Family<prometheus::Histogram>& latency_;
  prometheus::Family<prometheus::Gauge>& held_;
  prometheus::Family<prometheus::Gauge>& open_;
  prometheus::Counter& unknown_pool_;
};

}  // namespace baton::router
