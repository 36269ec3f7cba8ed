// Helpers to build outputs from protobuf messages with CloudEvents attributes.
#pragma once

#include <google/protobuf/message.h>
#include <google/protobuf/timestamp.pb.h>

#include <array>
#include <optional>
#include <string>
#include <string_view>

#include "baton/runtime/processor.h"

namespace baton::runtime {

// Deterministic event id derived from an input event id and a purpose: a
// name-based UUID, version 5 (RFC 9562, SHA-1) in Baton's namespace, so a
// replay of the same input yields the same id. Releases before UUIDv5 wrote
// version-8 ids (an FNV-based hash); ids are opaque strings everywhere they
// are stored or compared (dedup stores, timers, headers), so those stay
// readable. A committed output is never derived again (exactly-once: its
// input's offset is committed with it) and an aborted one was never seen, so
// no read_committed consumer sees one effect under two ids across an upgrade.
std::string derive_event_id(std::string_view input_event_id, std::string_view purpose);

// RFC 9562 UUIDv5: SHA-1 of the namespace's 16 bytes and the name.
std::array<unsigned char, 16> uuid_v5_bytes(const std::array<unsigned char, 16>& ns,
                                            std::string_view name);
std::string uuid_v5(const std::array<unsigned char, 16>& ns, std::string_view name);

// "<source>/<id>" for an id from an upstream source (CloudEvents ids are
// unique within their source only); Baton's own ids ("baton/..." sources) and
// inputs without a source stay as they are.
std::string qualified_event_id(const Record& in, std::string_view id);

// The id that makes processing `in` idempotent: its CloudEvents id header
// (ce_id) when present, else the id the event carries (`carried`), qualified
// as "<source>/<id>" when the input comes from an upstream source
// (CloudEvents ids are unique within their source only).
std::string input_event_id(const Record& in, std::string_view carried);

// Serializes msg into an Output; ce_type defaults to the message's full name.
Output make_output(std::string topic, std::string key, const google::protobuf::Message& msg,
                   std::string event_id, TimePoint event_time, std::string ce_type = {});

using ::baton::time::from_timestamp;
using ::baton::time::to_timestamp;

// Parses a protobuf message from bytes; false if it does not decode.
bool decode(const std::string& bytes, google::protobuf::Message& msg);

// The proto3 JSON form (proto field names) of a serialized message of `type`:
// an output written to a topic configured as JSON, or a stored message a
// query answers with; nullopt if it does not decode.
std::optional<std::string> to_json(const google::protobuf::Descriptor& type,
                                   const std::string& bytes);

}  // namespace baton::runtime
