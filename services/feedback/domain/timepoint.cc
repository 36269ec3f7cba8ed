#include "timepoint.h"

namespace baton::feedback {

double seconds_between(const google::protobuf::Timestamp& a, const google::protobuf::Timestamp& b) {
  return static_cast<double>(b.seconds() - a.seconds()) +
         static_cast<double>(b.nanos() - a.nanos()) / 1e9;
}

bool earlier(const google::protobuf::Timestamp& a, const google::protobuf::Timestamp& b) {
  return a.seconds() < b.seconds() || (a.seconds() == b.seconds() && a.nanos() < b.nanos());
}

}  // namespace baton::feedback
