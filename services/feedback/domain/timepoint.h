// Time helpers for the feedback domain. Time is always injected.
#pragma once

#include <google/protobuf/timestamp.pb.h>

#include <chrono>
#include <cstdint>
#include <string>

#include "baton/time/time.h"

namespace baton::feedback {

using TimePoint = ::baton::time::TimePoint;

inline google::protobuf::Timestamp to_ts(TimePoint t) { return ::baton::time::to_timestamp(t); }
inline TimePoint from_ts(const google::protobuf::Timestamp& ts) {
  return ::baton::time::from_timestamp(ts);
}
// b - a in seconds (negative when b is earlier).
double seconds_between(const google::protobuf::Timestamp& a, const google::protobuf::Timestamp& b);
// b - a in milliseconds, at least 0 (per-assignment delays).
int64_t millis_between(const google::protobuf::Timestamp& a, const google::protobuf::Timestamp& b);
// "12s", or "0.004s" below whole seconds (delays on the timeline).
std::string delay_text(int64_t ms);
// a < b.
bool earlier(const google::protobuf::Timestamp& a, const google::protobuf::Timestamp& b);

}  // namespace baton::feedback
