// SlaClock timers: warning, breach, escalation, reassignment request, and
// expiry of activities held for leads not yet assigned.
#include <algorithm>

#include "sla_clock.h"
#include "sla_clock_internal.h"

namespace baton::sla {

using namespace detail;

namespace {

SlaDecision expire_pending(const SlaState& state, const SlaConfig& cfg, TimePoint now) {
  SlaDecision d;
  SlaState s = state;
  std::vector<PendingActivity> kept;
  for (auto& p : s.pending) {
    if (p.received + cfg.unknown_activity_window <= now)
      ++d.unknown_dropped;
    else
      kept.push_back(std::move(p));
  }
  s.pending = std::move(kept);
  if (!s.pending.empty()) {
    TimePoint next = s.pending.front().received;
    for (const auto& p : s.pending) next = std::min(next, p.received);
    d.set_timers.push_back(TimerSpec{
        timer_id(s.lead_id, TimerKind::kPending), next + cfg.unknown_activity_window, {}});
  }
  if (s.status == ClockStatus::kNone && s.pending.empty())
    d.erase_state = true;
  else
    d.state = std::move(s);
  return d;
}

void fire_due(SlaDecision& d, SlaState& s, const SlaConfig& cfg, const SlaPolicy& pol,
              const Calendar& cal, TimePoint now, const RepDirectory* reps) {
  SlaClock& c = s.clock;
  const std::string& lead = s.lead_id;
  const bool breach_due = !c.breached && c.deadline <= now;
  // Every milestone of a clock is recorded exactly once, in order, even when
  // its timer fires late (after an outage): a late warning still precedes the
  // breach, with its own event time, so each clock's history is complete.
  if (!c.warned && c.warn_at <= now) {
    c.warned = true;
    v1::SlaEvent ev;
    auto* w = ev.mutable_warning();
    *w->mutable_envelope() =
        envelope(cfg, lead, c.clock_id, "sla.warning", c.warn_at, c.correlation_id);
    w->set_owner_rep_id(c.owner_rep_id);
    w->set_tier(c.tier);
    *w->mutable_deadline() = timestamp(c.deadline);
    w->set_remaining_seconds(seconds(measure(pol, cal, c.warn_at, c.deadline)));
    emit_sla(d, lead, std::move(ev), w->envelope());
  }
  if (breach_due) {
    c.breached = true;
    if (std::find(s.breached_reps.begin(), s.breached_reps.end(), c.owner_rep_id) ==
        s.breached_reps.end())
      s.breached_reps.push_back(c.owner_rep_id);
    v1::SlaEvent ev;
    auto* b = ev.mutable_breached();
    *b->mutable_envelope() =
        envelope(cfg, lead, c.clock_id, "sla.breached", c.deadline, c.correlation_id);
    b->set_owner_rep_id(c.owner_rep_id);
    b->set_tier(c.tier);
    *b->mutable_deadline() = timestamp(c.deadline);
    emit_sla(d, lead, std::move(ev), b->envelope());
  }
  if (c.breached && !c.escalated && c.escalate_at && *c.escalate_at <= now) {
    c.escalated = true;
    v1::SlaEvent ev;
    auto* e = ev.mutable_escalated();
    *e->mutable_envelope() =
        envelope(cfg, lead, c.clock_id, "sla.escalated", *c.escalate_at, c.correlation_id);
    e->set_owner_rep_id(c.owner_rep_id);
    if (reps) {
      EscalationChoice to = choose_escalation(c.owner_rep_id, c.manager_id, *reps, cfg, now);
      e->set_manager_id(to.to);
      e->set_to_fallback(to.to_fallback);
      for (const auto& [id, why] : to.skipped) {
        auto* sk = e->add_skipped();
        sk->set_rep_id(id);
        sk->set_reason(why);
      }
    } else {
      e->set_manager_id(c.manager_id);
    }
    e->set_tier(c.tier);
    e->set_overdue_seconds(seconds(measure(pol, cal, c.deadline, *c.escalate_at)));
    emit_sla(d, lead, std::move(ev), e->envelope());
  }
  if (c.breached && !c.reassign_requested && c.reassign_at && *c.reassign_at <= now) {
    c.reassign_requested = true;
    v1::ReassignmentRequest req;
    *req.mutable_envelope() =
        envelope(cfg, lead, c.clock_id, "sla.reassign.request", *c.reassign_at, c.correlation_id);
    req.set_current_owner_rep_id(c.owner_rep_id);
    req.set_reason("sla_breach");
    req.set_requested_by(cfg.source_system);
    req.set_cycle(c.cycle);
    SlaOutput o;
    o.to = Destination::kReassign;
    o.key = lead;
    o.event_id = req.envelope().event_id();
    o.event_time = *c.reassign_at;
    o.message = std::move(req);
    d.outputs.push_back(std::move(o));
    v1::SlaEvent ev;
    auto* r = ev.mutable_reassignment_requested();
    *r->mutable_envelope() = envelope(cfg, lead, c.clock_id, "sla.reassignment_requested",
                                      *c.reassign_at, c.correlation_id);
    r->set_owner_rep_id(c.owner_rep_id);
    r->set_tier(c.tier);
    r->set_reason("sla_breach");
    emit_sla(d, lead, std::move(ev), r->envelope());
  }
}

}  // namespace

SlaDecision on_timer(std::string_view id, std::string_view payload, const SlaState* state,
                     const SlaConfig& cfg, const Calendar& cal, TimePoint now,
                     const RepDirectory* reps) {
  SlaDecision d;
  auto parsed = parse_timer_id(id);
  if (!parsed || !state) return d;
  if (parsed->second == TimerKind::kPending) return expire_pending(*state, cfg, now);
  if (state->status != ClockStatus::kOpen || payload != state->clock.clock_id) return d;
  SlaState s = *state;
  fire_due(d, s, cfg, clock_policy(s.clock), cal, now, reps);
  schedule(d, s);
  d.state = std::move(s);
  return d;
}

}  // namespace baton::sla
