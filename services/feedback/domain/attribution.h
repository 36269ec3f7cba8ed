// Revenue attribution of a Won lead under three models, in integer minor
// units that always sum exactly to the deal amount.
//
// first-touch: 100% to the first marketing touch.
// last-touch:  100% to the latest marketing touch known when the deal closed.
// W-shaped:    positions first_touch, lead_creation (the touch that converted
//              the visitor), opportunity_creation (the latest touch when the
//              lead entered Opportunity) get 30% each and the remaining 10% is
//              split equally over the touches in between ("middle"). With no
//              middle touch (only the three positions) each position gets 1/3.
//              A position keeps its credit even when two positions name the
//              same touch, so every model always has the same credit rows.
// Rounding: largest remainder (Hamilton): each share is floored, the leftover
// minor units go one each to the largest fractional parts, ties to the
// earlier position. The sum is therefore exact.
#pragma once

#include <cstdint>
#include <vector>

#include "baton/feedback/state.pb.h"
#include "baton/v1/outcome.pb.h"

namespace baton::feedback {

// Splits `amount` by integer `weights` (all >= 0, sum > 0); sums exactly.
std::vector<int64_t> allocate(int64_t amount, const std::vector<int64_t>& weights);

// The W-shaped positions of a lead, in order (first, creation, middle..., opportunity).
std::vector<state::AttributedTouch> w_shaped_touches(const state::LeadRecord& lead);

// All three models for a deal of `amount_minor`.
v1::Attribution attribute(int64_t amount_minor, const state::LeadRecord& lead);

}  // namespace baton::feedback
