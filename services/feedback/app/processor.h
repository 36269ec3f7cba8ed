// The feedback processor: decodes the lead topics, runs the pure domain
// (domain/lead.h) against the lead's stored record, and turns each Step into
// runtime Effects: the record and per-task aggregates as state, lifecycle
// events, outcomes and alerts to reps (domain/alerts.h, keyed by rep id) as
// outputs, metrics after commit.
//
// State keys (one task = one partition of the co-partitioned lead topics):
//   lead/<id>                  LeadRecord (context, stage history, timeline)
//   erased/<id>                erasure time (ms); late inputs stay ignored
//   funnel/source/<source>     FunnelCounts
//   funnel/campaign/<campaign> FunnelCounts
//   calibration/band/<band>    BandCounts
#pragma once

#include <memory>

#include "app/config.h"
#include "app/metrics.h"
#include "baton/runtime/processor.h"

namespace baton::feedback::app {

class FeedbackProcessor : public runtime::Processor {
 public:
  // metrics may be null (tests).
  FeedbackProcessor(FeedbackConfig config, std::shared_ptr<FeedbackMetrics> metrics);

  std::string name() const override;
  std::vector<std::string> input_topics() const override;
  runtime::InputContract input_contract(std::string_view topic) const override;
  runtime::ProcessResult on_record(const runtime::Record& in, const runtime::StateView& state,
                                   runtime::TimePoint now) override;
  runtime::ProcessResult on_timer(const runtime::Timer& timer, const runtime::StateView& state,
                                  runtime::TimePoint now) override;

 private:
  // Decodes the record as M, loads the lead's record and runs `handler`.
  template <typename M, typename Handler>
  runtime::ProcessResult handle(const runtime::Record& in, const runtime::StateView& state,
                                runtime::TimePoint now, Handler handler);
  runtime::ProcessResult erase(const runtime::Record& in, const runtime::StateView& state,
                               runtime::TimePoint now);
  runtime::ProcessResult apply(const runtime::Record& in, const runtime::StateView& state,
                               const v1::Envelope& env, const Step& step, runtime::TimePoint now);

  FeedbackConfig config_;
  std::shared_ptr<FeedbackMetrics> metrics_;
};

}  // namespace baton::feedback::app
