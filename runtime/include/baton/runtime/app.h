// The service host: one call from a service's main() runs the whole runtime
// (config, Kafka exactly-once loop, RocksDB state, timers, admin HTTP,
// logging, signals) around the service's processors.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "baton/runtime/config.h"
#include "baton/runtime/processor.h"
#include "baton/runtime/query.h"

namespace prometheus {
class Registry;
}

namespace baton::runtime {

// What a service gives the host.
struct ServiceSpec {
  // "router", "sla-monitor", "feedback": names logs, metrics and the config
  // section read by `make`.
  std::string name;
  // Reads the service's own config section (errors recorded on the node,
  // with field paths) and builds its processors. `metrics` is the admin
  // registry for service metrics (bounded labels only).
  std::function<std::vector<std::unique_ptr<Processor>>(ConfigNode& section,
                                                        prometheus::Registry& metrics)>
      make;
  // Optional JSON query routes (GET only), e.g. /leads/{id}/routing.
  std::function<void(QueryRouter&)> routes;
  // Optional extra sub-commands (e.g. "backtest"): returns -1 when argv is
  // not one of them, else the exit code.
  std::function<int(int argc, char** argv)> subcommand;
};

// Parses argv (--config FILE, --check-config, --instance-id ID, --help),
// runs until SIGTERM/SIGINT, returns the process exit code.
int run_service(const ServiceSpec& spec, int argc, char** argv);

}  // namespace baton::runtime
