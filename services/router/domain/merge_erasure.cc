#include "merge_erasure.h"

#include "baton/time/time.h"
#include "baton/v1/contract.h"

namespace baton::router {

std::optional<v1::ErasureRequest> survivor_erasure(const v1::LeadState& merged,
                                                   const v1::ErasureRequest& req, TimePoint now) {
  const std::string& survivor = merged.canonical_lead_id();
  const std::string& lead = merged.lead_id();
  if (survivor.empty() || survivor == lead) return std::nullopt;
  // Derived from the survivor's own erasure (feedback's request for each
  // merged id): the survivor is being erased already.
  if (req.legal_basis() == v1::merged_into_erased_basis(survivor)) return std::nullopt;
  const auto& env = req.envelope();
  return v1::follow_on_erasure(req, survivor, "baton-router",
                               "lead " + lead + " merged into it was erased",
                               env.has_event_time() ? env.event_time() : time::to_timestamp(now));
}

}  // namespace baton::router
