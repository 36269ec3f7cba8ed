// The handoff package: everything a rep needs to act without asking marketing.
#pragma once

#include "baton/v1/router_state.pb.h"
#include "baton/v1/routing.pb.h"
#include "config.h"
#include "rules.h"

namespace baton::router {

// Built on the lead side; the pool side adds pool, selection and skipped reps.
v1::HandoffPackage build_handoff(const v1::LeadState& lead, const RuleOutcome& rule,
                                 const RoutingConfig& cfg, TimePoint now);

}  // namespace baton::router
