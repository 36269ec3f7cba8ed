#include "sla_processor.h"

#include <algorithm>
#include <charconv>

#include "baton/runtime/events.h"
#include "baton/v1/roster.pb.h"
#include "erasure.h"
#include "state_codec.h"

namespace baton::sla::app {

namespace {

using runtime::ProcessResult;
using runtime::Rejection;

// Fills the envelope's lead id from the record key when the producer left it out.
void default_lead(v1::Envelope* env, const std::string& key) {
  if (env->lead_id().empty()) env->set_lead_id(key);
}

std::string ce_type_of(const v1::SlaEvent& ev) {
  const auto* field = ev.GetDescriptor()->FindFieldByNumber(static_cast<int>(ev.kind_case()));
  return field && field->message_type() ? field->message_type()->full_name()
                                        : ev.GetDescriptor()->full_name();
}

std::optional<int64_t> parse_count(std::string_view text) {
  int64_t v = 0;
  const char* end = text.data() + text.size();
  auto [p, ec] = std::from_chars(text.data(), end, v);
  if (ec != std::errc() || p != end || v < 0) return std::nullopt;
  return v;
}

// The roster (global table) and each rep's calendar, for the escalation chain.
class RosterDirectory final : public RepDirectory {
 public:
  RosterDirectory(const runtime::StateView& state, const AppConfig& cfg)
      : state_(state), cfg_(cfg) {}
  std::optional<v1::Rep> rep(const std::string& id) const override {
    auto v = state_.global(cfg_.topics.roster_reps, id);
    v1::Rep r;
    if (!v || !runtime::decode(*v, r)) return std::nullopt;
    return r;
  }
  Calendar calendar(const v1::Rep& r) const override {
    return time::calendar_in(*cfg_.zones, cfg_.sla.calendar_for(&r), rep_absences(r));
  }

 private:
  const runtime::StateView& state_;
  const AppConfig& cfg_;
};

}  // namespace

// The runtime admits inputs by these contracts (hostile sizes, timestamps,
// enums, JSON, ce_type) before the SlaClock sees them. The sla-monitor
// dead-letters the topics it alone reads; the router and feedback own the rest.
runtime::InputContract SlaProcessor::input_contract(std::string_view topic) const {
  const auto& t = cfg_.topics;
  if (topic == t.routing_events) return {v1::RoutingEvent::descriptor(), false};
  if (topic == t.activities) return {v1::SalesActivity::descriptor(), true};
  if (topic == t.crm_stage_changes) return {v1::StageChange::descriptor(), true};
  if (topic == t.erasure) return {v1::ErasureRequest::descriptor(), false};
  return {};
}

int64_t open_clocks(const runtime::StateView& state) {
  if (auto v = state.get(kOpenClocksKey))
    if (auto n = parse_count(*v)) return *n;
  int64_t n = 0;
  state.scan("lead/", [&](std::string_view, std::string_view value) {
    auto s = decode_state(value);
    if (s && s->status == ClockStatus::kOpen) ++n;
    return true;
  });
  return n;
}

SlaProcessor::SlaProcessor(AppConfig cfg, std::shared_ptr<SlaMetrics> metrics)
    : cfg_(std::move(cfg)), metrics_(std::move(metrics)) {}

std::vector<std::string> SlaProcessor::input_topics() const {
  return {cfg_.topics.routing_events, cfg_.topics.activities, cfg_.topics.crm_stage_changes,
          cfg_.topics.erasure};
}

std::optional<SlaState> SlaProcessor::load(const runtime::StateView& state,
                                           const std::string& lead) const {
  auto v = state.get(state_key(lead));
  if (!v) return std::nullopt;
  return decode_state(*v);
}

Calendar SlaProcessor::calendar_of(const SlaState* s) const {
  if (!s || s->status == ClockStatus::kNone) return cfg_.sla.default_calendar;
  return time::calendar_in(*cfg_.zones, s->calendar);
}

std::optional<v1::Rep> SlaProcessor::rep(const runtime::StateView& state,
                                         const std::string& id) const {
  return RosterDirectory(state, cfg_).rep(id);
}

ProcessResult SlaProcessor::on_record(const runtime::Record& in, const runtime::StateView& state,
                                      runtime::TimePoint now) {
  if (in.topic == cfg_.topics.routing_events) return routing_event(in, state, now);
  if (in.topic == cfg_.topics.erasure)
    return counted_erasure(erase_lead_clock(in), in.partition, state);
  if (in.topic == cfg_.topics.activities) {
    v1::SalesActivity a;
    if (!runtime::decode(in.value, a)) return Rejection{"decode", "not a baton.v1.SalesActivity"};
    default_lead(a.mutable_envelope(), in.key);
    auto s = load(state, a.envelope().lead_id());
    const SlaState* sp = s ? &*s : nullptr;
    return to_effects(on_activity(a, sp, cfg_.sla, calendar_of(sp), now), a.envelope().lead_id(),
                      a.envelope().event_id(), in.partition, &in, state, std::nullopt);
  }
  if (in.topic == cfg_.topics.crm_stage_changes) {
    v1::StageChange sc;
    if (!runtime::decode(in.value, sc)) return Rejection{"decode", "not a baton.v1.StageChange"};
    default_lead(sc.mutable_envelope(), in.key);
    auto s = load(state, sc.envelope().lead_id());
    const SlaState* sp = s ? &*s : nullptr;
    return to_effects(on_stage_change(sc, sp, cfg_.sla, calendar_of(sp), now),
                      sc.envelope().lead_id(), sc.envelope().event_id(), in.partition, &in, state,
                      std::nullopt);
  }
  return Rejection{"invalid", "unexpected topic " + in.topic};
}

ProcessResult SlaProcessor::routing_event(const runtime::Record& in,
                                          const runtime::StateView& state, runtime::TimePoint now) {
  v1::RoutingEvent ev;
  if (!runtime::decode(in.value, ev)) return Rejection{"decode", "not a baton.v1.RoutingEvent"};
  if (ev.has_assignment()) {
    v1::Assignment a = ev.assignment();
    default_lead(a.mutable_envelope(), in.key);
    auto owner = rep(state, a.owner_rep_id());
    if (a.manager_id().empty() && owner) a.set_manager_id(owner->manager_id());
    auto s = load(state, a.envelope().lead_id());
    Calendar cal = time::calendar_in(*cfg_.zones, cfg_.sla.calendar_for(owner ? &*owner : nullptr));
    return to_effects(on_assignment(a, s ? &*s : nullptr, cfg_.sla, cal, now),
                      a.envelope().lead_id(), a.envelope().event_id(), in.partition, &in, state,
                      std::nullopt);
  }
  if (ev.has_tier_changed()) {
    v1::TierChanged t = ev.tier_changed();
    default_lead(t.mutable_envelope(), in.key);
    auto s = load(state, t.envelope().lead_id());
    const SlaState* sp = s ? &*s : nullptr;
    return to_effects(on_tier_changed(t, sp, cfg_.sla, calendar_of(sp), now),
                      t.envelope().lead_id(), t.envelope().event_id(), in.partition, &in, state,
                      std::nullopt);
  }
  return runtime::Effects{};  // nurture, score updates, holds: not the SLA's business
}

ProcessResult SlaProcessor::counted_erasure(ProcessResult erased, int32_t partition,
                                            const runtime::StateView& state) {
  if (!erased) return erased;
  runtime::Effects& fx = erased.value();
  int64_t delta = 0;
  for (const auto& [key, value] : fx.writes) {
    if (value || key.rfind("lead/", 0) != 0) continue;
    auto raw = state.get(key);
    auto s = raw ? decode_state(*raw) : std::nullopt;
    if (s && s->status == ClockStatus::kOpen) --delta;
  }
  if (delta == 0) return erased;
  const int64_t n = std::max<int64_t>(0, open_clocks(state) + delta);
  fx.put(std::string(kOpenClocksKey), std::to_string(n));
  if (auto metrics = metrics_)
    fx.after_commit([metrics, partition, n] { metrics->set_open_clocks(partition, n); });
  return erased;
}

ProcessResult SlaProcessor::on_timer(const runtime::Timer& timer, const runtime::StateView& state,
                                     runtime::TimePoint now) {
  if (timer.id == kRetiredCensusTimer) {
    runtime::Effects retired;
    retired.del(std::string(kRetiredCensusKey));
    return retired;
  }
  auto parsed = parse_timer_id(timer.id);
  if (!parsed) return runtime::Effects{};
  auto s = load(state, parsed->first);
  const SlaState* sp = s ? &*s : nullptr;
  const RosterDirectory reps(state, cfg_);
  SlaDecision d = sla::on_timer(timer.id, timer.payload, sp, cfg_.sla, calendar_of(sp), now, &reps);
  const double late = std::chrono::duration<double>(now - timer.due).count();
  return to_effects(std::move(d), parsed->first, {}, timer.partition, nullptr, state, late);
}

void SlaProcessor::on_assigned(int32_t partition, const runtime::StateView& state) {
  if (metrics_) metrics_->set_open_clocks(partition, open_clocks(state));
}

void SlaProcessor::on_revoked(int32_t partition) noexcept {
  if (metrics_) metrics_->drop_open_clocks(partition);
}

ProcessResult SlaProcessor::to_effects(SlaDecision d, const std::string& lead,
                                       const std::string& input_id, int32_t partition,
                                       const runtime::Record* in, const runtime::StateView& state,
                                       std::optional<double> lateness) {
  if (!d.invalid.empty()) return Rejection{"invalid", d.invalid};
  runtime::Effects fx;
  fx.dedup_id = input_id;
  if (d.state)
    fx.put(state_key(lead), encode_state(*d.state));
  else if (d.erase_state)
    fx.del(state_key(lead));
  for (const auto& id : d.cancel_timers) fx.cancel_timer(id);
  for (auto& t : d.set_timers) fx.set_timer(std::move(t.id), t.due, std::move(t.payload));
  std::optional<std::pair<int32_t, int64_t>> open;
  if (d.open_clocks_delta != 0) {
    const int64_t n = std::max<int64_t>(0, open_clocks(state) + d.open_clocks_delta);
    fx.put(std::string(kOpenClocksKey), std::to_string(n));
    open.emplace(partition, n);
  }
  if (metrics_) {
    MetricFacts facts = facts_of(d, [&](const std::string& rep_id) {
      return state.global(cfg_.topics.roster_reps, rep_id).has_value();
    });
    facts.timer_lateness = lateness;
    facts.open_clocks = open;
    auto metrics = metrics_;
    fx.after_commit([metrics, facts = std::move(facts)] { metrics->record(facts); });
  }
  for (auto& o : d.outputs) {
    if (auto* ev = std::get_if<v1::SlaEvent>(&o.message)) {
      fx.emit(runtime::make_output(cfg_.topics.sla_events, o.key, *ev, o.event_id, o.event_time,
                                   ce_type_of(*ev)));
    } else if (auto* req = std::get_if<v1::ReassignmentRequest>(&o.message)) {
      fx.emit(runtime::make_output(cfg_.topics.reassign, o.key, *req, o.event_id, o.event_time));
    } else if (auto* sc = std::get_if<v1::StageChange>(&o.message)) {
      runtime::Output out =
          runtime::make_output(cfg_.topics.lifecycle, o.key, *sc, o.event_id, o.event_time);
      if (o.forward_input && in) out.value = in->value;  // unchanged bytes
      fx.emit(std::move(out));
    }
  }
  return fx;
}

}  // namespace baton::sla::app
