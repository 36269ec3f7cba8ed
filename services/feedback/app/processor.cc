#include "app/processor.h"

#include <map>
#include <type_traits>

#include "app/codec.h"
#include "app/queries.h"
#include "baton/runtime/events.h"
#include "domain/alerts.h"
#include "domain/erasure.h"
#include "domain/lifecycle.h"
#include "domain/retention.h"

namespace baton::feedback::app {
namespace {

using runtime::ProcessResult;
using runtime::Rejection;

v1::Envelope* envelope_of(v1::RoutingEvent& ev) {
  switch (ev.kind_case()) {
    case v1::RoutingEvent::kAssignment:
      return ev.mutable_assignment()->mutable_envelope();
    case v1::RoutingEvent::kNurture:
      return ev.mutable_nurture()->mutable_envelope();
    case v1::RoutingEvent::kTierChanged:
      return ev.mutable_tier_changed()->mutable_envelope();
    case v1::RoutingEvent::kScoreUpdated:
      return ev.mutable_score_updated()->mutable_envelope();
    case v1::RoutingEvent::kHeld:
      return ev.mutable_held()->mutable_envelope();
    case v1::RoutingEvent::kMerged:
      return ev.mutable_merged()->mutable_envelope();
    default:
      return nullptr;
  }
}

v1::Envelope* envelope_of(v1::SlaEvent& ev) {
  switch (ev.kind_case()) {
    case v1::SlaEvent::kStarted:
      return ev.mutable_started()->mutable_envelope();
    case v1::SlaEvent::kWarning:
      return ev.mutable_warning()->mutable_envelope();
    case v1::SlaEvent::kBreached:
      return ev.mutable_breached()->mutable_envelope();
    case v1::SlaEvent::kEscalated:
      return ev.mutable_escalated()->mutable_envelope();
    case v1::SlaEvent::kMet:
      return ev.mutable_met()->mutable_envelope();
    case v1::SlaEvent::kRecycleRejected:
      return ev.mutable_recycle_rejected()->mutable_envelope();
    case v1::SlaEvent::kReassignmentRequested:
      return ev.mutable_reassignment_requested()->mutable_envelope();
    default:
      return nullptr;
  }
}

template <typename M>
v1::Envelope* envelope_of(M& msg) {
  return msg.mutable_envelope();
}

// Decodes the record as M and checks its envelope (lead id from the key
// when the producer left it empty).
template <typename M>
std::optional<Rejection> decode_input(const runtime::Record& in, M& msg, v1::Envelope*& env) {
  if (!runtime::decode(in.value, msg))
    return Rejection{"decode", "not a " + msg.GetTypeName() + " on " + in.topic};
  env = envelope_of(msg);
  if (!env) return Rejection{"invalid", msg.GetTypeName() + " with no event set"};
  if (env->lead_id().empty()) env->set_lead_id(in.key);
  if (env->lead_id().empty()) return Rejection{"invalid", msg.GetTypeName() + " without lead id"};
  return std::nullopt;
}

// The id outputs derive from: the input's event id, else its coordinates.
std::string cause_id(const runtime::Record& in, const v1::Envelope& env) {
  if (!env.event_id().empty()) return runtime::qualified_event_id(in, env.event_id());
  return in.topic + "/" + std::to_string(in.partition) + "/" + std::to_string(in.offset);
}

}  // namespace

FeedbackProcessor::FeedbackProcessor(FeedbackConfig config,
                                     std::shared_ptr<FeedbackMetrics> metrics)
    : config_(std::move(config)), metrics_(std::move(metrics)) {}

std::string FeedbackProcessor::name() const { return kProcessorName; }

std::vector<std::string> FeedbackProcessor::input_topics() const {
  const auto& t = config_.topics;
  return {t.leads_captured,   t.routing_events, t.sla_events,
          t.sales_activities, t.stage_changes,  t.erasure};
}

// The runtime admits inputs by these contracts (hostile sizes, timestamps,
// enums, JSON, ce_type) before the lifecycle sees them. Feedback dead-letters
// the topics it alone reads; the router and the sla-monitor own the rest.
runtime::InputContract FeedbackProcessor::input_contract(std::string_view topic) const {
  const auto& t = config_.topics;
  if (topic == t.leads_captured) return {v1::LeadCaptured::descriptor(), false};
  if (topic == t.routing_events) return {v1::RoutingEvent::descriptor(), false};
  if (topic == t.sla_events) return {v1::SlaEvent::descriptor(), true};
  if (topic == t.sales_activities) return {v1::SalesActivity::descriptor(), false};
  if (topic == t.stage_changes) return {v1::StageChange::descriptor(), true};
  if (topic == t.erasure) return {v1::ErasureRequest::descriptor(), false};
  return {};
}

// The one timer feedback sets: a closed lead's retention (retention.h).
ProcessResult FeedbackProcessor::on_timer(const runtime::Timer& timer,
                                          const runtime::StateView& state, runtime::TimePoint now) {
  runtime::Effects fx;
  const std::string& lead_id = timer.payload;
  if (timer.id != retention_timer_id(lead_id) || state.get(erased_key(lead_id))) return fx;
  const auto lead = parse_state<state::LeadRecord>(state.get(lead_key(lead_id)), nullptr);
  auto req = retention_erasure(lead, lead_id, config_.closed_lead_retention, now);
  if (!req) return fx;
  const std::string id = runtime::derive_event_id("baton/feedback/" + timer.id,
                                                  std::to_string(runtime::to_millis(timer.due)));
  req->mutable_envelope()->set_event_id(id);
  fx.emit(runtime::make_output(config_.topics.erasure, lead_id, *req, id, now));
  return fx;
}

ProcessResult FeedbackProcessor::on_record(const runtime::Record& in,
                                           const runtime::StateView& state,
                                           runtime::TimePoint now) {
  const auto& t = config_.topics;
  if (in.topic == t.erasure) return erase(in, state, now);
  if (in.topic == t.leads_captured)
    return handle<v1::LeadCaptured>(in, state, now, on_lead_captured);
  if (in.topic == t.routing_events)
    return handle<v1::RoutingEvent>(in, state, now, on_routing_event);
  if (in.topic == t.sla_events) return handle<v1::SlaEvent>(in, state, now, on_sla_event);
  if (in.topic == t.sales_activities)
    return handle<v1::SalesActivity>(in, state, now, on_sales_activity);
  if (in.topic == t.stage_changes) return handle<v1::StageChange>(in, state, now, on_stage_change);
  return Rejection{"invalid", "unexpected topic " + in.topic};
}

template <typename M, typename Handler>
ProcessResult FeedbackProcessor::handle(const runtime::Record& in, const runtime::StateView& state,
                                        runtime::TimePoint now, Handler handler) {
  M msg;
  v1::Envelope* env = nullptr;
  if (auto r = decode_input(in, msg, env)) return *r;
  if (state.get(erased_key(env->lead_id()))) {  // late input for an erased lead
    if constexpr (std::is_same_v<M, v1::StageChange>)
      return apply(in, state, *env, on_erased_stage_change(msg, now), now);
    else
      return apply(in, state, *env, on_erased_input(), now);
  }
  bool corrupt = false;
  const auto lead = parse_state<state::LeadRecord>(state.get(lead_key(env->lead_id())), &corrupt);
  if (corrupt) return Rejection{"state", "stored lead record does not decode"};
  Step step = handler(lead, msg, config_.policy, now);
  // A replayed input (the lead saw its id) alerts nobody a second time.
  if (!config_.topics.notifications.empty() && step.ignored != rule::kDuplicate)
    step.alerts = rep_alerts(msg, now);
  return apply(in, state, *env, step, now);
}

ProcessResult FeedbackProcessor::erase(const runtime::Record& in, const runtime::StateView& state,
                                       runtime::TimePoint now) {
  v1::ErasureRequest req;
  v1::Envelope* env = nullptr;
  if (auto r = decode_input(in, req, env)) return *r;
  runtime::Effects fx;
  fx.dedup_id = env->event_id();
  // Deleting the keys tombstones them in the changelog; the marker (no PII)
  // keeps late inputs from bringing the lead back. Aggregates hold counts
  // only and stay.
  Erasure e = forget_lead(req, now);
  for (auto& key : e.deletes) fx.del(std::move(key));
  fx.put(std::move(e.marker_key), std::move(e.marker_value));
  // Merges follow: every lead merged into this one is erased as well (a
  // record of its own, here and in the other services).
  if (const auto lead =
          parse_state<state::LeadRecord>(state.get(lead_key(env->lead_id())), nullptr))
    for (auto& merged : merged_erasures(*lead, req, now)) {
      const std::string id = runtime::derive_event_id(
          cause_id(in, *env), "erase-merged/" + merged.envelope().lead_id());
      merged.mutable_envelope()->set_event_id(id);
      fx.emit(runtime::make_output(config_.topics.erasure, merged.envelope().lead_id(), merged, id,
                                   now));
    }
  return fx;
}

ProcessResult FeedbackProcessor::apply(const runtime::Record& in, const runtime::StateView& state,
                                       const v1::Envelope& env, const Step& step,
                                       runtime::TimePoint now) {
  runtime::Effects fx;
  fx.dedup_id = env.event_id();
  if (step.lead) fx.put(lead_key(env.lead_id()), step.lead->SerializeAsString());
  // Every input for a closed lead restarts its retention clock; reopening it
  // stops the clock.
  if (step.lead && config_.closed_lead_retention.count() > 0) {
    if (is_closed(step.lead->stage()))
      fx.set_timer(retention_timer_id(env.lead_id()), now + config_.closed_lead_retention,
                   env.lead_id());
    else
      fx.cancel_timer(retention_timer_id(env.lead_id()));
  }

  const std::string cause = cause_id(in, env);
  for (size_t i = 0; i < step.lifecycle.size(); ++i) {
    v1::LifecycleEvent ev = step.lifecycle[i];
    const bool moved = ev.has_transitioned();
    v1::Envelope* out_env = moved ? ev.mutable_transitioned()->mutable_envelope()
                                  : ev.mutable_rejected()->mutable_envelope();
    const std::string id = runtime::derive_event_id(cause, "lifecycle/" + std::to_string(i));
    out_env->set_event_id(id);
    fx.emit(
        runtime::make_output(config_.topics.lifecycle_events, env.lead_id(), ev, id,
                             runtime::from_timestamp(out_env->event_time()),
                             moved ? "baton.v1.StageTransitioned" : "baton.v1.TransitionRejected"));
  }
  for (size_t i = 0; i < step.outcomes.size(); ++i) {
    v1::Outcome o = step.outcomes[i];
    const std::string id = runtime::derive_event_id(cause, "outcome/" + std::to_string(i));
    o.mutable_envelope()->set_event_id(id);
    fx.emit(runtime::make_output(config_.topics.outcomes, env.lead_id(), o, id,
                                 runtime::from_timestamp(o.envelope().event_time())));
  }

  for (const auto& alert : step.alerts) {
    v1::RepAlert a = alert;
    const std::string id = runtime::derive_event_id(cause, alert_purpose(a));
    a.set_alert_id(id);
    fx.emit(runtime::make_output(config_.topics.notifications, a.rep_id(), a, id,
                                 runtime::from_timestamp(a.at())));
  }

  // Per-task aggregates: read, add this step's counts, write once per key.
  std::map<std::string, state::FunnelCounts> funnel;
  auto aggregate = [&](const std::string& key) -> state::FunnelCounts& {
    auto [it, fresh] = funnel.try_emplace(key);
    if (fresh)
      if (auto stored = parse_state<state::FunnelCounts>(state.get(key), nullptr))
        it->second = *stored;
    return it->second;
  };
  for (const auto& f : step.funnel)
    for (const auto& key : {funnel_source_key(f.source), funnel_campaign_key(f.campaign)})
      count(aggregate(key), f);
  // Response time by source and campaign (/funnel p50/p90 of the rep delay).
  for (const auto& r : step.rep_delays)
    for (const auto& key : {funnel_source_key(r.source), funnel_campaign_key(r.campaign)})
      count_rep_delay(aggregate(key), r.ms);
  for (const auto& [key, c] : funnel) fx.put(key, c.SerializeAsString());

  std::optional<std::map<std::string, state::BandCounts>> bands;
  if (!step.calibration.empty()) {
    bands.emplace();
    state.scan(kCalibrationPrefix, [&](std::string_view key, std::string_view value) {
      state::BandCounts c;
      if (c.ParseFromArray(value.data(), static_cast<int>(value.size())))
        (*bands)[std::string(key.substr(kCalibrationPrefix.size()))] = c;
      return true;
    });
    for (const auto& c : step.calibration) {
      auto& b = (*bands)[c.band];
      if (c.handoff) b.set_handed_off(b.handed_off() + 1);
      if (c.converted) b.set_converted(b.converted() + 1);
      fx.put(calibration_key(c.band), b.SerializeAsString());
    }
  }

  if (metrics_) {
    Step counted;  // what the metrics need, without the record
    counted.funnel = step.funnel;
    counted.outcomes = step.outcomes;
    counted.rejected_rules = step.rejected_rules;
    counted.flagged_rules = step.flagged_rules;
    counted.alerts = step.alerts;
    counted.rep_delays = step.rep_delays;
    fx.after_commit(
        [m = metrics_, counted = std::move(counted), bands, partition = in.partition]() {
          m->record(counted);
          if (bands) m->set_calibration(partition, *bands);
        });
  }
  return fx;
}

}  // namespace baton::feedback::app
