// The lead's life after handoff, as feedback applied it: a lead that is won,
// lost, rejected or recycled frees its owner's open-lead slot, so
// least-loaded selection and per-rep caps count only leads still open.
#pragma once

#include "baton/v1/lifecycle.pb.h"
#include "lead_desk.h"

namespace baton::router {

// True for stages that end the owner's work on the lead (won, lost,
// rejected, recycled).
bool closes_lead(v1::Stage stage);

// A transition applied by feedback (baton.lifecycle.events). Won, lost and
// rejected close the lead; recycled returns it to nurture and starts a new
// cycle (a later rise in intent routes it again, to anyone). The owner's slot
// is released at the pool's desk; a request still in flight is withdrawn and
// an assignment that lands later is released when PoolDesk tells of it.
LeadDecision on_stage_transition(const v1::StageTransitioned& t, const v1::LeadState* state,
                                 const LeadContext& ctx);

// An assignment told for a lead that was closed, recycled or merged into
// another meanwhile (or for an earlier cycle): the slot it booked is
// released at once.
bool is_stale_assignment(const v1::Assignment& a, const v1::LeadState& s);
LeadDecision::PoolOut release_request(const v1::LeadState& s, const std::string& pool,
                                      const std::string& rep, TimePoint now);

}  // namespace baton::router
