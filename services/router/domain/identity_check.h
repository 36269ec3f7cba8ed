// The identity hop (keyed by person): first capture or merge, and whether
// the decision the lead's desk made at capture stands.
#pragma once

#include <vector>

#include "baton/v1/router_state.pb.h"
#include "lead_desk.h"

namespace baton::router {

struct IdentityOutcome {
  v1::IdentityRecord record;                     // person/<key>
  std::vector<LeadDecision::Internal> internal;  // intake (+ alias notice), or a confirmation
  // The check's own decision stands: send its routing events and pool
  // requests on (IdentityCheck.decided, the person not merged elsewhere).
  bool keep_decision = false;
  bool merged = false;  // into another lead of the person, within the window
};

// Same person within the window merges into the first lead. A check that
// carries its lead's decision keeps it unless the lead merges; one that
// asked no pool for an owner then confirms the lead (IdentityConfirmed).
IdentityOutcome resolve_identity(const v1::IdentityCheck& check, const v1::IdentityRecord* existing,
                                 const RoutingConfig& cfg, TimePoint now);

}  // namespace baton::router
