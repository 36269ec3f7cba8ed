// Erasure of a lead (the person's right to be forgotten): which keys go,
// the small marker that stays, and what a late input for an erased lead
// does. Pure: no I/O, no clock.
//
// Rules:
// - erasure deletes every key of the lead (erase_lead(); deletes tombstone
//   the changelog) and writes "erased/<id>" holding only the erasure time,
//   so no later input can bring the lead back. Aggregates (funnel,
//   calibration) hold counts only and stay.
// - a stage change for an erased lead is refused (TransitionRejected rule
//   "erased", no state); every other input for it is ignored.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "baton/v1/lead.pb.h"
#include "baton/v1/lifecycle.pb.h"
#include "lead.h"

namespace baton::feedback {

inline constexpr std::string_view kErasedPrefix = "erased/";
std::string erased_key(std::string_view lead_id);

struct Erasure {
  std::vector<std::string> deletes;  // state keys to delete
  std::string marker_key;            // erased/<id>
  std::string marker_value;          // erasure time, ms since the epoch (no PII)
};

// What an erasure request does; the lead id comes from its envelope.
Erasure forget_lead(const v1::ErasureRequest& req, TimePoint now);

// Erasure follows identity merges: erasing the surviving lead erases every
// lead merged into it. One ErasureRequest per merged id (keyed by that id, on
// the erasure topic, so every service forgets it); event ids are left for the
// adapter (derived from the request's). Empty for a lead nothing merged into.
std::vector<v1::ErasureRequest> merged_erasures(const state::LeadRecord& survivor,
                                                const v1::ErasureRequest& req, TimePoint now);

// A stage change for an erased lead: refused with rule "erased".
Step on_erased_stage_change(const v1::StageChange& in, TimePoint now);
// Any other input for an erased lead: ignored ("erased").
Step on_erased_input();

}  // namespace baton::feedback
