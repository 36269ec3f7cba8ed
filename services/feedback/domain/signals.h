// Signals on the timeline (issue 19 point 8): every engagement signal that
// moved the lead's score is a "signal" step with its time, kind, points,
// the score before and after, the tier change and the owner at the time.
// The router names the signal on the ScoreUpdated it caused
// (ScoreUpdated.signal_type); an update without one (a capture's score) is
// a "scored" step as before.
//
// Exactly once: the step is keyed by the routing event's id (a replay is a
// duplicate). Bounded: only the newest FeedbackPolicy.max_timeline_signals
// "signal" steps are kept; older ones are dropped and counted in
// LeadRecord.timeline_signals_dropped (the whole timeline is capped by
// max_timeline_entries as well).
#pragma once

#include "lead.h"

namespace baton::feedback {

Step on_score_updated(const MaybeLead& lead, const v1::ScoreUpdated& in, const FeedbackPolicy& p,
                      TimePoint now);

inline constexpr std::string_view kSignalStep = "signal";

// Drops the oldest "signal" steps beyond `max` (counted in
// lead.timeline_signals_dropped).
void cap_signal_steps(state::LeadRecord& lead, size_t max);

}  // namespace baton::feedback
