#include "erasure.h"

#include "baton/v1/contract.h"
#include "lead_internal.h"
#include "lifecycle.h"

namespace baton::feedback {

std::string erased_key(std::string_view lead_id) {
  return std::string(kErasedPrefix) + std::string(lead_id);
}

Erasure forget_lead(const v1::ErasureRequest& req, TimePoint now) {
  const auto& env = req.envelope();
  Erasure e;
  e.deletes = erase_lead(env.lead_id());
  e.marker_key = erased_key(env.lead_id());
  const auto at = detail::event_time(env, now);
  e.marker_value = std::to_string(at.seconds() * 1000 + at.nanos() / 1000000);
  return e;
}

std::vector<v1::ErasureRequest> merged_erasures(const state::LeadRecord& survivor,
                                                const v1::ErasureRequest& req, TimePoint now) {
  std::vector<v1::ErasureRequest> out;
  const auto& env = req.envelope();
  for (const auto& id : survivor.merged_lead_ids()) {
    if (id.empty() || id == env.lead_id()) continue;
    out.push_back(v1::follow_on_erasure(req, id, "baton-feedback",
                                        v1::merged_into_erased_basis(env.lead_id()),
                                        detail::event_time(env, now)));
  }
  return out;
}

Step on_erased_stage_change(const v1::StageChange& in, TimePoint now) {
  return detail::refused_without_lead(in, now, rule::kErased, "the lead was erased");
}

Step on_erased_input() { return detail::ignored(std::string(rule::kErased)); }

}  // namespace baton::feedback
