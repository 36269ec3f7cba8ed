// The lead desk's decisions (stage 1, keyed by lead): validation, capture
// (create, merge or a new cycle), identity confirmation, engagement signals,
// replayed hand-raises, aliases and reassignment. The evaluation they share
// is in lead_evaluation.cc, placements in lead_placement.cc.
#include "lead_desk.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <optional>

#include "baton/time/time.h"
#include "baton/v1/contract.h"
#include "lead_evaluation.h"
#include "lead_lifecycle.h"
#include "scoring.h"

namespace baton::router {

using namespace detail;

namespace {

// Signals kept per lead (scoring decays old ones anyway).
constexpr int kMaxSignalsPerLead = 200;

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

}  // namespace baton::router
