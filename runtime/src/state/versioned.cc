#include "state/versioned.h"

#include <atomic>

#include "baton/runtime/log.h"

namespace baton::runtime::state {

std::string seal(uint32_t version, std::string payload) {
  if (version == 0) return payload;
  payload.insert(0, 2, '\0');
  payload[1] = static_cast<char>(version > 255 ? 255 : version);
  return payload;
}

Opened open(std::string_view stored) {
  if (stored.size() >= 2 && stored[0] == '\0')
    return {static_cast<uint8_t>(stored[1]), stored.substr(2)};
  return {0, stored};
}

std::string read_as(const Processor& p, std::string_view key, std::string_view stored) {
  const Opened o = open(stored);
  const uint32_t current = p.state_version();
  if (o.version < current) return p.migrate(key, std::string(o.payload), o.version);
  if (o.version > current) {
    static std::atomic<bool> told{false};
    if (!told.exchange(true))
      log::warn("state written by a newer schema; reading it as this build's (rolling upgrade)",
                {{"processor", p.name()},
                 {"stored_version", std::to_string(o.version)},
                 {"this_version", std::to_string(current)}});
  }
  return std::string(o.payload);
}

}  // namespace baton::runtime::state
