#include "timepoint.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace baton::feedback {

double seconds_between(const google::protobuf::Timestamp& a, const google::protobuf::Timestamp& b) {
  return static_cast<double>(b.seconds() - a.seconds()) +
         static_cast<double>(b.nanos() - a.nanos()) / 1e9;
}

int64_t millis_between(const google::protobuf::Timestamp& a, const google::protobuf::Timestamp& b) {
  return std::max<int64_t>(0, std::llround(seconds_between(a, b) * 1000.0));
}

std::string delay_text(int64_t ms) {
  char buf[32];
  if (ms % 1000 == 0)
    std::snprintf(buf, sizeof buf, "%llds", static_cast<long long>(ms / 1000));
  else
    std::snprintf(buf, sizeof buf, "%.3fs", static_cast<double>(ms) / 1000.0);
  return buf;
}

bool earlier(const google::protobuf::Timestamp& a, const google::protobuf::Timestamp& b) {
  return a.seconds() < b.seconds() || (a.seconds() == b.seconds() && a.nanos() < b.nanos());
}

}  // namespace baton::feedback
