// `baton dev demo`: the README's first command after setup and build. Brings
// Baton up (`dev up`), plays realistic leads (`baton generate`) and shows the
// stream live (`baton tail all --pretty`, through StreamView): who got each
// lead, SLA warnings, breaches, escalations, reassignments and outcomes; then
// what happened, where to look and one lead's timeline. Ctrl-C stops what it
// started (`dev down`) and nothing else (ctest -R demo_ctrl_c).
#pragma once

#include <atomic>
#include <filesystem>
#include <iosfwd>
#include <string>
#include <vector>

#include "dev/supervisor.h"

namespace baton::dev {

struct DemoOptions {
  UpOptions up;              // the run folder, the source tree, the binaries, a broker
  bool headless = false;     // no colours; stop everything once the run is over
  bool keep = false;         // exit once the run is over, leaving everything running
  bool colour = false;       // ANSI colours on screen
  std::string rate = "0.5";  // leads per second (baton generate --rate)
  std::string count = "60";  // leads; 0 = endless
  std::string seed;          // empty: 1 for a fresh run, else the time
  std::string time_scale = "15";
  int duration_s = 0;              // stop the load after this many seconds; 0: when it is done
  std::vector<std::string> until;  // stop the load once the stream showed each word
};

// Runs the demo. Returns 0, or 130 after Ctrl-C (`stop`) once it stopped
// what it started. Throws std::runtime_error with one line (naming a log) on
// failure, after stopping what it started.
int demo(const DemoOptions& o, const std::atomic<bool>& stop, std::ostream& out);

}  // namespace baton::dev
