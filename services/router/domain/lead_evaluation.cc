// The lead desk's evaluation (declared in lead_evaluation.h): a cycle's
// signals and score, the tier and routing rule that follow, the pool request
// for an owner, re-opening a closed lead on a new hand-raise, and scoring the
// signals kept while the identity check was pending.
#include "lead_evaluation.h"

#include <chrono>
#include <utility>
#include <vector>

#include "baton/time/time.h"
#include "baton/v1/contract.h"
#include "handoff.h"
#include "identity.h"
#include "nurture.h"
#include "rules.h"
#include "scoring.h"

namespace baton::router::detail {
namespace {

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

}  // namespace

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

bool reopen_on(v1::LeadState& s, int64_t at_ms, const std::string& causation,
               const LeadContext& ctx, LeadDecision& d) {
  return reopens(ctx.cfg, s.closed_stage()) && route_if_ready(s, at_ms, causation, ctx, d);
}

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

void stamp_requested(LeadDecision& d, int64_t at_ms) {
  for (auto& out : d.pool_requests)
    if (!out.request.has_requested_at())
      *out.request.mutable_requested_at() = time::to_timestamp(time::from_millis(at_ms));
}

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

}  // namespace baton::router::detail
