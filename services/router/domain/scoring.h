// Fit and intent scoring with a breakdown, qualification and tiers.
#pragma once

#include <vector>

#include "baton/v1/lead.pb.h"
#include "baton/v1/router_state.pb.h"
#include "baton/v1/routing.pb.h"
#include "config.h"

namespace baton::router {

// Points an incoming signal is worth before decay (override when > 0).
double signal_points(const v1::EngagementSignal& s, const ScoringModel& m);

// Fit from firmographics, intent from signals decayed by the half-life:
// points * 0.5^(age / half_life). Every rule that fired is in the breakdown.
v1::Score score_lead(const v1::LeadCaptured& lead, const std::vector<v1::RecordedSignal>& signals,
                     const ScoringModel& m, TimePoint now);

// First tier condition that holds; none: nurture.
v1::Tier pick_tier(const v1::Score& score, const v1::LeadCaptured& lead,
                   const std::vector<v1::RecordedSignal>& signals,
                   const std::vector<TierCondition>& tiers);

// high_intent > standard > nurture.
int tier_rank(v1::Tier t);

}  // namespace baton::router
