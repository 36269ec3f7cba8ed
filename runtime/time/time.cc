#include "baton/time/time.h"

#include <algorithm>

namespace baton::time {
namespace {

constexpr int64_t kLimitMillis = kLimitSeconds * 1000;

}  // namespace

int64_t to_millis(TimePoint t) {
  return std::chrono::duration_cast<Millis>(t.time_since_epoch()).count();
}

TimePoint from_millis(int64_t ms) {
  return TimePoint(std::chrono::duration_cast<Clock::duration>(
      Millis(std::clamp<int64_t>(ms, -kLimitMillis, kLimitMillis))));
}

google::protobuf::Timestamp to_timestamp(TimePoint t) {
  google::protobuf::Timestamp ts;
  const auto ns =
      std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
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

TimePoint from_timestamp(const google::protobuf::Timestamp& ts) {
  const int64_t secs = std::clamp<int64_t>(ts.seconds(), -kLimitSeconds, kLimitSeconds);
  const int64_t nanos = std::clamp<int64_t>(ts.nanos(), -999'999'999, 999'999'999);
  return TimePoint(std::chrono::duration_cast<Clock::duration>(std::chrono::seconds(secs) +
                                                               std::chrono::nanoseconds(nanos)));
}

int64_t timestamp_millis(const google::protobuf::Timestamp& ts) {
  return to_millis(from_timestamp(ts));
}

}  // namespace baton::time
