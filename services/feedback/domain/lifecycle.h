// The one lifecycle shared by marketing and sales, and the rules that refuse
// impossible transitions. Pure: no I/O, no clock.
//
//   Captured -> Assigned -> Contacted -> Qualified -> Opportunity -> Won | Lost
//   Recycled (back to nurture) and Rejected, both with a required disposition.
//
// Table (from -> allowed targets; everything else is refused by a named rule):
//   Captured    -> Assigned, Rejected
//   Assigned    -> Contacted, Recycled, Rejected
//   Contacted   -> Qualified, Recycled, Rejected
//   Qualified   -> Opportunity, Recycled, Rejected
//   Opportunity -> Won, Lost
//   Won         -> (none: terminal_stage)
//   Lost        -> Recycled
//   Rejected    -> Recycled
//   Recycled    -> Assigned (a new routing cycle)
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "baton/v1/common.pb.h"

namespace baton::feedback {

using v1::Stage;

// Rule names carried by TransitionRejected.rule and the rejected metric.
namespace rule {
inline constexpr std::string_view kUnknownStage = "unknown_stage";
inline constexpr std::string_view kSameStage = "same_stage";
inline constexpr std::string_view kCapturedIsInitial = "captured_is_initial";
inline constexpr std::string_view kTerminalStage = "terminal_stage";
inline constexpr std::string_view kSkipsStages = "skips_stages";
inline constexpr std::string_view kBackwards = "backwards";
inline constexpr std::string_view kOpportunityClosesWonOrLost = "opportunity_closes_won_or_lost";
inline constexpr std::string_view kLostNeedsOpportunity = "lost_needs_opportunity";
inline constexpr std::string_view kClosedOnlyRecycles = "closed_only_recycles";
inline constexpr std::string_view kRecycledNeedsAssignment = "recycled_needs_assignment";
inline constexpr std::string_view kDispositionRequired = "disposition_required";
inline constexpr std::string_view kDispositionUnknown = "disposition_unknown";
inline constexpr std::string_view kDispositionTextRequired = "disposition_text_required";
inline constexpr std::string_view kWonAmountRequired = "won_amount_required";
inline constexpr std::string_view kOpportunityNeedsFitAndIntent =
    "opportunity_needs_fit_and_intent";
inline constexpr std::string_view kUnknownLead = "unknown_lead";
inline constexpr std::string_view kOutOfOrder = "out_of_order";
inline constexpr std::string_view kDuplicate = "duplicate";
inline constexpr std::string_view kErased = "erased";
}  // namespace rule

// Every stage a lead can be in, in lifecycle order.
inline constexpr Stage kAllStages[] = {
    v1::STAGE_CAPTURED,  v1::STAGE_ASSIGNED,    v1::STAGE_CONTACTED,
    v1::STAGE_QUALIFIED, v1::STAGE_OPPORTUNITY, v1::STAGE_WON,
    v1::STAGE_LOST,      v1::STAGE_RECYCLED,    v1::STAGE_REJECTED};

// "captured", "assigned", ... ("unspecified" for anything else).
std::string stage_name(Stage s);
std::optional<Stage> stage_from_name(std::string_view name);

// The rule refusing from -> to, or nullopt when the transition is allowed.
std::optional<std::string_view> refusing_rule(Stage from, Stage to);

// Stages that require a disposition (Rejected, Recycled, Lost).
bool needs_disposition(Stage to);
// Stages that produce a closed-loop outcome for marketing.
bool has_outcome(Stage s);
// Won and Lost close the opportunity; Won is final.
bool is_terminal(Stage s);

// "wrong_icp", "no_budget", ... ("unspecified" for anything else).
std::string disposition_name(v1::DispositionReason r);

// The rule refusing this disposition for a move to `to`, or nullopt.
// Missing reason -> disposition_required; a number outside the controlled
// list -> disposition_unknown; OTHER without text -> disposition_text_required.
std::optional<std::string_view> disposition_problem(Stage to, const v1::Disposition& d);

}  // namespace baton::feedback
