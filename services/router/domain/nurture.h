// Every state has an owner: a nurture lead is assigned to the nurture pool
// (router.nurture), so the SLA monitor runs its same-business-day clock; a
// promotion to sales releases that owner's slot; a lead no rep owns shows
// the captured_owner queue.
#pragma once

#include <string>

#include "baton/v1/router_state.pb.h"
#include "baton/v1/routing.pb.h"
#include "config.h"
#include "lead_desk.h"

namespace baton::router {

// A nurture lead that has no nurture owner and none requested yet.
bool wants_nurture_owner(const v1::LeadState& s, const RoutingConfig& cfg);

// Turns the lead's pool request into the nurture pool's (tier NURTURE) and
// queues it; marks the request in flight (LeadState.pool).
void request_nurture_owner(v1::LeadState& s, v1::PoolRequest req, const RoutingConfig& cfg,
                           LeadDecision& d);

// A nurture-owned lead promoted to sales: `sales` is its new request. The
// nurture owner's slot is released (on the request itself when the pools
// match, else with a release to the nurture pool) and the owner cleared.
void release_nurture_owner(v1::LeadState& s, v1::PoolRequest& sales, LeadDecision& d,
                           TimePoint now);

// An Assignment of tier NURTURE placed (told by PoolDesk): the lead keeps status "nurture"
// and gets the owner; when the lead has moved on (promoted, closed, already
// owned by another rep) the slot is released instead.
void on_nurture_assignment(const v1::Assignment& a, v1::LeadState& s, LeadDecision& d,
                           TimePoint now);

// LeadState.owner_queue: captured_owner while no rep owns an open lead.
void stamp_owner_queue(v1::LeadState& s, const RoutingConfig& cfg);
// The lead's queue owner (stamped above) on the NurtureDecisions it emits.
void stamp_owner_queue(const v1::LeadState& s, LeadDecision& d);

}  // namespace baton::router
