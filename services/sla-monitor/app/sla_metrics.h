// The sla-monitor's Prometheus metrics (bounded labels: tier, rep from the
// roster up to a cap, within, outcome; never a lead id).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "sla_clock.h"

namespace prometheus {
class Registry;
template <typename T>
class Family;
class Counter;
class Gauge;
class Histogram;
}  // namespace prometheus

namespace baton::sla::app {

// What one committed decision means for the metrics (copied out of the
// decision before its outputs are moved into the transaction).
struct MetricFacts {
  struct Met {
    std::string tier, rep;
    bool within = false;
    double system_delay = 0, rep_delay = 0;
  };
  std::vector<Met> met;
  std::vector<std::string> breaches, escalations, reassignments;  // tiers
  int recycles_rejected = 0;
  // Open clocks of one task (partition) after this decision, as counted in
  // the task's state; set by the adapter when it knows the new count.
  std::optional<std::pair<int32_t, int64_t>> open_clocks;
  int unknown_held = 0, unknown_dropped = 0, unknown_matched = 0;
  std::optional<double> timer_lateness;
};

// `rep_known` says whether a rep id is in the roster (unknown reps: "other").
MetricFacts facts_of(const SlaDecision& d,
                     const std::function<bool(const std::string&)>& rep_known);

class SlaMetrics {
 public:
  SlaMetrics(prometheus::Registry& registry, size_t max_rep_labels);
  SlaMetrics(const SlaMetrics&) = delete;
  SlaMetrics& operator=(const SlaMetrics&) = delete;
  void record(const MetricFacts& f);
  // The open clocks of one task as its state counts them: set when the task
  // is assigned and by each commit; dropped when it is revoked (issue 20).
  void set_open_clocks(int32_t partition, int64_t count);
  void drop_open_clocks(int32_t partition);

 private:
  std::string rep_label(const std::string& rep);
  void refresh_open_clocks();  // needs mu_
  std::map<int32_t, int64_t> open_by_partition_;
  size_t max_reps_;
  std::mutex mu_;
  std::set<std::string> reps_;
  prometheus::Family<prometheus::Histogram>& first_response_;
  prometheus::Family<prometheus::Histogram>& first_response_by_rep_;
  prometheus::Family<prometheus::Histogram>& system_delay_;
  prometheus::Family<prometheus::Histogram>& rep_delay_;
  prometheus::Family<prometheus::Counter>& met_;
  prometheus::Family<prometheus::Counter>& breaches_;
  prometheus::Family<prometheus::Counter>& escalations_;
  prometheus::Family<prometheus::Counter>& reassignments_;
  prometheus::Family<prometheus::Counter>& recycles_rejected_;
  prometheus::Family<prometheus::Counter>& unknown_;
  prometheus::Gauge& open_clocks_;
  prometheus::Histogram& timer_lateness_;
};

}  // namespace baton::sla::app
