#include "app/metrics.h"

#include "baton/v1/contract.h"
#include "domain/alerts.h"
#include "domain/lifecycle.h"

namespace baton::feedback::app {

FeedbackMetrics::FeedbackMetrics(prometheus::Registry& registry, const FeedbackConfig& config)
    : calibration_policy_(config.policy.calibration),
      sources_(config.top_sources),
      campaigns_(config.top_campaigns, config.pinned_campaigns),
      transitions_(prometheus::BuildCounter()
                       .Name("baton_funnel_transitions_total")
                       .Help("Leads reaching a lifecycle stage (each lead once per stage), by "
                             "source and campaign (campaigns beyond the top N are 'other')")
                       .Register(registry)),
      outcomes_(prometheus::BuildCounter()
                    .Name("baton_feedback_outcomes_total")
                    .Help("Closed-loop outcomes sent to marketing, by stage and source")
                    .Register(registry)),
      dispositions_(prometheus::BuildCounter()
                        .Name("baton_feedback_dispositions_total")
                        .Help("Dispositions of rejected, recycled and lost leads, by campaign")
                        .Register(registry)),
      rejected_(prometheus::BuildCounter()
                    .Name("baton_feedback_transitions_rejected_total")
                    .Help("Stage changes refused, by the rule that refused them")
                    .Register(registry)),
      gate_flagged_(prometheus::BuildCounter()
                        .Name("baton_feedback_transitions_flagged_total")
                        .Help("Stage changes let through against a rule in flag mode "
                              "(feedback.lifecycle.opportunity_gate: flag), by rule")
                        .Register(registry)),
      alerts_(prometheus::BuildCounter()
                  .Name("baton_feedback_alerts_total")
                  .Help("Alerts to reps written to the notifications topic, by kind "
                        "(assigned, sla_warning, reassigned_away)")
                  .Register(registry)),
      rep_delay_(prometheus::BuildHistogram()
                     .Name("baton_feedback_rep_delay_seconds")
                     .Help("Rep delay: an assignment (first or reassignment) to its owner's "
                           "first touch, by tier and source")
                     .Register(registry)),
      rep_delay_by_campaign_(prometheus::BuildHistogram()
                                 .Name("baton_feedback_rep_delay_by_campaign_seconds")
                                 .Help("Rep delay (as baton_feedback_rep_delay_seconds) by "
                                       "campaign (campaigns beyond the top N are 'other')")
                                 .Register(registry)),
      flagged_(prometheus::BuildGauge()
                   .Name("baton_calibration_flagged_bands")
                   .Help("Score bands that score high but convert below ratio x average")
                   .Register(registry)
                   .Add({})),
      conversion_ratio_(prometheus::BuildGauge()
                            .Name("baton_calibration_conversion_ratio")
                            .Help("Conversion of a score band at handoff / average conversion")
                            .Register(registry)) {}

void FeedbackMetrics::record(const Step& step) {
  std::lock_guard lock(mu_);
  for (const auto& f : step.funnel) {
    const std::string campaign = campaigns_.label(f.campaign);
    if (f.first)
      transitions_
          .Add({{"source", sources_.label(f.source)},
                {"campaign", campaign},
                {"stage", stage_name(f.stage)}})
          .Increment();
    if (!f.disposition.empty())
      dispositions_.Add({{"campaign", campaign}, {"reason", f.disposition}}).Increment();
  }
  for (const auto& o : step.outcomes)
    outcomes_.Add({{"stage", stage_name(o.stage())}, {"source", sources_.label(o.source())}})
        .Increment();
  for (const auto& r : step.rejected_rules) rejected_.Add({{"rule", r}}).Increment();
  for (const auto& r : step.flagged_rules) gate_flagged_.Add({{"rule", r}}).Increment();
  for (const auto& a : step.alerts)
    alerts_.Add({{"kind", v1::alert_kind_label(a.kind())}}).Increment();
  // The funnel's buckets (response_time.h): the dashboard and /funnel agree.
  const prometheus::Histogram::BucketBoundaries& buckets = rep_delay_bounds();
  for (const auto& r : step.rep_delays) {
    const double secs = static_cast<double>(r.ms) / 1000.0;
    rep_delay_
        .Add({{"tier", v1::tier_label(r.tier)}, {"source", sources_.label(r.source)}}, buckets)
        .Observe(secs);
    rep_delay_by_campaign_.Add({{"campaign", campaigns_.label(r.campaign)}}, buckets).Observe(secs);
  }
}

void FeedbackMetrics::set_calibration(int32_t partition,
                                      std::map<std::string, state::BandCounts> bands) {
  std::lock_guard lock(mu_);
  calibration_[partition] = std::move(bands);
  std::map<std::string, state::BandCounts> all;
  for (const auto& [_, per] : calibration_)
    for (const auto& [band, c] : per) {
      auto& a = all[band];
      a.set_handed_off(a.handed_off() + c.handed_off());
      a.set_converted(a.converted() + c.converted());
    }
  const auto report = calibrate(all, calibration_policy_);
  flagged_.Set(report.flagged);
  for (const auto& b : report.bands)
    conversion_ratio_.Add({{"band", b.band}}).Set(b.ratio_to_average);
}

}  // namespace baton::feedback::app
