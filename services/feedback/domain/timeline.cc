#include "timeline.h"

#include <algorithm>

#include "timepoint.h"

namespace baton::feedback {

void add_to_timeline(state::LeadRecord& lead, state::TimelineEntry entry, size_t max_entries) {
  auto* tl = lead.mutable_timeline();
  // First position whose time is strictly later than the new entry.
  int pos = tl->size();
  while (pos > 0 && earlier(entry.at(), tl->Get(pos - 1).at())) --pos;
  tl->Add(std::move(entry));
  for (int i = tl->size() - 1; i > pos; --i) tl->SwapElements(i, i - 1);
  if (max_entries > 0 && static_cast<size_t>(tl->size()) > max_entries) {
    const int drop = tl->size() - static_cast<int>(max_entries);
    tl->DeleteSubrange(0, drop);
    lead.set_timeline_dropped(lead.timeline_dropped() + drop);
  }
}

std::vector<TimelineStep> timeline_view(const state::LeadRecord& lead) {
  std::vector<TimelineStep> out;
  out.reserve(lead.timeline_size());
  for (int i = 0; i < lead.timeline_size(); ++i) {
    TimelineStep s{lead.timeline(i), 0};
    if (i > 0) s.since_previous_seconds = seconds_between(lead.timeline(i - 1).at(), s.entry.at());
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace baton::feedback
