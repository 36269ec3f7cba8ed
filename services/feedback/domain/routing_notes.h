// Small pieces of the routing events' timeline entries: skipped reps, the
// queue that owns a lead no rep owns yet, merged ids. Pure.
#pragma once

#include <google/protobuf/repeated_ptr_field.h>

#include <string>
#include <vector>

#include "baton/feedback/state.pb.h"
#include "baton/v1/routing.pb.h"

namespace baton::feedback {

// "skipped <rep>: <reason>" per rep.
std::vector<std::string> skipped_reasons(
    const google::protobuf::RepeatedPtrField<v1::SkippedRep>& reps);

// `reasons` plus "owner: <queue>" when the router named a queue owner
// (router.captured_owner) for a lead in the Captured stage.
std::vector<std::string> with_owner_queue(std::vector<std::string> reasons,
                                          const std::string& queue);

// The survivor of an identity merge remembers the merged id (bounded).
void remember_merged(state::LeadRecord& lead, const std::string& merged_id);

}  // namespace baton::feedback
