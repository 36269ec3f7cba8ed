// The fuzz targets' runner: the processors on the in-process TopologyDriver
// (baton/testing/topology_driver.h), every step bounded, with the fuzz
// harness's own invariants (a rejection names its reason, an output names
// its topic: std::abort otherwise, so libFuzzer reports it).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "baton/runtime/processor.h"
#include "baton/testing/topology_driver.h"

namespace baton::fuzz {

using Table = testing::Table;
using Globals = testing::Globals;

class Pump {
 public:
  explicit Pump(std::shared_ptr<const Globals> globals);
  // The processor is borrowed; its state starts empty.
  void add(runtime::Processor* p);
  // Processes `in` and what follows from it, then every pending timer,
  // at most max_steps inputs and timers in all.
  void run(runtime::Record in, runtime::TimePoint now, int max_steps);
  // Rejections seen so far (reason).
  const std::vector<std::string>& rejections() const { return driver_.rejections(); }
  // Copies states and pending timers (not processors) from another pump
  // over the same processors: a warmed-up starting point.
  void copy_state_from(const Pump& other) { driver_.copy_state_from(other.driver_); }

 private:
  testing::TopologyDriver driver_;
};

// Reads a whole file (empty when missing).
std::string read_text(const std::string& path);
// Fixed "now" of every fuzz run: 2024-03-26T12:00:00Z (a Tuesday).
runtime::TimePoint fuzz_now();

}  // namespace baton::fuzz
