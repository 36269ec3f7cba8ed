#include "routing_notes.h"

#include <algorithm>

namespace baton::feedback {

std::vector<std::string> skipped_reasons(
    const google::protobuf::RepeatedPtrField<v1::SkippedRep>& reps) {
  std::vector<std::string> out;
  for (const auto& r : reps) out.push_back("skipped " + r.rep_id() + ": " + r.reason());
  return out;
}

std::vector<std::string> with_owner_queue(std::vector<std::string> reasons,
                                          const std::string& queue) {
  if (!queue.empty()) reasons.push_back("owner: " + queue);
  return reasons;
}

void remember_merged(state::LeadRecord& lead, const std::string& merged_id) {
  constexpr int kMaxMerged = 64;
  const auto& ids = lead.merged_lead_ids();
  if (merged_id.empty() || merged_id == lead.lead_id() ||
      std::find(ids.begin(), ids.end(), merged_id) != ids.end() || ids.size() >= kMaxMerged)
    return;
  lead.add_merged_lead_ids(merged_id);
}

}  // namespace baton::feedback
