// State records carry their schema version (rolling upgrades, issue 20).
// A processor with state_version() > 0 has every value it writes stored as
// "\0" <version byte> <payload>; a value without that prefix is version 0
// (written before versions existed: protobuf never starts with a 0 byte, and
// text values do not either). Reads strip the prefix and hand a value from
// an older version to Processor::migrate; one from a newer version (a task
// that moved back to an old build during a rollout) is read as it is, so
// formats stay forward-compatible for one release (protobuf: add fields).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "baton/runtime/processor.h"

namespace baton::runtime::state {

struct Opened {
  uint32_t version = 0;
  std::string_view payload;
};

std::string seal(uint32_t version, std::string payload);
Opened open(std::string_view stored);

// False when `stored` is `p`'s payload as it is (no prefix, version 0): the
// common case costs no copy.
inline bool versioned(std::string_view stored, const Processor& p) {
  return (!stored.empty() && stored[0] == '\0') || p.state_version() > 0;
}

// The payload as `p` reads it: migrated from an older version; logged once
// per process when it comes from a newer one.
std::string read_as(const Processor& p, std::string_view key, std::string_view stored);

}  // namespace baton::runtime::state
