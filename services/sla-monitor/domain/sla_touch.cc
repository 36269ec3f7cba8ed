// What reps and CRMs do to a clock: touches, scheduled callbacks, stage
// changes, and the minimum contact attempts before an unresponsive recycle.
#include <algorithm>
#include <set>

#include "sla_clock.h"
#include "sla_clock_internal.h"

namespace baton::sla {

namespace detail {

namespace {
constexpr size_t kMaxAttempts = 256;
}  // namespace

void record_attempt(SlaState& s, const std::string& event_id, const std::string& rep,
                    v1::ActivityType type, TimePoint at) {
  if (type == v1::ACTIVITY_UNSPECIFIED) return;
  for (const auto& a : s.attempts)
    if (a.event_id == event_id) return;
  if (s.attempts.size() >= kMaxAttempts) s.attempts.erase(s.attempts.begin());
  s.attempts.push_back(Attempt{event_id, rep, type, at});
}

void meet(SlaDecision& d, SlaState& s, const SlaConfig& cfg, const Calendar& cal,
          const std::string& input_id, const std::string& activity, TimePoint at) {
  SlaClock& c = s.clock;
  c.met_at = at;
  c.met_activity = activity;
  c.within_sla = at <= c.deadline;
  c.paused_at.reset();
  c.paused_until.reset();
  s.status = ClockStatus::kMet;
  d.open_clocks_delta -= 1;
  cancel_clock_timers(d, s.lead_id);
  v1::SlaEvent ev;
  auto* m = ev.mutable_met();
  *m->mutable_envelope() = envelope(cfg, s.lead_id, input_id, "sla.met", at, c.correlation_id);
  m->set_owner_rep_id(c.owner_rep_id);
  m->set_tier(c.tier);
  m->set_within_sla(c.within_sla);
  m->set_system_delay_seconds(
      c.started_at > c.captured_at
          ? seconds(std::chrono::duration_cast<Millis>(c.started_at - c.captured_at))
          : 0.0);
  m->set_rep_delay_seconds(seconds(measure(clock_policy(c), cal, c.started_at, at)));
  m->set_activity_type(c.met_activity);
  emit_sla(d, s.lead_id, std::move(ev), m->envelope());
}

void pause(SlaDecision& d, SlaState& s, const SlaConfig&, const Calendar& cal, TimePoint at,
           TimePoint until) {
  SlaClock& c = s.clock;
  const SlaPolicy pol = clock_policy(c);
  auto shift = [&](TimePoint m) {
    if (m <= at) return m;
    return advance(pol, cal, until, measure(pol, cal, at, m));
  };
  if (!c.warned) c.warn_at = shift(c.warn_at);
  if (!c.breached) c.deadline = shift(c.deadline);
  if (c.escalate_at && !c.escalated) c.escalate_at = shift(*c.escalate_at);
  if (c.reassign_at && !c.reassign_requested) c.reassign_at = shift(*c.reassign_at);
  c.paused_at = at;
  c.paused_until = until;
  schedule(d, s);
}

}  // namespace detail

using namespace detail;

std::string missing_attempts(const SlaState& s, const MinAttempts& rule, const Calendar& cal,
                             int* attempts_out, int* distinct_out) {
  std::set<int64_t> distinct;
  for (const auto& a : s.attempts)
    distinct.insert(rule.over == DistinctBasis::kDays ? cal.local_day(a.at)
                                                      : static_cast<int64_t>(a.type));
  const int attempts = static_cast<int>(s.attempts.size());
  const int n = static_cast<int>(distinct.size());
  if (attempts_out) *attempts_out = attempts;
  if (distinct_out) *distinct_out = n;
  std::string missing;
  if (attempts < rule.attempts)
    missing = std::to_string(rule.attempts - attempts) + " more contact attempt" +
              (rule.attempts - attempts == 1 ? "" : "s");
  if (n < rule.distinct) {
    const int more = rule.distinct - n;
    const char* unit = rule.over == DistinctBasis::kDays ? " day" : " channel";
    missing += (missing.empty() ? "" : "; ") + std::to_string(more) + " more distinct" + unit +
               (more == 1 ? "" : "s");
  }
  return missing;
}

SlaDecision on_activity(const v1::SalesActivity& act, const SlaState* state, const SlaConfig& cfg,
                        const Calendar& cal, TimePoint now) {
  const std::string& lead = act.envelope().lead_id();
  const std::string& id = act.envelope().event_id();
  if (lead.empty() || id.empty()) return SlaDecision::reject("activity without lead or event id");
  if (act.rep_id().empty()) return SlaDecision::reject("activity without rep_id");
  if (act.type() == v1::ACTIVITY_UNSPECIFIED) return SlaDecision::reject("activity without type");
  const TimePoint at = time_or(act.envelope().event_time(), now);
  const TimePoint callback = time_or(act.callback_at(), TimePoint{});
  SlaDecision d;
  // Held until a clock starts (within unknown_activity_window): the touch
  // may be read before the assignment it answers.
  auto hold = [&](SlaState& s) {
    for (const auto& p : s.pending)
      if (p.event_id == id) return;  // already held
    if (cfg.unknown_activity_window.count() == 0 ||
        s.pending.size() >= cfg.max_pending_activities) {
      ++d.unknown_dropped;
      return;
    }
    ++d.unknown_held;
    if (s.pending.empty())
      d.set_timers.push_back(
          TimerSpec{timer_id(lead, TimerKind::kPending), now + cfg.unknown_activity_window, {}});
    s.pending.push_back(PendingActivity{id, act.rep_id(), act.type(), at, callback, now});
  };
  if (!state || state->status == ClockStatus::kNone) {
    SlaState s = state ? *state : SlaState{};
    s.lead_id = lead;
    const size_t before = s.pending.size();
    hold(s);
    if (s.pending.size() != before) d.state = std::move(s);
    return d;
  }
  SlaState s = *state;
  record_attempt(s, id, act.rep_id(), act.type(), at);
  if (s.status != ClockStatus::kOpen) {
    // The clock ended (met, stopped): the touch may answer the next cycle's
    // assignment, read after it. That clock takes it only if it is not older.
    hold(s);
  } else if (act.rep_id() == s.clock.owner_rep_id) {
    const SlaPolicy* pol = cfg.policy(s.clock.tier);
    const TimePoint touch = std::max(at, s.clock.started_at);
    if (pol && pol->qualifying.count(act.type())) {
      meet(d, s, cfg, cal, id, activity_name(act.type()), touch);
    } else if (act.type() == v1::ACTIVITY_SCHEDULED_CALLBACK && callback > touch) {
      pause(d, s, cfg, cal, touch, callback);
    }
  }
  d.state = std::move(s);
  return d;
}

SlaDecision on_stage_change(const v1::StageChange& sc, const SlaState* state, const SlaConfig& cfg,
                            const Calendar& cal, TimePoint now) {
  const std::string& lead = sc.envelope().lead_id();
  const std::string& id = sc.envelope().event_id();
  if (lead.empty() || id.empty())
    return SlaDecision::reject("stage change without lead or event id");
  if (sc.stage() == v1::STAGE_UNSPECIFIED) return SlaDecision::reject("stage change without stage");
  const TimePoint at = time_or(sc.envelope().event_time(), now);
  SlaDecision d;
  const bool known = state && state->status != ClockStatus::kNone;
  if (known && sc.stage() == v1::STAGE_RECYCLED &&
      sc.disposition().reason() == v1::DISPOSITION_UNRESPONSIVE &&
      (cfg.min_attempts.attempts > 0 || cfg.min_attempts.distinct > 0)) {
    int attempts = 0, distinct = 0;
    std::string missing = missing_attempts(*state, cfg.min_attempts, cal, &attempts, &distinct);
    if (!missing.empty()) {
      v1::SlaEvent ev;
      auto* r = ev.mutable_recycle_rejected();
      *r->mutable_envelope() =
          envelope(cfg, lead, id, "sla.recycle_rejected", at, sc.envelope().correlation_id());
      r->set_owner_rep_id(sc.owner_rep_id().empty() ? state->clock.owner_rep_id
                                                    : sc.owner_rep_id());
      r->set_attempts(attempts);
      r->set_required_attempts(cfg.min_attempts.attempts);
      r->set_distinct_days(distinct);
      r->set_required_distinct_days(cfg.min_attempts.distinct);
      r->set_missing(missing);
      emit_sla(d, lead, std::move(ev), r->envelope());
      return d;
    }
  }
  SlaOutput fwd;
  fwd.to = Destination::kLifecycle;
  fwd.key = lead;
  fwd.event_id = cfg.derive_id(id, "sla.stage_forward");
  fwd.event_time = at;
  fwd.message = sc;
  fwd.forward_input = true;
  d.outputs.push_back(std::move(fwd));
  if (!known) return d;
  SlaState s = *state;
  s.last_stage = sc.stage();
  if (sc.stage() > v1::STAGE_ASSIGNED && s.status == ClockStatus::kOpen) {
    // The CRM moving the lead forward is proof of contact: the touch event may
    // simply lag on its own topic. Count it as the first touch, at the stage
    // change's time, so every clock ends in exactly one met.
    bool progressed = sc.stage() == v1::STAGE_CONTACTED || sc.stage() == v1::STAGE_QUALIFIED ||
                      sc.stage() == v1::STAGE_OPPORTUNITY || sc.stage() == v1::STAGE_WON;
    if (progressed && (sc.owner_rep_id().empty() || sc.owner_rep_id() == s.clock.owner_rep_id)) {
      meet(d, s, cfg, cal, id, "stage_change", std::max(at, s.clock.started_at));
    } else {
      s.status = ClockStatus::kStopped;
      d.open_clocks_delta -= 1;
      cancel_clock_timers(d, lead);
    }
  }
  d.state = std::move(s);
  return d;
}

}  // namespace baton::sla
