#include "sla_metrics.h"

#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include "baton/v1/contract.h"
#include "sla_config.h"

namespace baton::sla::app {

namespace {

using prometheus::Histogram;

const Histogram::BucketBoundaries& response_buckets() {
  static const Histogram::BucketBoundaries b{30,   60,   120,   300,   600,   900,   1800,
                                             3600, 7200, 14400, 28800, 86400, 172800};
  return b;
}
const Histogram::BucketBoundaries& delay_buckets() {
  static const Histogram::BucketBoundaries b{0.1, 0.5, 1, 2, 5, 10, 30, 60, 300, 900, 3600};
  return b;
}

}  // namespace

MetricFacts facts_of(const SlaDecision& d,
                     const std::function<bool(const std::string&)>& rep_known) {
  MetricFacts f;
  f.unknown_held = d.unknown_held;
  f.unknown_dropped = d.unknown_dropped;
  f.unknown_matched = d.unknown_matched;
  for (const auto& o : d.outputs) {
    const auto* ev = std::get_if<v1::SlaEvent>(&o.message);
    if (!ev) continue;
    if (ev->has_met()) {
      const auto& m = ev->met();
      f.met.push_back(MetricFacts::Met{
          v1::tier_label(m.tier()), rep_known(m.owner_rep_id()) ? m.owner_rep_id() : "other",
          m.within_sla(), m.system_delay_seconds(), m.rep_delay_seconds()});
    } else if (ev->has_breached()) {
      f.breaches.push_back(v1::tier_label(ev->breached().tier()));
    } else if (ev->has_escalated()) {
      f.escalations.push_back(v1::tier_label(ev->escalated().tier()));
    } else if (ev->has_reassignment_requested()) {
      f.reassignments.push_back(v1::tier_label(ev->reassignment_requested().tier()));
    } else if (ev->has_recycle_rejected()) {
      ++f.recycles_rejected;
    }
  }
  return f;
}

SlaMetrics::SlaMetrics(prometheus::Registry& r, size_t max_rep_labels)
    : max_reps_(max_rep_labels),
      first_response_(prometheus::BuildHistogram()
                          .Name("baton_sla_first_response_seconds")
                          .Help("Assignment to the owner's first qualifying touch, as the SLA "
                                "counts it (business seconds for business-hours policies)")
                          .Register(r)),
      first_response_by_rep_(prometheus::BuildHistogram()
                                 .Name("baton_sla_first_response_by_rep_seconds")
                                 .Help("First response per rep (roster reps, capped; others "
                                       "as rep=\"other\")")
                                 .Register(r)),
      system_delay_(prometheus::BuildHistogram()
                        .Name("baton_sla_system_delay_seconds")
                        .Help("Capture to assignment (the system's share of the response)")
                        .Register(r)),
      rep_delay_(prometheus::BuildHistogram()
                     .Name("baton_sla_rep_delay_seconds")
                     .Help("Assignment to first touch (the rep's share of the response)")
                     .Register(r)),
      met_(prometheus::BuildCounter()
               .Name("baton_sla_met_total")
               .Help("First touches by the owner, within the SLA or not")
               .Register(r)),
      breaches_(prometheus::BuildCounter()
                    .Name("baton_sla_breaches_total")
                    .Help("First-touch deadlines missed")
                    .Register(r)),
      escalations_(prometheus::BuildCounter()
                       .Name("baton_sla_escalations_total")
                       .Help("Breaches escalated to the owner's manager")
                       .Register(r)),
      reassignments_(prometheus::BuildCounter()
                         .Name("baton_sla_reassignments_total")
                         .Help("Reassignments requested from the router after a breach")
                         .Register(r)),
      recycles_rejected_(prometheus::BuildCounter()
                             .Name("baton_sla_recycles_rejected_total")
                             .Help("Unresponsive recycles refused for too few contact attempts")
                             .Register(r)),
      unknown_(prometheus::BuildCounter()
                   .Name("baton_sla_unknown_lead_activities_total")
                   .Help("Activities for leads without an assignment: held, matched later, "
                         "or dropped after the window")
                   .Register(r)),
      open_clocks_(prometheus::BuildGauge()
                       .Name("baton_sla_open_clocks")
                       .Help("First-touch clocks open in the partitions this instance owns "
                             "(counted in each task's state, so right after restore and "
                             "rebalance)")
                       .Register(r)
                       .Add({})),
      timer_lateness_(prometheus::BuildHistogram()
                          .Name("baton_sla_timer_lateness_seconds")
                          .Help("How late SLA timers fired after their due time")
                          .Register(r)
                          .Add({}, Histogram::BucketBoundaries{0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5,
                                                               10, 30, 60})) {}

void SlaMetrics::set_open_clocks(int32_t partition, int64_t count) {
  std::lock_guard lk(mu_);
  open_by_partition_[partition] = count;
  refresh_open_clocks();
}

void SlaMetrics::drop_open_clocks(int32_t partition) {
  std::lock_guard lk(mu_);
  open_by_partition_.erase(partition);
  refresh_open_clocks();
}

void SlaMetrics::refresh_open_clocks() {
  int64_t total = 0;
  for (const auto& [p, n] : open_by_partition_) total += n;
  open_clocks_.Set(static_cast<double>(total));
}

std::string SlaMetrics::rep_label(const std::string& rep) {
  std::lock_guard lk(mu_);
  if (reps_.count(rep)) return rep;
  if (rep == "other" || reps_.size() >= max_reps_) return "other";
  reps_.insert(rep);
  return rep;
}

void SlaMetrics::record(const MetricFacts& f) {
  for (const auto& m : f.met) {
    first_response_.Add({{"tier", m.tier}}, response_buckets()).Observe(m.rep_delay);
    first_response_by_rep_.Add({{"rep", rep_label(m.rep)}}, response_buckets())
        .Observe(m.rep_delay);
    system_delay_.Add({{"tier", m.tier}}, delay_buckets()).Observe(m.system_delay);
    rep_delay_.Add({{"tier", m.tier}}, response_buckets()).Observe(m.rep_delay);
    met_.Add({{"tier", m.tier}, {"within", m.within ? "true" : "false"}}).Increment();
  }
  for (const auto& t : f.breaches) breaches_.Add({{"tier", t}}).Increment();
  for (const auto& t : f.escalations) escalations_.Add({{"tier", t}}).Increment();
  for (const auto& t : f.reassignments) reassignments_.Add({{"tier", t}}).Increment();
  if (f.recycles_rejected) recycles_rejected_.Add({}).Increment(f.recycles_rejected);
  if (f.open_clocks) set_open_clocks(f.open_clocks->first, f.open_clocks->second);
  if (f.unknown_held) unknown_.Add({{"outcome", "held"}}).Increment(f.unknown_held);
  if (f.unknown_dropped) unknown_.Add({{"outcome", "dropped"}}).Increment(f.unknown_dropped);
  if (f.unknown_matched) unknown_.Add({{"outcome", "matched"}}).Increment(f.unknown_matched);
  if (f.timer_lateness) timer_lateness_.Observe(std::max(0.0, *f.timer_lateness));
}

}  // namespace baton::sla::app
