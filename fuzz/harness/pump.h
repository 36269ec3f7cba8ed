// An in-memory stand-in for the runtime: state views over std::map, effects
// applied as the engine would (writes, timers), outputs fed back to every
// processor reading their topic, timers fired in due order. Bounded steps.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "baton/runtime/processor.h"

namespace baton::fuzz {

using Table = std::map<std::string, std::string, std::less<>>;
using Globals = std::map<std::string, Table, std::less<>>;

class MemState : public runtime::StateView {
 public:
  explicit MemState(std::shared_ptr<const Globals> globals) : globals_(std::move(globals)) {}
  std::optional<std::string> get(std::string_view key) const override;
  void scan(std::string_view prefix,
            const std::function<bool(std::string_view, std::string_view)>& fn) const override;
  std::optional<std::string> global(std::string_view topic, std::string_view key) const override;
  void scan_global(
      std::string_view topic,
      const std::function<bool(std::string_view, std::string_view)>& fn) const override;
  void apply(const runtime::Effects& fx);
  Table kv;

 private:
  std::shared_ptr<const Globals> globals_;
};

class Pump {
 public:
  explicit Pump(std::shared_ptr<const Globals> globals) : globals_(std::move(globals)) {}
  // The processor is borrowed; its state starts empty.
  void add(runtime::Processor* p);
  // Processes `in` and what follows from it, at most max_steps inputs.
  void run(runtime::Record in, runtime::TimePoint now, int max_steps);
  // Rejections seen so far (reason).
  const std::vector<std::string>& rejections() const { return rejections_; }
  // Copies states and pending timers (not processors) from another pump
  // over the same processors: a warmed-up starting point.
  void copy_state_from(const Pump& other);

 private:
  struct Stage {
    runtime::Processor* p;
    MemState state;
    std::vector<std::string> inputs;
    std::map<std::string, runtime::Timer> timers;
  };
  void handle(Stage& s, const runtime::ProcessResult& r, std::vector<runtime::Record>& queue);
  std::shared_ptr<const Globals> globals_;
  std::vector<Stage> stages_;
  std::vector<std::string> rejections_;
  int64_t offset_ = 0;
};

// Reads a whole file (empty when missing).
std::string read_text(const std::string& path);
// Fixed "now" of every fuzz run: 2024-03-26T12:00:00Z (a Tuesday).
runtime::TimePoint fuzz_now();

}  // namespace baton::fuzz
