// The sla-monitor's runtime adapter: decodes inputs, loads the lead's state
// and the owner's calendar, calls the pure SlaClock, and turns its decision
// into Effects (state, outputs, durable timers, metrics after commit).
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "baton/runtime/processor.h"
#include "config_reader.h"
#include "sla_clock.h"
#include "sla_metrics.h"

namespace baton::sla::app {

// Open clocks are counted in each task's state (key "meta/open_clocks",
// written in the same transaction as the clocks), so the count survives
// kill -9, restore and rebalance. The gauge takes a task's count when the
// task is assigned (on_assigned) and drops it when it is revoked.
inline constexpr std::string_view kOpenClocksKey = "meta/open_clocks";
// State from before the ownership hooks holds a periodic "census" timer
// (and key); it is retired when it fires.
inline constexpr std::string_view kRetiredCensusKey = "meta/census";
inline constexpr std::string_view kRetiredCensusTimer = "census";

// The task's open-clock count: the counter, or (state written before the
// counter existed) a one-time scan of the clocks.
int64_t open_clocks(const runtime::StateView& state);

class SlaProcessor : public runtime::Processor {
 public:
  // metrics may be null (tests).
  SlaProcessor(AppConfig cfg, std::shared_ptr<SlaMetrics> metrics);

  std::string name() const override { return "sla-monitor"; }
  std::vector<std::string> input_topics() const override;
  runtime::InputContract input_contract(std::string_view topic) const override;
  std::vector<std::string> global_topics() const override { return {cfg_.topics.roster_reps}; }
  runtime::ProcessResult on_record(const runtime::Record& in, const runtime::StateView& state,
                                   runtime::TimePoint now) override;
  runtime::ProcessResult on_timer(const runtime::Timer& timer, const runtime::StateView& state,
                                  runtime::TimePoint now) override;
  void on_assigned(int32_t partition, const runtime::StateView& state) override;
  void on_revoked(int32_t partition) noexcept override;

 private:
  runtime::ProcessResult routing_event(const runtime::Record& in, const runtime::StateView& state,
                                       runtime::TimePoint now);
  runtime::ProcessResult to_effects(SlaDecision d, const std::string& lead,
                                    const std::string& input_id, int32_t partition,
                                    const runtime::Record* in, const runtime::StateView& state,
                                    std::optional<double> lateness);
  // An erased lead's open clock leaves the task's count.
  runtime::ProcessResult counted_erasure(runtime::ProcessResult erased, int32_t partition,
                                         const runtime::StateView& state);
  std::optional<SlaState> load(const runtime::StateView& state, const std::string& lead) const;
  Calendar calendar_of(const SlaState* s) const;
  std::optional<v1::Rep> rep(const runtime::StateView& state, const std::string& id) const;

  AppConfig cfg_;
  std::shared_ptr<SlaMetrics> metrics_;
};

}  // namespace baton::sla::app
