// Protobuf helpers for the CLI: enum names in users' words, timestamps,
// JSON mapping with one-line errors, envelope defaults.
#pragma once

#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>
#include <google/protobuf/timestamp.pb.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "baton/runtime/status.h"
#include "baton/time/time.h"
#include "baton/v1/common.pb.h"

namespace baton::cli {

using runtime::Error;
using runtime::Result;
using runtime::Status;
using time::TimePoint;

// "demo_request" -> SIGNAL_DEMO_REQUEST for the enum whose values start with
// `prefix` ("SIGNAL_"). Error "input.enum" lists the allowed values.
Result<int> parse_enum(const google::protobuf::EnumDescriptor* type, std::string_view prefix,
                       std::string_view text, std::string_view what);
// TIER_HIGH_INTENT -> "high_intent".
std::string enum_word(const google::protobuf::EnumDescriptor* type, int value);

// The time module's conversions (clamped like every Timestamp read).
using time::from_timestamp;
using time::to_timestamp;
// RFC 3339 text -> timestamp (time::parse_rfc3339); error "input.time".
Result<google::protobuf::Timestamp> parse_time(std::string_view text, std::string_view what);
// "HH:MM:SS" in UTC or local time.
std::string clock_text(TimePoint t, bool utc);

// Protobuf JSON mapping into msg; error "input.json" in one line naming `origin`.
Status parse_json(std::string_view text, google::protobuf::Message& msg, std::string_view origin);
// Compact JSON of a message (proto field names as lowerCamel JSON names).
std::string to_json(const google::protobuf::Message& msg);

// Fills a missing event id (from `fresh_id`), event time (`now`), source
// system and schema version; lead_id when given and missing.
void fill_envelope(v1::Envelope& env, std::string_view lead_id, TimePoint now,
                   std::string_view fresh_id, std::string_view source_system);

// Serialized bytes with map entries in key order (the same message always
// gives the same bytes, unlike SerializeAsString with map fields).
std::string deterministic_bytes(const google::protobuf::Message& msg);

// Random UUID (version 4 form) for event ids typed by hand.
std::string random_uuid();

// "1200.50" -> 120050 (two minor digits); error "input.amount".
Result<int64_t> parse_amount_minor(std::string_view text);
// 1200050 -> "12,000.50".
std::string format_amount_minor(int64_t minor);

// Replaces newlines so an error stays on one line.
std::string one_line(std::string text);

}  // namespace baton::cli
