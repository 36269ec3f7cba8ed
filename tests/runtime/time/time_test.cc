// The one time module: round trips and the clamp that keeps hostile
// timestamps from overflowing the nanosecond clock.
#include "baton/time/time.h"

#include <gtest/gtest.h>

#include <limits>

namespace baton::time {
namespace {

TEST(Time, MillisRoundTrip) {
  EXPECT_EQ(to_millis(from_millis(1711454400123)), 1711454400123);
  EXPECT_EQ(to_millis(from_millis(-5)), -5);
}

TEST(Time, TimestampRoundTripKeepsNanos) {
  google::protobuf::Timestamp ts;
  ts.set_seconds(1711454400);
  ts.set_nanos(123456789);
  const auto back = to_timestamp(from_timestamp(ts));
  EXPECT_EQ(back.seconds(), ts.seconds());
  EXPECT_EQ(back.nanos(), ts.nanos());
  EXPECT_EQ(timestamp_millis(ts), 1711454400123);
}

TEST(Time, NegativeTimePointsNormaliseNanos) {
  const auto ts = to_timestamp(from_millis(-1));
  EXPECT_EQ(ts.seconds(), -1);
  EXPECT_EQ(ts.nanos(), 999000000);
}

TEST(Time, HostileValuesClampInsteadOfOverflowing) {
  google::protobuf::Timestamp ts;
  ts.set_seconds(10301396072);  // year 2296: past what nanoseconds hold (fuzz finding)
  EXPECT_EQ(timestamp_millis(ts), kLimitSeconds * 1000);
  ts.set_seconds(std::numeric_limits<int64_t>::max());
  ts.set_nanos(std::numeric_limits<int32_t>::max());
  EXPECT_EQ(to_millis(from_timestamp(ts)), kLimitSeconds * 1000 + 999);
  ts.set_seconds(std::numeric_limits<int64_t>::min());
  EXPECT_EQ(to_millis(from_timestamp(ts)), -(kLimitSeconds - 1) * 1000);
  EXPECT_EQ(to_millis(from_millis(std::numeric_limits<int64_t>::max())), kLimitSeconds * 1000);
  EXPECT_EQ(to_millis(from_millis(std::numeric_limits<int64_t>::min())), -kLimitSeconds * 1000);
}

}  // namespace
}  // namespace baton::time
