// The sla-monitor's runtime adapter: decodes inputs, loads the lead's state
// and the owner's calendar, calls the pure SlaClock, and turns its decision
// into Effects (state, outputs, durable timers, metrics after commit).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "baton/runtime/processor.h"
#include "config_reader.h"
#include "sla_clock.h"
#include "sla_metrics.h"

namespace baton::sla::app {

class SlaProcessor : public runtime::Processor {
 public:
  // metrics may be null (tests).
  SlaProcessor(AppConfig cfg, std::shared_ptr<SlaMetrics> metrics);

  std::string name() const override { return "sla-monitor"; }
  std::vector<std::string> input_topics() const override;
  std::vector<std::string> global_topics() const override { return {cfg_.topics.roster_reps}; }
  runtime::ProcessResult on_record(const runtime::Record& in, const runtime::StateView& state,
                                   runtime::TimePoint now) override;
  runtime::ProcessResult on_timer(const runtime::Timer& timer, const runtime::StateView& state,
                                  runtime::TimePoint now) override;

 private:
  runtime::ProcessResult routing_event(const runtime::Record& in, const runtime::StateView& state,
                                       runtime::TimePoint now);
  runtime::ProcessResult to_effects(SlaDecision d, const std::string& lead,
                                    const std::string& input_id, const runtime::Record* in,
                                    const runtime::StateView& state,
                                    std::optional<double> lateness);
  std::optional<SlaState> load(const runtime::StateView& state, const std::string& lead) const;
  BusinessCalendar calendar_of(const SlaState* s) const;
  std::optional<v1::Rep> rep(const runtime::StateView& state, const std::string& id) const;

  AppConfig cfg_;
  std::shared_ptr<SlaMetrics> metrics_;
};

}  // namespace baton::sla::app
