#include "baton/runtime/headers.h"

#include <cstdio>
#include <ctime>

namespace baton::runtime {

std::string rfc3339(TimePoint t) {
  // floor, not truncation: times before 1970 keep a non-negative millisecond part.
  auto secs = std::chrono::floor<std::chrono::seconds>(t);
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(t - secs).count();
  std::time_t tt = Clock::to_time_t(secs);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms));
  return buf;
}

std::vector<Header> cloudevents_headers(std::string_view event_id, std::string_view ce_type,
                                        std::string_view source, TimePoint time,
                                        std::string_view content_type) {
  return {{"ce_specversion", "1.0"},         {"ce_id", std::string(event_id)},
          {"ce_type", std::string(ce_type)}, {"ce_source", std::string(source)},
          {"ce_time", rfc3339(time)},        {"content-type", std::string(content_type)}};
}

std::vector<Header> cloudevents_headers(const Output& o, std::string_view service, bool json) {
  return cloudevents_headers(o.event_id, o.ce_type, "baton/" + std::string(service), o.event_time,
                             json ? "application/json" : "application/protobuf");
}

std::vector<Header> dead_letter_headers(const Record& in, const Rejection& why,
                                        std::string_view service) {
  std::vector<Header> hs;
  std::string partition = std::to_string(in.partition);
  std::string offset = std::to_string(in.offset);
  for (const auto& h : in.headers) {
    if (h.key == kOriginPartition)
      partition = h.value;  // moved: where the producer put it
    else if (h.key == kOriginOffset)
      offset = h.value;
    else
      hs.push_back(h);
  }
  hs.push_back({"baton.error.reason", why.reason});
  hs.push_back({"baton.error.detail", why.detail.substr(0, 1024)});
  hs.push_back({"baton.source.topic", in.topic});
  hs.push_back({"baton.source.partition", std::move(partition)});
  hs.push_back({"baton.source.offset", std::move(offset)});
  hs.push_back({"baton.service", std::string(service)});
  return hs;
}

}  // namespace baton::runtime
