// The services' command line (CLI11, as the baton CLI): every service takes
// the same options; run_service starts the engine with them.
#pragma once

#include <optional>
#include <string>

#include "app/runtime_config.h"

namespace baton::runtime {

// Parses argv into `cl`. Returns the code to exit with instead of running:
// 0 after --help (usage on stdout), 2 for a bad or missing argument (the
// reason on stderr); nullopt when the service should run.
std::optional<int> parse_command_line(const std::string& service, int argc, char** argv,
                                      CommandLine& cl);

}  // namespace baton::runtime
