#include "engine/fatal.h"

#include <array>
#include <utility>

namespace baton::runtime {

namespace {
constexpr std::array<std::pair<Fatal, const char*>, 6> kCodes{{
    {Fatal::kStateWrite, "engine.fatal.state_write"},
    {Fatal::kProducerRecreate, "engine.fatal.producer_recreate"},
    {Fatal::kRestoreAfterRecreate, "engine.fatal.restore_after_recreate"},
    {Fatal::kCommittedOffsets, "engine.fatal.committed_offsets"},
    {Fatal::kStateOpen, "engine.fatal.state_open"},
    {Fatal::kRestore, "engine.fatal.restore"},
}};
}  // namespace

Error fatal_error(Fatal what, std::string message) {
  for (const auto& [f, code] : kCodes)
    if (f == what) return Error{code, std::move(message)};
  return Error{"engine.fatal", std::move(message)};
}

std::optional<int> fatal_exit_code(const Error& e) {
  for (const auto& [f, code] : kCodes)
    if (e.code == code) return static_cast<int>(f);
  return std::nullopt;
}

}  // namespace baton::runtime
