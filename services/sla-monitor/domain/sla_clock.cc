#include "sla_clock.h"

#include <algorithm>

#include "sla_clock_internal.h"

namespace baton::sla {

namespace detail {

TimePoint time_or(const google::protobuf::Timestamp& ts, TimePoint fallback) {
  if (ts.seconds() == 0 && ts.nanos() == 0) return fallback;
  return time::from_timestamp(ts);
}

google::protobuf::Timestamp timestamp(TimePoint t) {
  google::protobuf::Timestamp ts;
  const int64_t ms = time::to_millis(t);
  const int64_t s = ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000);
  ts.set_seconds(s);
  ts.set_nanos(static_cast<int32_t>((ms - s * 1000) * 1000000));
  return ts;
}

double seconds(Millis d) { return static_cast<double>(d.count()) / 1000.0; }

Millis measure(const SlaPolicy& p, const Calendar& cal, TimePoint from, TimePoint to) {
  if (p.clock == ClockKind::kBusinessHours) return cal.between(from, to);
  return to > from ? std::chrono::duration_cast<Millis>(to - from) : Millis(0);
}

TimePoint advance(const SlaPolicy& p, const Calendar& cal, TimePoint from, Millis d) {
  if (p.clock == ClockKind::kBusinessHours) return cal.add(from, d);
  return from + d;
}

SlaPolicy clock_policy(const SlaClock& c) {
  SlaPolicy p;
  p.name = c.policy;
  p.clock = c.business_hours ? ClockKind::kBusinessHours : ClockKind::k24x7;
  return p;
}

void compute_milestones(const SlaPolicy& p, const Calendar& cal, TimePoint start, SlaClock& c) {
  c.policy = p.name;
  c.business_hours = p.clock == ClockKind::kBusinessHours;
  c.deadline =
      p.same_business_day ? cal.end_of_business_day(start) : advance(p, cal, start, p.first_touch);
  const Millis budget = measure(p, cal, start, c.deadline);
  c.warn_at = advance(
      p, cal, start,
      Millis(static_cast<int64_t>(static_cast<double>(budget.count()) * p.warning_fraction)));
  c.escalate_at.reset();
  c.reassign_at.reset();
  if (p.escalate_after)
    c.escalate_at = std::max(c.deadline, advance(p, cal, start, *p.escalate_after));
  if (p.reassign_after)
    c.reassign_at = std::max(c.deadline, advance(p, cal, start, *p.reassign_after));
}

v1::Envelope envelope(const SlaConfig& cfg, const std::string& lead, std::string_view input_id,
                      std::string_view purpose, TimePoint at, const std::string& correlation) {
  v1::Envelope e;
  e.set_event_id(cfg.derive_id(input_id, purpose));
  *e.mutable_event_time() = timestamp(at);
  e.set_source_system(cfg.source_system);
  e.set_lead_id(lead);
  e.set_schema_version("v1");
  e.set_correlation_id(correlation);
  e.set_causation_id(std::string(input_id));
  return e;
}

void emit_sla(SlaDecision& d, const std::string& lead, v1::SlaEvent ev, const v1::Envelope& env) {
  SlaOutput o;
  o.to = Destination::kSlaEvents;
  o.key = lead;
  o.event_id = env.event_id();
  o.event_time = time_or(env.event_time(), TimePoint{});
  o.message = std::move(ev);
  d.outputs.push_back(std::move(o));
}

void schedule(SlaDecision& d, const SlaState& s) {
  const SlaClock& c = s.clock;
  auto set = [&](TimerKind k, bool fired, std::optional<TimePoint> at) {
    const std::string id = timer_id(s.lead_id, k);
    if (fired || !at) {
      d.cancel_timers.push_back(id);
      return;
    }
    d.set_timers.push_back(TimerSpec{id, *at, c.clock_id});
  };
  set(TimerKind::kWarn, c.warned, c.warn_at);
  set(TimerKind::kBreach, c.breached, c.deadline);
  set(TimerKind::kEscalate, c.escalated, c.escalate_at);
  set(TimerKind::kReassign, c.reassign_requested, c.reassign_at);
}

void cancel_clock_timers(SlaDecision& d, const std::string& lead) {
  for (auto k : {TimerKind::kWarn, TimerKind::kBreach, TimerKind::kEscalate, TimerKind::kReassign})
    d.cancel_timers.push_back(timer_id(lead, k));
}

}  // namespace detail

using namespace detail;

namespace {
constexpr const char* kTimerNames[] = {"warn", "breach", "escalate", "reassign", "pending"};

// Emits the previous owner's breach when the lead leaves them overdue.
void close_for_reassignment(SlaDecision& d, SlaState& s, const SlaConfig& cfg,
                            const std::string& input_id, TimePoint at) {
  SlaClock& c = s.clock;
  if (!c.breached && at > c.deadline) {
    c.breached = true;
    v1::SlaEvent ev;
    auto* b = ev.mutable_breached();
    *b->mutable_envelope() =
        envelope(cfg, s.lead_id, input_id, "sla.breached.on_reassignment", at, c.correlation_id);
    b->set_owner_rep_id(c.owner_rep_id);
    b->set_tier(c.tier);
    *b->mutable_deadline() = timestamp(c.deadline);
    b->set_on_reassignment(true);
    emit_sla(d, s.lead_id, std::move(ev), b->envelope());
  }
  if (c.breached && std::find(s.breached_reps.begin(), s.breached_reps.end(), c.owner_rep_id) ==
                        s.breached_reps.end())
    s.breached_reps.push_back(c.owner_rep_id);
}
}  // namespace

std::string timer_id(std::string_view lead, TimerKind kind) {
  return std::string(lead) + "/" + kTimerNames[static_cast<int>(kind)];
}

std::optional<std::pair<std::string, TimerKind>> parse_timer_id(std::string_view id) {
  const size_t slash = id.rfind('/');
  if (slash == std::string_view::npos || slash == 0) return std::nullopt;
  for (int k = 0; k < 5; ++k)
    if (id.substr(slash + 1) == kTimerNames[k])
      return std::make_pair(std::string(id.substr(0, slash)), static_cast<TimerKind>(k));
  return std::nullopt;
}

SlaDecision on_assignment(const v1::Assignment& a, const SlaState* state, const SlaConfig& cfg,
                          const Calendar& cal, TimePoint now) {
  const std::string& lead = a.envelope().lead_id();
  const std::string& id = a.envelope().event_id();
  if (lead.empty() || id.empty()) return SlaDecision::reject("assignment without lead or event id");
  if (a.owner_rep_id().empty()) return SlaDecision::reject("assignment without owner_rep_id");
  const SlaPolicy* pol = cfg.policy(a.tier());
  if (!pol) return SlaDecision::reject("no SLA policy for tier " + std::to_string(a.tier()));
  SlaDecision d;
  if (state && state->clock.clock_id == id) return d;  // replayed assignment
  SlaState s = state ? *state : SlaState{};
  s.lead_id = lead;
  const TimePoint start = time_or(a.assigned_at(), time_or(a.envelope().event_time(), now));
  // Activities held after an earlier clock ended count for this one only if
  // made at or after its start (older ones answered the ended cycle).
  const bool had_clock = s.status != ClockStatus::kNone;
  if (s.status == ClockStatus::kOpen) {
    close_for_reassignment(d, s, cfg, id, start);
  } else {
    d.open_clocks_delta = 1;
  }
  if (s.status != ClockStatus::kNone && a.cycle() != s.clock.cycle) {
    s.attempts.clear();
    s.breached_reps.clear();
  }
  cancel_clock_timers(d, lead);
  SlaClock c;
  c.clock_id = id;
  c.owner_rep_id = a.owner_rep_id();
  c.manager_id = a.manager_id();
  c.tier = a.tier();
  c.cycle = a.cycle();
  c.reassignment_count = a.reassignment_count();
  c.correlation_id = a.envelope().correlation_id();
  // System delay counts from the assignment's cause (capture, promotion,
  // reassignment request), not from the first capture.
  c.captured_at = time_or(a.has_requested_at() ? a.requested_at() : a.captured_at(), start);
  c.started_at = start;
  compute_milestones(*pol, cal, start, c);
  s.clock = std::move(c);
  s.status = ClockStatus::kOpen;
  s.calendar = cal.spec();

  v1::SlaEvent ev;
  auto* st = ev.mutable_started();
  *st->mutable_envelope() = envelope(cfg, lead, id, "sla.started", start, s.clock.correlation_id);
  st->set_owner_rep_id(s.clock.owner_rep_id);
  st->set_tier(s.clock.tier);
  *st->mutable_started_at() = timestamp(start);
  *st->mutable_deadline() = timestamp(s.clock.deadline);
  st->set_policy(pol->name);
  st->set_business_hours(s.clock.business_hours);
  emit_sla(d, lead, std::move(ev), st->envelope());

  // Activities that arrived before this assignment, oldest first.
  std::vector<PendingActivity> pending = std::move(s.pending);
  s.pending.clear();
  std::sort(pending.begin(), pending.end(),
            [](const PendingActivity& x, const PendingActivity& y) { return x.at < y.at; });
  if (!pending.empty()) d.cancel_timers.push_back(timer_id(lead, TimerKind::kPending));
  for (const auto& p : pending) {
    if (p.received + cfg.unknown_activity_window < now) {
      ++d.unknown_dropped;
      continue;
    }
    if (had_clock && p.at < start) continue;
    ++d.unknown_matched;
    record_attempt(s, p.event_id, p.rep_id, p.type, p.at);
    if (s.status != ClockStatus::kOpen || p.rep_id != s.clock.owner_rep_id) continue;
    if (pol->qualifying.count(p.type)) {
      meet(d, s, cfg, cal, p.event_id, activity_name(p.type), std::max(p.at, start));
    } else if (p.type == v1::ACTIVITY_SCHEDULED_CALLBACK && p.callback_at > std::max(p.at, start)) {
      pause(d, s, cfg, cal, std::max(p.at, start), p.callback_at);
    }
  }
  if (s.status == ClockStatus::kOpen) schedule(d, s);
  d.state = std::move(s);
  return d;
}

SlaDecision on_tier_changed(const v1::TierChanged& t, const SlaState* state, const SlaConfig& cfg,
                            const Calendar& cal, TimePoint now) {
  const std::string& id = t.envelope().event_id();
  if (t.envelope().lead_id().empty() || id.empty())
    return SlaDecision::reject("tier change without lead or event id");
  const SlaPolicy* pol = cfg.policy(t.tier());
  if (!pol) return SlaDecision::reject("no SLA policy for tier " + std::to_string(t.tier()));
  SlaDecision d;
  if (!state || state->status != ClockStatus::kOpen) return d;
  SlaState s = *state;
  const TimePoint at = time_or(t.envelope().event_time(), now);
  SlaClock candidate = s.clock;
  compute_milestones(*pol, cal, at, candidate);
  s.clock.tier = t.tier();
  if (candidate.deadline < s.clock.deadline) {
    candidate.tier = t.tier();
    s.clock = std::move(candidate);
    v1::SlaEvent ev;
    auto* st = ev.mutable_started();
    *st->mutable_envelope() =
        envelope(cfg, s.lead_id, id, "sla.retiered", at, s.clock.correlation_id);
    st->set_owner_rep_id(s.clock.owner_rep_id);
    st->set_tier(s.clock.tier);
    *st->mutable_started_at() = timestamp(at);
    *st->mutable_deadline() = timestamp(s.clock.deadline);
    st->set_policy(pol->name);
    st->set_business_hours(s.clock.business_hours);
    emit_sla(d, s.lead_id, std::move(ev), st->envelope());
    schedule(d, s);
  }
  d.state = std::move(s);
  return d;
}

}  // namespace baton::sla
