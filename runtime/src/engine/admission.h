// Admission: what the runtime does with a consumed record before a processor
// sees it (the upstream contract, docs/integrating.md). Pure: no I/O.
//
//   content-type   application/protobuf (or absent) is decoded as is;
//                  application/json is decoded with protobuf's JSON parser
//                  (proto3 JSON mapping) and handed on as protobuf
//   ce_type        must be the topic's message type or one of its oneof
//                  members' types: another type is never decoded as this one
//   key            a record without one takes the envelope's lead_id
//   source         ce_source, else the envelope's source_system: event ids
//                  are unique within their source (CloudEvents)
//   placement      the partition that owns the key is murmur2(key), as
//                  Baton's and Java's producers place it; a record elsewhere
//                  (librdkafka's CRC32 default, sarama's FNV-1a) is moved
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "baton/runtime/input_check.h"
#include "baton/runtime/processor.h"
#include "baton/runtime/step_arena.h"

namespace baton::runtime {

// The partition Baton's producers give a key: (murmur2(key) & 0x7fffffff) % n.
int32_t partition_of(std::string_view key, int32_t partitions);

// True when `ce_type` names the message `type` or one of its oneof members.
bool carries(const google::protobuf::Descriptor& type, std::string_view ce_type);

// Admits a record consumed from a topic with `contract`: sets its source and
// (from the envelope) a missing key; a JSON value becomes protobuf. A
// Rejection names the dead-letter reason (unsupported_content_type,
// unexpected_type, schema, decode, missing_key, or one of check_message's);
// the value is then unchanged, for the dead letter. The decoded message is
// made on `arena` when one is given (the engine's, reused record after record).
std::optional<Rejection> admit(Record& in, const InputContract& contract, TimePoint now,
                               const InputLimits& limits = {}, StepArena* arena = nullptr);

}  // namespace baton::runtime
