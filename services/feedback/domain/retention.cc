#include "retention.h"

namespace baton::feedback {

bool is_closed(v1::Stage s) {
  return s == v1::STAGE_WON || s == v1::STAGE_LOST || s == v1::STAGE_REJECTED ||
         s == v1::STAGE_RECYCLED;
}

std::string retention_timer_id(const std::string& lead_id) { return "retention/" + lead_id; }

std::optional<v1::ErasureRequest> retention_erasure(const std::optional<state::LeadRecord>& lead,
                                                    const std::string& lead_id,
                                                    std::chrono::milliseconds retention,
                                                    TimePoint now) {
  if (!lead || !is_closed(lead->stage())) return std::nullopt;
  v1::ErasureRequest req;
  auto* env = req.mutable_envelope();
  env->set_lead_id(lead_id);
  env->set_source_system("baton-feedback");
  *env->mutable_event_time() = to_ts(now);
  req.set_requested_by("baton-feedback");
  req.set_legal_basis("retention: closed lead with no activity for " +
                      std::to_string(retention.count() / 86400000) + " days");
  return req;
}

}  // namespace baton::feedback
