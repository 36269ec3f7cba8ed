// The state file of `baton dev up` (<dir>/dev-state.json): what it started
// (pid and start time of each process, its admin port and log), the broker
// and the run folder, so that `baton dev status` and `baton dev down` find them.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "dev/child.h"

namespace baton::dev {

struct ServiceEntry {
  ProcessRef process;  // name: router, sla-monitor, feedback
  int port = 0;        // admin port (/readyz, /metrics)
  std::string log;
};

struct DevState {
  std::string dir;
  std::string bootstrap;
  std::string prefix;
  std::string root;       // the source tree (scripts/kafka, deploy/demo)
  std::string kafka_dir;  // set when `dev up` started the broker
  int query_port = 0;     // feedback's query listener (plaintext, loopback)
  std::string query_token_file;
  std::vector<ServiceEntry> services;
};

std::filesystem::path state_path(const std::filesystem::path& dir);

// Writes atomically (a temporary file renamed over it). Throws on failure.
void write_state(const std::filesystem::path& path, const DevState& state);
// Empty when there is no file; throws when it cannot be read or parsed.
std::optional<DevState> read_state(const std::filesystem::path& path);

}  // namespace baton::dev
