// Baton's one time module: the clock type every layer uses and the
// conversions between it, epoch milliseconds and protobuf Timestamps.
// Domain logic never reads a clock; `now` is injected. Every conversion
// clamps to about +-285 years around 1970 (inside what the nanosecond clock
// holds, 1678 .. 2262, with room for arithmetic), so a hostile or corrupt
// timestamp can never overflow (fuzz findings in the router and the SLA
// monitor).
#pragma once

#include <google/protobuf/timestamp.pb.h>

#include <chrono>
#include <cstdint>

namespace baton::time {

using Clock = std::chrono::system_clock;
using TimePoint = Clock::time_point;
using Millis = std::chrono::milliseconds;

// The clamp bound, in seconds either side of the epoch.
inline constexpr int64_t kLimitSeconds = 9'000'000'000;

int64_t to_millis(TimePoint t);
TimePoint from_millis(int64_t ms);

google::protobuf::Timestamp to_timestamp(TimePoint t);
TimePoint from_timestamp(const google::protobuf::Timestamp& ts);
// The Timestamp in epoch milliseconds, clamped like from_timestamp.
int64_t timestamp_millis(const google::protobuf::Timestamp& ts);

}  // namespace baton::time
