#include "lifecycle.h"

#include <algorithm>
#include <cctype>

namespace baton::feedback {
namespace {

// Position on the main path; 0 when off the path.
int rank(Stage s) {
  switch (s) {
    case v1::STAGE_CAPTURED:
      return 1;
    case v1::STAGE_ASSIGNED:
      return 2;
    case v1::STAGE_CONTACTED:
      return 3;
    case v1::STAGE_QUALIFIED:
      return 4;
    case v1::STAGE_OPPORTUNITY:
      return 5;
    case v1::STAGE_WON:
    case v1::STAGE_LOST:
      return 6;
    default:
      return 0;
  }
}

bool known(Stage s) {
  return std::find(std::begin(kAllStages), std::end(kAllStages), s) != std::end(kAllStages);
}

}  // namespace

std::string stage_name(Stage s) {
  switch (s) {
    case v1::STAGE_CAPTURED:
      return "captured";
    case v1::STAGE_ASSIGNED:
      return "assigned";
    case v1::STAGE_CONTACTED:
      return "contacted";
    case v1::STAGE_QUALIFIED:
      return "qualified";
    case v1::STAGE_OPPORTUNITY:
      return "opportunity";
    case v1::STAGE_WON:
      return "won";
    case v1::STAGE_LOST:
      return "lost";
    case v1::STAGE_RECYCLED:
      return "recycled";
    case v1::STAGE_REJECTED:
      return "rejected";
    default:
      return "unspecified";
  }
}

std::optional<Stage> stage_from_name(std::string_view name) {
  for (Stage s : kAllStages)
    if (stage_name(s) == name) return s;
  return std::nullopt;
}

std::optional<std::string_view> refusing_rule(Stage from, Stage to) {
  if (!known(to) || !known(from)) return rule::kUnknownStage;
  if (from == v1::STAGE_WON) return rule::kTerminalStage;
  if (from == to) return rule::kSameStage;
  if (to == v1::STAGE_CAPTURED) return rule::kCapturedIsInitial;
  switch (from) {
    case v1::STAGE_LOST:
    case v1::STAGE_REJECTED:
      if (to == v1::STAGE_RECYCLED) return std::nullopt;
      return rule::kClosedOnlyRecycles;
    case v1::STAGE_RECYCLED:
      if (to == v1::STAGE_ASSIGNED) return std::nullopt;
      return rule::kRecycledNeedsAssignment;
    case v1::STAGE_OPPORTUNITY:
      if (to == v1::STAGE_WON || to == v1::STAGE_LOST) return std::nullopt;
      if (to == v1::STAGE_RECYCLED || to == v1::STAGE_REJECTED)
        return rule::kOpportunityClosesWonOrLost;
      return rule::kBackwards;
    default:
      break;
  }
  // From Captured, Assigned, Contacted or Qualified.
  if (to == v1::STAGE_REJECTED) return std::nullopt;
  if (to == v1::STAGE_RECYCLED)
    return from == v1::STAGE_CAPTURED ? std::optional(rule::kSkipsStages) : std::nullopt;
  if (to == v1::STAGE_LOST) return rule::kLostNeedsOpportunity;
  const int delta = rank(to) - rank(from);
  if (delta == 1) return std::nullopt;
  return delta < 1 ? rule::kBackwards : rule::kSkipsStages;
}

bool needs_disposition(Stage to) {
  return to == v1::STAGE_REJECTED || to == v1::STAGE_RECYCLED || to == v1::STAGE_LOST;
}

bool has_outcome(Stage s) {
  return s == v1::STAGE_QUALIFIED || s == v1::STAGE_OPPORTUNITY || s == v1::STAGE_WON ||
         s == v1::STAGE_LOST || s == v1::STAGE_RECYCLED || s == v1::STAGE_REJECTED;
}

bool is_terminal(Stage s) { return s == v1::STAGE_WON; }

std::string disposition_name(v1::DispositionReason r) {
  switch (r) {
    case v1::DISPOSITION_WRONG_ICP:
      return "wrong_icp";
    case v1::DISPOSITION_NO_BUDGET:
      return "no_budget";
    case v1::DISPOSITION_NO_URGENCY:
      return "no_urgency";
    case v1::DISPOSITION_COMPETITOR_CHOSEN:
      return "competitor_chosen";
    case v1::DISPOSITION_UNRESPONSIVE:
      return "unresponsive";
    case v1::DISPOSITION_DUPLICATE:
      return "duplicate";
    case v1::DISPOSITION_BAD_DATA:
      return "bad_data";
    case v1::DISPOSITION_OTHER:
      return "other";
    default:
      return "unspecified";
  }
}

std::optional<std::string_view> disposition_problem(Stage to, const v1::Disposition& d) {
  if (!needs_disposition(to)) return std::nullopt;
  if (d.reason() == v1::DISPOSITION_UNSPECIFIED) return rule::kDispositionRequired;
  if (!v1::DispositionReason_IsValid(d.reason())) return rule::kDispositionUnknown;
  if (d.reason() == v1::DISPOSITION_OTHER) {
    const bool blank = std::all_of(d.text().begin(), d.text().end(),
                                   [](unsigned char c) { return std::isspace(c) != 0; });
    if (blank) return rule::kDispositionTextRequired;
  }
  return std::nullopt;
}

}  // namespace baton::feedback
