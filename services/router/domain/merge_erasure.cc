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
  v1::ErasureRequest r;  // ids only
  auto* e = r.mutable_envelope();
  e->set_lead_id(survivor);
  *e->mutable_event_time() = env.has_event_time() ? env.event_time() : time::to_timestamp(now);
  e->set_source_system("baton-router");
  e->set_schema_version("v1");
  e->set_correlation_id(env.correlation_id());
  e->set_causation_id(env.event_id());
  r.set_requested_by("baton-router");
  r.set_legal_basis("lead " + lead + " merged into it was erased");
  return r;
}

}  // namespace baton::router
