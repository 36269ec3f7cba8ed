// The per-lead timeline: every step of the lead, in event-time order, with
// its owner and the time since the previous step (proof per seam).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "baton/feedback/state.pb.h"

namespace baton::feedback {

// Inserts `entry` in event-time order (after entries with the same time, so
// arrival order breaks ties). Keeps at most `max_entries`, dropping the
// oldest and counting them in lead.timeline_dropped.
void add_to_timeline(state::LeadRecord& lead, state::TimelineEntry entry, size_t max_entries);

struct TimelineStep {
  state::TimelineEntry entry;
  // Seconds since the previous step; 0 for the first.
  double since_previous_seconds = 0;
};

// The timeline as served: ordered steps with durations.
std::vector<TimelineStep> timeline_view(const state::LeadRecord& lead);

}  // namespace baton::feedback
