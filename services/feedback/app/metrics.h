// Feedback metrics (bounded labels only; never a lead id). Updated after
// the transaction commits.
#pragma once

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <cstdint>
#include <map>
#include <mutex>
#include <string>

#include "app/config.h"
#include "domain/funnel.h"
#include "domain/lead.h"

namespace baton::feedback::app {

class FeedbackMetrics {
 public:
  FeedbackMetrics(prometheus::Registry& registry, const FeedbackConfig& config);

  // Counts one committed step's funnel entries, outcomes, dispositions,
  // refused transitions, alerts to reps (by kind) and rep delays (by tier
  // and source: baton_feedback_rep_delay_seconds; by campaign:
  // baton_feedback_rep_delay_by_campaign_seconds).
  void record(const Step& step);
  // Replaces one partition's calibration aggregate and recomputes the gauges.
  void set_calibration(int32_t partition, std::map<std::string, state::BandCounts> bands);

 private:
  std::mutex mu_;
  CalibrationPolicy calibration_policy_;
  BoundedLabels sources_;
  BoundedLabels campaigns_;
  prometheus::Family<prometheus::Counter>& transitions_;
  prometheus::Family<prometheus::Counter>& outcomes_;
  prometheus::Family<prometheus::Counter>& dispositions_;
  prometheus::Family<prometheus::Counter>& rejected_;
  prometheus::Family<prometheus::Counter>& gate_flagged_;
  prometheus::Family<prometheus::Counter>& alerts_;
  prometheus::Family<prometheus::Histogram>& rep_delay_;
  prometheus::Family<prometheus::Histogram>& rep_delay_by_campaign_;
  prometheus::Gauge& flagged_;
  prometheus::Family<prometheus::Gauge>& conversion_ratio_;
  std::map<int32_t, std::map<std::string, state::BandCounts>> calibration_;
};

}  // namespace baton::feedback::app
