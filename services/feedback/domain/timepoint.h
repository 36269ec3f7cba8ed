// Time helpers for the feedback domain. Time is always injected.
#pragma once

#include <google/protobuf/timestamp.pb.h>

#include <chrono>

namespace baton::feedback {

using TimePoint = std::chrono::system_clock::time_point;

google::protobuf::Timestamp to_ts(TimePoint t);
TimePoint from_ts(const google::protobuf::Timestamp& ts);
// b - a in seconds (negative when b is earlier).
double seconds_between(const google::protobuf::Timestamp& a, const google::protobuf::Timestamp& b);
// a < b.
bool earlier(const google::protobuf::Timestamp& a, const google::protobuf::Timestamp& b);

}  // namespace baton::feedback
