// `baton dev up|status|down`: runs Baton locally (a broker, its topics, the
// sample roster and accounts, the three services) as supervised processes
// whose logs and state live in one run folder.
#pragma once

#include <atomic>
#include <filesystem>
#include <iosfwd>
#include <string>

#include "dev/child.h"
#include "dev/state.h"

namespace baton::dev {

struct UpOptions {
  std::filesystem::path dir;      // run folder: logs/, state/, kafka/, dev-state.json
  std::filesystem::path root;     // source tree: scripts/kafka, deploy/demo, tools/baton/samples
  std::filesystem::path bin_dir;  // baton, baton-router, baton-sla-monitor, baton-feedback
  std::string bootstrap;          // a running broker; empty: start one with scripts/kafka
  std::string prefix;             // topic prefix (shared brokers)
  bool fresh = false;             // wipe the run folder first (after stopping its leftovers)
  int port_base = 8081;           // router, sla-monitor, feedback admin ports; 0: any free ports
  Millis ready_timeout{240000};   // for every service's /readyz
  Millis step_timeout{180000};    // broker start, topics, roster load
  Millis grace{45000};            // SIGTERM to SIGKILL when a failed start is undone
};

// Brings everything up and leaves it running, with the state file written;
// returns that state. Throws std::runtime_error with a one-line message
// (naming the service and its log) on failure, after stopping what it
// started. `stop` (SIGINT) aborts.
DevState up(const UpOptions& o, const std::atomic<bool>& stop, std::ostream& out);

// The query token `up` wrote for the run (its tokens file); empty if none.
std::string query_token(const DevState& state);

// Prints each process, alive or not, with its health; `env`: shell variables
// instead. Returns 0 when all are alive and ready, 4 when all are alive but
// one is not ready, 1 when one is gone (or nothing is up).
int status(const std::filesystem::path& dir, bool env, std::ostream& out);

// Stops what `up` started (SIGTERM, `grace`, SIGKILL; then the broker) and
// removes the state file. Idempotent: nothing up is not an error.
void down(const std::filesystem::path& dir, Millis grace, std::ostream& out);

}  // namespace baton::dev
