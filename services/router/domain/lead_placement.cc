// The lead desk's side of PoolDesk's placements (on_routing_event): an
// assignment or a hold of the lead, the nurture owner, a stale assignment's
// slot released, a reassignment read before its assignment applied now, and
// identity_pending cleared (the identity check kept the lead).
#include <algorithm>
#include <iterator>
#include <optional>
#include <utility>

#include "lead_desk.h"
#include "lead_evaluation.h"
#include "lead_lifecycle.h"
#include "nurture.h"
#include "scoring.h"

namespace baton::router {

using namespace detail;

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
