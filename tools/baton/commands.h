// Registration of every `baton` sub-command. Each sets `rc` when it runs.
#pragma once

#include <CLI/CLI.hpp>

#include "cli_common.h"

namespace baton::cli {

void add_topics_commands(CLI::App& app, Globals& g, int& rc);
void add_send_commands(CLI::App& app, Globals& g, int& rc);
void add_load_commands(CLI::App& app, Globals& g, int& rc);
void add_tail_command(CLI::App& app, Globals& g, int& rc);
void add_timeline_command(CLI::App& app, Globals& g, int& rc);
void add_generate_command(CLI::App& app, Globals& g, int& rc);
void add_notify_command(CLI::App& app, Globals& g, int& rc);
void add_dev_command(CLI::App& app, Globals& g, int& rc);

}  // namespace baton::cli
