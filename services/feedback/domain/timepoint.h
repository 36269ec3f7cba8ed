// Time helpers for the feedback domain. Time is always injected.
#pragma once

#include <google/protobuf/timestamp.pb.h>

#include <chrono>

#include "baton/time/time.h"

namespace baton::feedback {

using TimePoint = ::baton::time::TimePoint;

inline google::protobuf::Timestamp to_ts(TimePoint t) { return ::baton::time::to_timestamp(t); }
inline TimePoint from_ts(const google::protobuf::Timestamp& ts) {
  return ::baton::time::from_timestamp(ts);
}
// b - a in seconds (negative when b is earlier).
double seconds_between(const google::protobuf::Timestamp& a, const google::protobuf::Timestamp& b);
// a < b.
bool earlier(const google::protobuf::Timestamp& a, const google::protobuf::Timestamp& b);

}  // namespace baton::feedback
