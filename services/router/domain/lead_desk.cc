#include "lead_desk.h"

#include <algorithm>
#include <optional>

#include "baton/time/time.h"
#include "baton/v1/contract.h"
#include "handoff.h"
#include "lead_lifecycle.h"
#include "nurture.h"
#include "rules.h"
#include "scoring.h"

namespace baton::router {
namespace {

// Signals kept per lead (scoring decays old ones anyway).
constexpr int kMaxSignalsPerLead = 200;

v1::Envelope out_envelope(const v1::LeadState& s, const std::string& causation, TimePoint now) {
  v1::Envelope env;
  env.set_lead_id(s.lead_id());
  *env.mutable_event_time() = time::to_timestamp(time::from_millis(time::to_millis(now)));
  env.set_source_system("baton-router");
  env.set_schema_version("v1");
  env.set_correlation_id(s.captured().envelope().correlation_id());
  env.set_causation_id(causation);
  return env;
}

// This cycle's signals: a recycled or returning lead is scored afresh.
std::vector<v1::RecordedSignal> signals_of(const v1::LeadState& s) {
  std::vector<v1::RecordedSignal> out;
  for (const auto& rs : s.signals())
    if (rs.time_ms() >= s.cycle_started_ms()) out.push_back(rs);
  return out;
}

// Signals still within one half-life: a tier's "signals_any" (a demo request
// makes a lead high intent) holds only while the signal is fresh.
std::vector<v1::RecordedSignal> fresh(const std::vector<v1::RecordedSignal>& sig,
                                      const ScoringModel& m, TimePoint now) {
  const int64_t horizon =
      time::to_millis(now) -
      std::chrono::duration_cast<std::chrono::milliseconds>(m.half_life).count();
  std::vector<v1::RecordedSignal> out;
  for (const auto& rs : sig)
    if (rs.time_ms() >= horizon) out.push_back(rs);
  return out;
}

// The rule that routes this cycle: a returning customer (previous cycle won)
// goes to the re-open pool when one is configured.
RuleOutcome route_for(const v1::LeadState& s, const RoutingConfig& cfg) {
  if (s.previous_outcome() == v1::STAGE_WON && !cfg.reopen.won_pool.empty())
    return {"reopen.won", "returning customer (previous cycle won)", cfg.reopen.won_pool};
  return match_rule(s.captured(), cfg.rules, cfg.default_pool);
}

bool reopens(const RoutingConfig& cfg, v1::Stage closed) {
  switch (closed) {
    case v1::STAGE_WON:
      return cfg.reopen.won;
    case v1::STAGE_LOST:
      return cfg.reopen.lost;
    case v1::STAGE_REJECTED:
      return cfg.reopen.rejected;
    default:
      return true;
  }
}

// A closed lead's new hand-raise: a new cycle with nothing carried over but
// the lead's identity and context.
void start_cycle(v1::LeadState& s, int64_t at_ms) {
  s.set_previous_outcome(s.closed_stage());
  s.clear_closed_stage();
  s.set_cycle(s.cycle() + 1);
  s.set_cycle_started_ms(at_ms);
  s.set_status("pending");
  s.clear_held_by();
  s.set_reassignment_count(0);
  s.clear_owner_rep_id();
  s.clear_manager_id();
  s.clear_assigned_pool();
  s.clear_score();
  s.set_tier(v1::TIER_UNSPECIFIED);
}

void evaluate(v1::LeadState& s, const std::string& causation, const LeadContext& ctx,
              LeadDecision& d);

// The lead as it would be re-scored (in a new cycle from `new_cycle_ms`,
// when set): taken, with its events and requests, only when that routes it.
bool route_if_ready(v1::LeadState& s, std::optional<int64_t> new_cycle_ms,
                    const std::string& causation, const LeadContext& ctx, LeadDecision& d) {
  v1::LeadState trial = s;
  if (new_cycle_ms) start_cycle(trial, *new_cycle_ms);
  LeadDecision t;
  evaluate(trial, causation, ctx, t);
  if (trial.status() != "requested") return false;
  s = std::move(trial);
  for (auto& e : t.events) d.events.push_back(std::move(e));
  for (auto& r : t.pool_requests) d.pool_requests.push_back(std::move(r));
  return true;
}

// A closed lead's hand-raise at `at_ms`: a new cycle when the raise qualifies
// the lead on its own (and the closed stage re-opens); otherwise nothing.
bool reopen_on(v1::LeadState& s, int64_t at_ms, const std::string& causation,
               const LeadContext& ctx, LeadDecision& d) {
  return reopens(ctx.cfg, s.closed_stage()) && route_if_ready(s, at_ms, causation, ctx, d);
}

// The pool request for a lead that is ready to be owned.
v1::PoolRequest pool_request(const v1::LeadState& s, const std::string& causation,
                             const LeadContext& ctx, v1::PoolRequestKind kind) {
  RuleOutcome rule = route_for(s, ctx.cfg);
  v1::PoolRequest r;
  *r.mutable_envelope() = out_envelope(s, causation, ctx.now);
  r.set_pool(rule.pool);
  auto it = ctx.cfg.pools.find(rule.pool);
  if (it != ctx.cfg.pools.end()) r.set_fallback_pool(it->second.fallback);
  r.set_tier(s.tier());
  *r.mutable_handoff() = build_handoff(s, rule, ctx.cfg, ctx.now);
  for (const auto& rep : s.held_by()) r.add_excluded_reps(rep);
  r.set_reassignment_count(s.reassignment_count());
  r.set_previous_owner_rep_id(s.owner_rep_id());
  if (ctx.accounts) {
    if (auto m = match_account(s.captured(), ctx.cfg.free_mail_domains, ctx.accounts,
                               ctx.cfg.match_company_domain)) {
      r.set_preferred_rep_id(m->account.owner_rep_id());
      r.mutable_handoff()->set_account_match(m->account.id() + " by " + m->by);
    }
  }
  *r.mutable_captured_at() = time::to_timestamp(time::from_millis(s.captured_at_ms()));
  r.set_cycle(s.cycle());
  r.set_language(lead_field(s.captured(), "language"));
  v1::set_pool_request_kind(r, kind);
  return r;
}

// Re-score and decide what the change means.
void evaluate(v1::LeadState& s, const std::string& causation, const LeadContext& ctx,
              LeadDecision& d) {
  const auto& cfg = ctx.cfg;
  v1::Score before = s.score();
  v1::Tier before_tier = s.tier();
  std::vector<v1::RecordedSignal> sig = signals_of(s);
  *s.mutable_score() = score_lead(s.captured(), sig, cfg.scoring, ctx.now);
  v1::Tier tier = pick_tier(s.score(), s.captured(), fresh(sig, cfg.scoring, ctx.now), cfg.tiers);
  bool changed = before.fit() != s.score().fit() || before.intent() != s.score().intent() ||
                 !before.has_computed_at();
  const std::string& st = s.status();
  // A closed lead (won, lost, rejected) keeps its score but is never routed again.
  bool open = st == "requested" || st == "assigned" || st == "held" || st == "closed";
  if (!open) {
    s.set_tier(tier);
    if (tier == v1::TIER_NURTURE) {
      if (st != "nurture") {
        v1::RoutingEvent ev;
        auto* n = ev.mutable_nurture();
        *n->mutable_envelope() = out_envelope(s, causation, ctx.now);
        *n->mutable_score() = s.score();
        n->set_reason(s.score().sales_ready() ? "no tier condition matched"
                                              : "not sales-ready: fit or intent below threshold");
        d.events.push_back({"nurture", ev});
        changed = false;
      }
      s.set_status("nurture");
      if (wants_nurture_owner(s, cfg)) {
        if (s.cycle() == 0) s.set_cycle(1);
        request_nurture_owner(s, pool_request(s, causation, ctx, v1::POOL_REQUEST_KIND_ASSIGN), cfg,
                              d);
      }
    } else {
      if (s.cycle() == 0) s.set_cycle(1);
      RuleOutcome rule = route_for(s, cfg);
      s.set_pool(rule.pool);
      s.set_rule(rule.rule);
      v1::PoolRequest r = pool_request(s, causation, ctx, v1::POOL_REQUEST_KIND_ASSIGN);
      release_nurture_owner(s, r, d, ctx.now);  // a nurture owner hands over
      d.pool_requests.push_back({"pool_request", std::move(r)});
      s.set_status("requested");
    }
  } else if (tier_rank(tier) > tier_rank(before_tier)) {
    if (st == "assigned") {
      v1::RoutingEvent ev;
      auto* t = ev.mutable_tier_changed();
      *t->mutable_envelope() = out_envelope(s, causation, ctx.now);
      t->set_previous_tier(before_tier);
      t->set_tier(tier);
      t->set_owner_rep_id(s.owner_rep_id());
      t->set_reason("intent rose: " + std::to_string(s.score().intent()));
      d.events.push_back({"tier", ev});
    }
    s.set_tier(tier);
  }
  if (changed) {
    v1::RoutingEvent ev;
    auto* u = ev.mutable_score_updated();
    *u->mutable_envelope() = out_envelope(s, causation, ctx.now);
    *u->mutable_score() = s.score();
    u->set_tier(s.tier());
    d.events.push_back({"score", ev});
  }
}

// The cause of the lead's new pool requests happened at `at_ms` (capture,
// promoting signal): the system delay of their assignment counts from it.
void stamp_requested(LeadDecision& d, int64_t at_ms) {
  for (auto& out : d.pool_requests)
    if (!out.request.has_requested_at())
      *out.request.mutable_requested_at() = time::to_timestamp(time::from_millis(at_ms));
}

bool applied(const v1::LeadState& s, const std::string& id) {
  return std::find(s.applied_event_ids().begin(), s.applied_event_ids().end(), id) !=
         s.applied_event_ids().end();
}

void remember(v1::LeadState& s, const std::string& id) {
  s.add_applied_event_ids(id);
  while (s.applied_event_ids_size() > 32)
    s.mutable_applied_event_ids()->erase(s.mutable_applied_event_ids()->begin());
}

}  // namespace

std::optional<std::pair<std::string, std::string>> invalid_lead(const v1::LeadCaptured& lead,
                                                                const RoutingConfig& cfg,
                                                                TimePoint now) {
  const auto& env = lead.envelope();
  if (env.lead_id().empty()) return std::pair{"invalid", "envelope.lead_id is empty"};
  if (env.event_id().empty()) return std::pair{"invalid", "envelope.event_id is empty"};
  if (lead.person().email().empty() && lead.person().phone().empty())
    return std::pair{"invalid", "no contact point (person.email and person.phone empty)"};
  if (!lead.person().email().empty() && email_domain(lead.person().email()).empty())
    return std::pair{"invalid", "person.email has no domain"};
  if (env.has_event_time()) {
    int64_t t = time::timestamp_millis(env.event_time());
    int64_t skew =
        std::chrono::duration_cast<std::chrono::milliseconds>(cfg.max_clock_skew).count();
    if (t <= 0 || std::llabs(t - time::to_millis(now)) > skew)
      return std::pair{"invalid", "envelope.event_time is absurd (outside max_clock_skew)"};
  }
  if (!lead.trigger_signal().empty() && !signal_from_name(lead.trigger_signal()))
    return std::pair{"unknown_enum", "trigger_signal '" + lead.trigger_signal() + "' unknown"};
  return std::nullopt;
}

namespace {

// A capture of `lead`, first sent as `original_lead_id` (an alias's id when
// the identity desk merged it into this lead).
LeadDecision decide_capture(const v1::LeadCaptured& lead, const std::string& original_lead_id,
                            const v1::LeadState* state, const LeadContext& ctx) {
  LeadDecision d;
  const std::string& event_id = lead.envelope().event_id();
  v1::LeadState s = state ? *state : v1::LeadState{};
  if (applied(s, event_id)) {
    d.note = "capture already applied";
    return d;
  }
  s.set_lead_id(lead.envelope().lead_id());
  int64_t at = lead.envelope().has_event_time()
                   ? time::timestamp_millis(lead.envelope().event_time())
                   : time::to_millis(ctx.now);
  bool first = !s.has_captured();
  if (!first && s.status() == "closed" && reopens(ctx.cfg, s.closed_stage())) {
    // The new hand-raise explains this cycle; the first touch stays.
    v1::LeadCaptured previous = std::move(*s.mutable_captured());
    *s.mutable_captured() = lead;
    if (previous.has_first_touch())
      *s.mutable_captured()->mutable_first_touch() = previous.first_touch();
    start_cycle(s, at);
    d.note = "closed lead captured again: new cycle " + std::to_string(s.cycle());
  }
  if (first) {
    *s.mutable_captured() = lead;
    s.set_captured_at_ms(at);
    if (s.status().empty()) s.set_status("pending");
  }
  // Latest touch: the newest capture's latest (or first) touch.
  const v1::Touch& t = lead.has_latest_touch() ? lead.latest_touch() : lead.first_touch();
  if (!first) {
    s.set_merged_captures(s.merged_captures() + 1);
    if (d.note.empty()) d.note = "same person captured again: merged";
    // Feedback counts it as a touch of this lead, not as a new lead.
    LeadDecision::Event ev;
    ev.purpose = "merged";
    auto* m = ev.event.mutable_merged();
    *m->mutable_envelope() = out_envelope(s, event_id, ctx.now);
    m->set_merged_lead_id(original_lead_id.empty() ? lead.envelope().lead_id() : original_lead_id);
    *m->mutable_touch() = t;
    m->set_source(lead.source());
    m->set_campaign(lead.campaign());
    d.events.push_back(std::move(ev));
  }
  if (lead.has_latest_touch() || lead.has_first_touch()) *s.mutable_latest_touch() = t;
  if (auto type = signal_from_name(lead.trigger_signal())) {
    auto* rs = s.add_signals();
    rs->set_event_id(event_id);
    rs->set_type(*type);
    rs->set_url(t.url());
    rs->set_time_ms(at);
    auto it = ctx.cfg.scoring.signal_points.find(*type);
    rs->set_points(it == ctx.cfg.scoring.signal_points.end() ? 0.0 : it->second);
  }
  if (s.account_id().empty() && ctx.accounts) {
    if (auto m = match_account(s.captured(), ctx.cfg.free_mail_domains, ctx.accounts,
                               ctx.cfg.match_company_domain))
      s.set_account_id(m->account.id());
  }
  remember(s, event_id);
  evaluate(s, event_id, ctx, d);
  stamp_requested(d, at);
  d.state = std::move(s);
  return d;
}

}  // namespace

LeadDecision decide_lead(const v1::LeadIntake& intake, const v1::LeadState* state,
                         const LeadContext& ctx) {
  return decide_capture(intake.lead(), intake.original_lead_id(), state, ctx);
}

LeadDecision decide_captured(const v1::LeadCaptured& lead, const v1::LeadState* state,
                             const LeadContext& ctx) {
  LeadDecision d = decide_capture(lead, lead.envelope().lead_id(), state, ctx);
  if (d.state) d.state->set_identity_pending(true);
  return d;
}

namespace {

// The identity check kept this lead: clear identity_pending; true when
// signals were kept meanwhile (score_kept_signals scores them).
bool clear_identity_pending(v1::LeadState& s) {
  const bool kept = s.signals_while_pending();
  s.clear_identity_pending();
  s.clear_signals_while_pending();
  return kept;
}

void score_kept_signals(bool kept, v1::LeadState& s, const std::string& causation,
                        const LeadContext& ctx, LeadDecision& d) {
  if (kept && s.status() != "closed") evaluate(s, causation, ctx, d);
}

}  // namespace

LeadDecision on_identity_confirmed(const v1::LeadState* state, const std::string& causation,
                                   const LeadContext& ctx) {
  LeadDecision d;
  if (!state || !state->identity_pending()) {
    d.note = "identity confirmed: nothing pending";
    return d;
  }
  v1::LeadState s = *state;
  score_kept_signals(clear_identity_pending(s), s, causation, ctx, d);
  d.state = std::move(s);
  return d;
}

LeadDecision on_signal(const v1::EngagementSignal& signal, const v1::LeadState* state,
                       const LeadContext& ctx) {
  LeadDecision d;
  if (!v1::SignalType_IsValid(signal.type()) || signal.type() == v1::SIGNAL_UNSPECIFIED) {
    d.reject = {"unknown_enum", "signal type " + std::to_string(signal.type()) + " unknown"};
    return d;
  }
  if (signal.envelope().lead_id().empty() || signal.envelope().event_id().empty()) {
    d.reject = {"invalid", "envelope.lead_id or envelope.event_id is empty"};
    return d;
  }
  if (state && !state->canonical_lead_id().empty()) {
    LeadDecision::Internal fwd;
    fwd.purpose = "forward_signal";
    fwd.key = state->canonical_lead_id();
    *fwd.input.mutable_signal() = signal;
    fwd.input.mutable_signal()->mutable_envelope()->set_lead_id(state->canonical_lead_id());
    d.internal.push_back(fwd);
    d.note = "signal of a merged lead forwarded";
    return d;
  }
  v1::LeadState s = state ? *state : v1::LeadState{};
  const std::string& id = signal.envelope().event_id();
  for (const auto& rs : s.signals())
    if (rs.event_id() == id) {
      d.note = "signal already applied";
      return d;
    }
  s.set_lead_id(signal.envelope().lead_id());
  auto* rs = s.add_signals();
  rs->set_event_id(id);
  rs->set_type(signal.type());
  rs->set_url(signal.url());
  const int64_t signal_ms = signal.envelope().has_event_time()
                                ? time::timestamp_millis(signal.envelope().event_time())
                                : time::to_millis(ctx.now);
  rs->set_time_ms(signal_ms);
  rs->set_points(signal_points(signal, ctx.cfg.scoring));
  // A flood of signals for one lead keeps its state bounded: the oldest
  // kept signals (first recorded) give way to the newest.
  while (s.signals_size() > kMaxSignalsPerLead)
    s.mutable_signals()->erase(s.mutable_signals()->begin());
  if (signal.has_touch()) *s.mutable_latest_touch() = signal.touch();
  if (!s.has_captured()) {
    s.set_status("pending");  // signals before the capture: kept
  } else if (s.identity_pending()) {
    // Scored when the identity check keeps this lead (placement or
    // confirmation); forwarded with the rest if it merges it into another.
    s.set_signals_while_pending(true);
    d.note = "signal kept: identity check not answered yet";
  } else if (s.status() == "closed") {
    // A signal that qualifies the lead on its own re-opens it; anything
    // less is kept and never scores (it belongs to the closed cycle).
    if (reopen_on(s, s.signals(s.signals_size() - 1).time_ms(), id, ctx, d))
      d.note = "closed lead raised its hand: new cycle " + std::to_string(s.cycle());
    else
      d.note = "closed lead: signal kept, not enough on its own to re-open";
  } else {
    evaluate(s, id, ctx, d);
  }
  stamp_requested(d, signal_ms);
  d.state = std::move(s);
  return d;
}

bool replay_hand_raise(v1::LeadState& s, int64_t since_ms, const std::string& causation,
                       const LeadContext& ctx, LeadDecision& d) {
  const v1::RecordedSignal* latest = nullptr;
  for (const auto& rs : s.signals())
    if (rs.time_ms() >= since_ms && (!latest || rs.time_ms() > latest->time_ms())) latest = &rs;
  if (!latest) return false;
  const int64_t at = latest->time_ms();
  // Closed: a new cycle from the raise. Recycled: already in its new cycle
  // (nurture), whose signals score.
  const bool routed = s.status() == "closed" ? reopen_on(s, at, causation, ctx, d)
                                             : route_if_ready(s, std::nullopt, causation, ctx, d);
  if (!routed) return false;
  stamp_requested(d, at);
  return true;
}

LeadDecision on_alias(const v1::AliasNotice& alias, const v1::LeadState* state, TimePoint now) {
  LeadDecision d;
  v1::LeadState s;
  s.set_lead_id(alias.lead_id());
  s.set_canonical_lead_id(alias.canonical_lead_id());
  if (state && state->status() == "assigned" && !state->owner_rep_id().empty() &&
      !state->assigned_pool().empty()) {
    // An owned lead merged into another (captured again with the contact of
    // a lead seen first): its rep's slot is freed, as no close will ever
    // reach an alias. The canonical lead keeps its own owner.
    d.pool_requests.push_back(
        release_request(*state, state->assigned_pool(), state->owner_rep_id(), now));
    d.note = "merged into its canonical lead: slot released";
  }
  if (state) {
    for (const auto& rs : state->signals()) {
      LeadDecision::Internal fwd;
      fwd.purpose = "forward_signal/" + rs.event_id();
      fwd.key = alias.canonical_lead_id();
      auto* sig = fwd.input.mutable_signal();
      sig->mutable_envelope()->set_event_id(rs.event_id());
      sig->mutable_envelope()->set_lead_id(alias.canonical_lead_id());
      *sig->mutable_envelope()->mutable_event_time() =
          time::to_timestamp(time::from_millis(rs.time_ms()));
      sig->set_type(rs.type());
      sig->set_url(rs.url());
      sig->set_weight_override(rs.points() > 0 ? rs.points() : 0);
      d.internal.push_back(fwd);
    }
  }
  d.state = std::move(s);
  return d;
}

LeadDecision on_reassign(const v1::ReassignmentRequest& req, const v1::LeadState* state,
                         const LeadContext& ctx) {
  LeadDecision d;
  if (state && state->status() == "requested" && !req.current_owner_rep_id().empty()) {
    // The SLA monitor saw an assignment this desk has not been told of yet
    // (topics are read unevenly): keep the request until it arrives.
    v1::LeadState s = *state;
    *s.mutable_pending_reassignment() = req;
    d.note = "reassignment deferred: own assignment not read yet";
    d.state = std::move(s);
    return d;
  }
  if (!state || state->status() != "assigned") {
    d.note = "reassignment ignored: lead not assigned";
    return d;
  }
  if (!req.current_owner_rep_id().empty() && req.current_owner_rep_id() != state->owner_rep_id()) {
    d.note = "reassignment ignored: owner already changed";
    return d;
  }
  v1::LeadState s = *state;
  s.set_reassignment_count(s.reassignment_count() + 1);
  v1::PoolRequestKind kind = s.reassignment_count() > ctx.cfg.max_reassignments
                                 ? v1::POOL_REQUEST_KIND_ESCALATE
                                 : v1::POOL_REQUEST_KIND_ASSIGN;
  v1::PoolRequest r = pool_request(s, req.envelope().event_id(), ctx, kind);
  r.set_preferred_rep_id("");  // the account owner gets no second turn by preference
  *r.mutable_requested_at() = req.envelope().has_event_time()
                                  ? req.envelope().event_time()
                                  : time::to_timestamp(time::from_millis(time::to_millis(ctx.now)));
  if (s.assigned_pool() == r.pool()) {
    r.set_release_rep_id(s.owner_rep_id());
  } else if (!s.assigned_pool().empty()) {
    v1::PoolRequest rel;
    *rel.mutable_envelope() = r.envelope();
    rel.set_pool(s.assigned_pool());
    v1::set_pool_request_kind(rel, v1::POOL_REQUEST_KIND_RELEASE);
    rel.set_release_rep_id(s.owner_rep_id());
    d.pool_requests.push_back({"release", rel});
  }
  d.pool_requests.push_back({"pool_request", r});
  s.set_status("requested");
  d.state = std::move(s);
  return d;
}

namespace {

// `s` is the decision's working copy of the lead's state: moved into
// d.state when this decision writes it (a reassignment read before the
// assignment, applied now, writes its own from a copy).
LeadDecision place(const v1::RoutingEvent& ev, v1::LeadState& s, const LeadContext& ctx) {
  LeadDecision d;
  if (ev.has_assignment()) {
    const auto& a = ev.assignment();
    if (a.tier() == v1::TIER_NURTURE && s.status() != "closed") {
      on_nurture_assignment(a, s, d, ctx.now);
      d.state = std::move(s);
      return d;
    }
    if (is_stale_assignment(a, s)) {
      d.pool_requests.push_back(release_request(s, a.handoff().pool(), a.owner_rep_id(), ctx.now));
      d.note = "assignment landed after the lead closed or merged: slot released";
      return d;
    }
    s.set_status("assigned");
    s.set_owner_rep_id(a.owner_rep_id());
    s.set_manager_id(a.manager_id());
    s.set_assigned_pool(a.handoff().pool());
    s.set_reassignment_count(std::max(s.reassignment_count(), a.reassignment_count()));
    if (std::find(s.held_by().begin(), s.held_by().end(), a.owner_rep_id()) == s.held_by().end())
      s.add_held_by(a.owner_rep_id());
    if (tier_rank(s.tier()) > tier_rank(a.tier())) {
      // The tier rose while the request was in flight.
      v1::RoutingEvent tc;
      auto* t = tc.mutable_tier_changed();
      *t->mutable_envelope() = out_envelope(s, a.envelope().event_id(), ctx.now);
      t->set_previous_tier(a.tier());
      t->set_tier(s.tier());
      t->set_owner_rep_id(a.owner_rep_id());
      t->set_reason("tier rose before assignment completed");
      d.events.push_back({"tier", tc});
    }
    if (s.has_pending_reassignment()) {
      // A reassignment read before this assignment: apply it now if it was
      // about this owner (else the lead has moved on without it).
      v1::ReassignmentRequest req = s.pending_reassignment();
      s.clear_pending_reassignment();
      if (req.current_owner_rep_id() == a.owner_rep_id()) {
        LeadDecision r = on_reassign(req, &s, ctx);
        r.events.insert(r.events.begin(), std::make_move_iterator(d.events.begin()),
                        std::make_move_iterator(d.events.end()));
        return r;
      }
    }
  } else if (ev.has_held()) {
    if (s.status() == "requested") s.set_status("held");
  } else {
    return d;
  }
  d.state = std::move(s);
  return d;
}

}  // namespace

LeadDecision on_routing_event(const v1::RoutingEvent& ev, const v1::LeadState* state,
                              const LeadContext& ctx) {
  return on_routing_event(ev, state ? std::optional(*state) : std::nullopt, ctx);
}

LeadDecision on_routing_event(const v1::RoutingEvent& ev, std::optional<v1::LeadState> state,
                              const LeadContext& ctx) {
  if (!state) return {};
  v1::LeadState& s = *state;
  if (!s.identity_pending()) return place(ev, s, ctx);
  // The placement of a lead decided at capture: its identity check kept it.
  const bool kept = clear_identity_pending(s);
  LeadDecision d = place(ev, s, ctx);
  if (!d.state) d.state = std::move(s);
  const v1::Envelope& env = ev.has_assignment() ? ev.assignment().envelope() : ev.held().envelope();
  score_kept_signals(kept, *d.state, env.event_id(), ctx, d);
  return d;
}

}  // namespace baton::router
