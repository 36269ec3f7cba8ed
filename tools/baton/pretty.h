// Decodes records of Baton topics and renders them as JSON lines or as one
// readable line per event (`baton tail --pretty`, `baton timeline`).
#pragma once

#include <google/protobuf/message.h>

#include <memory>
#include <optional>
#include <string>

#include "baton/runtime/processor.h"
#include "proto_util.h"
#include "topics.h"

namespace baton::cli {

// Decodes by the ce_type header when present, else by the topic's type;
// nullptr when the type is unknown or the bytes do not decode.
std::unique_ptr<google::protobuf::Message> decode_record(const runtime::Record& record,
                                                         const TopicInfo* topic);

// {"topic":..,"partition":..,"offset":..,"key":..,"timestamp":..,"type":..,"value":{..}}
// (undecodable values: "value_base64" and "error" instead).
std::string json_line(const runtime::Record& record, const google::protobuf::Message* msg);

// The event time of a Baton message (its envelope, or the oneof member's
// envelope); nullopt when it has none.
std::optional<TimePoint> event_time(const google::protobuf::Message& msg);

// Readable text without the time, e.g.
// "ASSIGNED L123 → rep-ana (high_intent, pool emea-enterprise, rule emea: country=DE;
//  skipped rep-bo: outside_working_hours)".
std::string describe(const google::protobuf::Message& msg, const std::string& key);

// "10:04:05 " + describe(); the time is the event time, else the record's.
std::string pretty_line(const runtime::Record& record, const google::protobuf::Message* msg,
                        bool utc);

// "4m 05s", "1h 02m", "850ms".
std::string duration_text(std::chrono::milliseconds d);

}  // namespace baton::cli
