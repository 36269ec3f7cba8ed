#include "baton/time/rfc3339.h"

#include <absl/time/time.h>

namespace baton::time {

namespace {
constexpr const char* kRfc3339Utc = "%Y-%m-%dT%H:%M:%E3SZ";
}  // namespace

std::string format_rfc3339(TimePoint t) {
  return absl::FormatTime(kRfc3339Utc, absl::FromChrono(t), absl::UTCTimeZone());
}

runtime::Result<TimePoint> parse_rfc3339(std::string_view text) {
  absl::Time t;
  std::string why;
  if (!absl::ParseTime(absl::RFC3339_full, absl::string_view(text.data(), text.size()),
                       absl::UTCTimeZone(), &t, &why)) {
    return runtime::Error{"time.rfc3339", "not an RFC 3339 time: " + why};
  }
  const int64_t secs = absl::ToUnixSeconds(t);
  if (secs < -kLimitSeconds || secs >= kLimitSeconds) {
    return runtime::Error{"time.rfc3339", "out of range (years 1685 to 2255)"};
  }
  const int64_t nanos = absl::ToInt64Nanoseconds(t - absl::FromUnixSeconds(secs));
  return TimePoint(std::chrono::duration_cast<Clock::duration>(std::chrono::seconds(secs) +
                                                               std::chrono::nanoseconds(nanos)));
}

}  // namespace baton::time
