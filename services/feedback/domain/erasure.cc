#include "erasure.h"

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

Step on_erased_stage_change(const v1::StageChange& in, TimePoint now) {
  return detail::refused_without_lead(in, now, rule::kErased, "the lead was erased");
}

Step on_erased_input() { return detail::ignored(std::string(rule::kErased)); }

}  // namespace baton::feedback
