#include "lead_lifecycle.h"

#include "baton/time/time.h"
#include "baton/v1/contract.h"

namespace baton::router {
namespace {

v1::Envelope envelope_for(const v1::LeadState& s, TimePoint now) {
  v1::Envelope env;
  env.set_lead_id(s.lead_id());
  *env.mutable_event_time() = time::to_timestamp(time::from_millis(time::to_millis(now)));
  env.set_source_system("baton-router");
  env.set_schema_version("v1");
  env.set_correlation_id(s.captured().envelope().correlation_id());
  return env;
}

}  // namespace

bool closes_lead(v1::Stage stage) {
  return stage == v1::STAGE_WON || stage == v1::STAGE_LOST || stage == v1::STAGE_REJECTED ||
         stage == v1::STAGE_RECYCLED;
}

LeadDecision::PoolOut release_request(const v1::LeadState& s, const std::string& pool,
                                      const std::string& rep, TimePoint now) {
  LeadDecision::PoolOut out;
  out.purpose = "release/" + pool + "/" + rep;
  *out.request.mutable_envelope() = envelope_for(s, now);
  out.request.set_pool(pool);
  v1::set_pool_request_kind(out.request, v1::POOL_REQUEST_KIND_RELEASE);
  out.request.set_release_rep_id(rep);
  out.request.set_cycle(s.cycle());
  return out;
}

bool is_stale_assignment(const v1::Assignment& a, const v1::LeadState& s) {
  if (s.status() == "closed") return true;
  // An alias: its merge was on the way when the assignment was made.
  if (!s.canonical_lead_id().empty()) return true;
  return s.cycle() > 0 && a.cycle() > 0 && a.cycle() != s.cycle();
}

LeadDecision on_stage_transition(const v1::StageTransitioned& t, const v1::LeadState* state,
                                 const LeadContext& ctx) {
  LeadDecision d;
  if (!closes_lead(t.to())) {
    d.note = "stage change keeps the lead open";
    return d;
  }
  if (!state || !state->canonical_lead_id().empty() || !state->has_captured()) {
    d.note = "stage change for a lead the router does not own";
    return d;
  }
  const std::string& st = state->status();
  if (st == "closed") {
    d.note = "lead already closed";
    return d;
  }
  v1::LeadState s = *state;
  // A nurture lead may have a nurture owner (router.nurture): freed too.
  if ((st == "assigned" || st == "nurture") && !s.assigned_pool().empty() &&
      !s.owner_rep_id().empty()) {
    d.pool_requests.push_back(release_request(s, s.assigned_pool(), s.owner_rep_id(), ctx.now));
  } else if ((st == "requested" || st == "held") && !s.pool().empty()) {
    // In flight: withdraw a held request; an assignment that still lands is
    // released when PoolDesk tells of it (is_stale_assignment).
    LeadDecision::PoolOut w;
    w.purpose = "withdraw/" + s.pool();
    *w.request.mutable_envelope() = envelope_for(s, ctx.now);
    w.request.set_pool(s.pool());
    v1::set_pool_request_kind(w.request, v1::POOL_REQUEST_KIND_WITHDRAW);
    w.request.set_cycle(s.cycle());
    d.pool_requests.push_back(w);
  }
  const int64_t at = t.envelope().has_event_time()
                         ? time::timestamp_millis(t.envelope().event_time())
                         : time::to_millis(ctx.now);
  if (t.to() == v1::STAGE_RECYCLED) {
    // A new cycle in nurture: only signals from now on score (fresh intent).
    s.set_status("nurture");
    s.set_cycle(s.cycle() + 1);
    s.set_previous_outcome(v1::STAGE_RECYCLED);
    s.set_cycle_started_ms(at);
    s.clear_held_by();
    s.set_reassignment_count(0);
    s.clear_owner_rep_id();
    s.clear_assigned_pool();
    d.note = "recycled: slot released, back to nurture";
  } else {
    s.set_status("closed");
    s.set_closed_stage(t.to());
    d.note = "closed: slot released";
  }
  if (replay_hand_raise(s, at, t.envelope().event_id(), ctx, d))
    d.note += "; a hand-raise read before it opens cycle " + std::to_string(s.cycle());
  d.state = std::move(s);
  return d;
}

}  // namespace baton::router
