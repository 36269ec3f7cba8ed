#include "baton/runtime/headers.h"

#include "baton/time/rfc3339.h"
#include "baton/time/time.h"

namespace baton::runtime {

namespace {

// ce_time, formatted once per distinct time: the outputs of a batch mostly
// share its one clock reading, and formatting is 2% of the router's CPU.
const std::string& ce_time(TimePoint t) {
  thread_local TimePoint last = TimePoint::min();
  thread_local std::string text;
  if (t != last || text.empty()) {
    text = time::format_rfc3339(t);
    last = t;
  }
  return text;
}

}  // namespace

std::vector<Header> cloudevents_headers(std::string_view event_id, std::string_view ce_type,
                                        std::string_view source, TimePoint time,
                                        std::string_view content_type) {
  return {{"ce_specversion", "1.0"},         {"ce_id", std::string(event_id)},
          {"ce_type", std::string(ce_type)}, {"ce_source", std::string(source)},
          {"ce_time", ce_time(time)},        {"content-type", std::string(content_type)}};
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
