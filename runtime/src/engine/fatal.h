// Unrecoverable engine errors. The engine never ends the process: it stops
// its loop, and Engine::run() returns the error; run_service() (what each
// service's main() returns) exits with its code, so the pod restarts and
// restores from the changelog (docs/design.md, "Failure handling").
#pragma once

#include <optional>
#include <string>

#include "baton/runtime/status.h"

namespace baton::runtime {

enum class Fatal {
  kStateWrite = 70,            // a committed transaction's state did not reach RocksDB
  kProducerRecreate = 71,      // no transactional producer after the recreate retries
  kRestoreAfterRecreate = 72,  // the catch-up restore after a recreate failed
  kCommittedOffsets = 73,      // committed offsets unreadable, or not sought after an abort
  kStateOpen = 74,             // a task's RocksDB store did not open
  kRestore = 75,               // the restore of newly assigned tasks failed
};

// An Error with code "engine.fatal.<what>" and `message`.
Error fatal_error(Fatal what, std::string message);
// The exit code (70..75) of an error made by fatal_error; none for another.
std::optional<int> fatal_exit_code(const Error& e);

}  // namespace baton::runtime
