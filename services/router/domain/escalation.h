// Pool-level escalation (a lead reassigned past router.max_reassignments):
// to the pool's manager, or up the manager's chain (Rep.manager_id) when the
// manager is inactive, out of office, on holiday or off hours by the one
// Calendar. The climb is the SLA monitor's (baton/time/escalation_chain.h).
#pragma once

#include "baton/time/escalation_chain.h"
#include "baton/time/zone.h"
#include "baton/v1/routing.pb.h"
#include "config.h"
#include "selection.h"

namespace baton::router {

// Who takes the escalated lead: `to` empty when nobody up the chain can (the
// caller then tries the pool's fallback, else the pool); `skipped` lists who
// was passed over and why. The current owner is never chosen.
time::ChainChoice pool_escalation(const v1::PoolRequest& req, const PoolConfig& pool,
                                  const RoutingConfig& cfg, const Roster& roster,
                                  const time::ZoneDb& zones, TimePoint now);

}  // namespace baton::router
