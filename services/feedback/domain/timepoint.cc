#include "timepoint.h"

namespace baton::feedback {

google::protobuf::Timestamp to_ts(TimePoint t) {
  const auto ns =
      std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
  google::protobuf::Timestamp ts;
  int64_t secs = ns / 1'000'000'000;
  int64_t nanos = ns % 1'000'000'000;
  if (nanos < 0) {
    nanos += 1'000'000'000;
    secs -= 1;
  }
  ts.set_seconds(secs);
  ts.set_nanos(static_cast<int32_t>(nanos));
  return ts;
}

TimePoint from_ts(const google::protobuf::Timestamp& ts) {
  return TimePoint(std::chrono::duration_cast<TimePoint::duration>(
      std::chrono::seconds(ts.seconds()) + std::chrono::nanoseconds(ts.nanos())));
}

double seconds_between(const google::protobuf::Timestamp& a, const google::protobuf::Timestamp& b) {
  return static_cast<double>(b.seconds() - a.seconds()) +
         static_cast<double>(b.nanos() - a.nanos()) / 1e9;
}

bool earlier(const google::protobuf::Timestamp& a, const google::protobuf::Timestamp& b) {
  return a.seconds() < b.seconds() || (a.seconds() == b.seconds() && a.nanos() < b.nanos());
}

}  // namespace baton::feedback
