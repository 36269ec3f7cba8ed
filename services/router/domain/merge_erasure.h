// Erasure across an identity merge (the person's right to be forgotten).
//
// A lead merged into another keeps, in the router, only its alias
// (LeadState.canonical_lead_id); the surviving lead's records hold the merged
// capture's data. Erasing the merged-away id must therefore erase the
// survivor as well: the router, which alone knows the alias on the merged
// id's partition, asks for it with one ErasureRequest keyed by the survivor
// on the erasure topic every service reads. Erasing the survivor then erases
// every lead merged into it (feedback's merged_erasures), so an erasure of
// any id of a merge group reaches the whole group. Pure: no I/O, no clock.
#pragma once

#include <optional>

#include "baton/v1/lead.pb.h"
#include "baton/v1/router_state.pb.h"
#include "config.h"

namespace baton::router {

// The survivor's erasure when `merged` (the stored state of the erased lead)
// is an alias of another lead, unless `req` itself comes from the survivor's
// erasure (v1::merged_into_erased_basis); nullopt otherwise. Ids only; the event id is
// left for the adapter (derived from the request's).
std::optional<v1::ErasureRequest> survivor_erasure(const v1::LeadState& merged,
                                                   const v1::ErasureRequest& req, TimePoint now);

}  // namespace baton::router
