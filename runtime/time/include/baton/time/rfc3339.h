// The one RFC 3339 formatter and parser (on Abseil's FormatTime/ParseTime).
// Every timestamp Baton writes as text (CloudEvents ce_time, query views,
// roster YAML, the CLI) goes through format_rfc3339; every one it reads
// (roster out-of-office windows, CLI flags, tests) through parse_rfc3339. For
// another zone, with its offset: format_rfc3339(t, zone) in baton/time/zone.h.
#pragma once

#include <string>
#include <string_view>

#include "baton/runtime/status.h"
#include "baton/time/time.h"

namespace baton::time {

// UTC with milliseconds, "2023-11-14T22:13:20.123Z" (floored, so an instant
// before 1970 keeps a non-negative millisecond part).
std::string format_rfc3339(TimePoint t);

// Any fraction and a "Z" or +hh:mm offset, e.g. "2025-01-31T09:30:00Z" or
// "2024-03-10T03:30:00.250-04:00". Error "time.rfc3339" naming why when
// malformed or outside the clamp range of time.h (years 1685 to 2255).
runtime::Result<TimePoint> parse_rfc3339(std::string_view text);

}  // namespace baton::time
