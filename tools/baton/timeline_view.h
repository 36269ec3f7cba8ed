// Renders a lead's handoff timeline, one line per step with durations.
#pragma once

#include <string>
#include <vector>

#include "proto_util.h"

namespace baton::cli {

struct TimelineStep {
  TimePoint at;
  std::string text;
};

// "10:04:05  +0s       (at +0s)      CAPTURED L1 ..." sorted by time (stable).
std::vector<std::string> render_timeline(std::vector<TimelineStep> steps, bool utc);

// Reads the feedback service's /leads/{id}/timeline JSON: an array of steps,
// or an object holding one ("steps", "timeline", "events"). A step's time is
// its "at"/"time"/"event_time"/"timestamp" (RFC 3339 or epoch millis); its
// text joins its label ("step"/"kind"/"type"/"event"/"stage") and the other
// scalar fields. Error "input.timeline" when the shape is not recognised.
Result<std::vector<TimelineStep>> parse_timeline_json(const std::string& body);

}  // namespace baton::cli
