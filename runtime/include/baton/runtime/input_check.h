// Hostile-input checks every service applies to the records it consumes,
// before its domain sees them. A bad record becomes a Rejection (dead-letter
// topic, counted by reason in baton_dead_letters_total):
//   record_too_large   the record value is over max_record_bytes
//   decode             the bytes are not the expected message (this includes
//                      invalid UTF-8 in a string field: proto3 refuses it)
//   field_too_large    a string/bytes field over max_string_bytes, or a
//                      repeated field with more than max_repeated entries
//   invalid_timestamp  a Timestamp before 1970 (year 1900), after
//                      now + max_future (year 3000), or with bad nanos
//   unknown_enum       an enum value the contract does not define
// Details name the field path only (never its value: no PII).
#pragma once

#include <google/protobuf/message.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>

#include "baton/runtime/processor.h"

namespace baton::runtime {

struct InputLimits {
  size_t max_record_bytes = 512 * 1024;
  size_t max_string_bytes = 8 * 1024;
  int max_repeated = 1000;
  std::chrono::hours max_future{24 * 365 * 5};
};

// Checks a decoded message (recursively). An unset Timestamp (0, 0) is
// accepted: absent. wire_bytes: the size of the protobuf encoding msg was
// parsed from, when known (a JSON record's is not): an encoding no longer
// than max_string_bytes holds no longer string, so strings are not visited.
std::optional<Rejection> check_message(const google::protobuf::Message& msg, TimePoint now,
                                       const InputLimits& limits = {},
                                       size_t wire_bytes = SIZE_MAX);

// Decodes in.value into msg and checks it.
std::optional<Rejection> check_input(const Record& in, google::protobuf::Message& msg,
                                     TimePoint now, const InputLimits& limits = {});

}  // namespace baton::runtime
