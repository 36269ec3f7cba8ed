// The task manager (Kafka Streams' TaskManager): the tasks this instance
// owns, made when their partitions are assigned (a RocksDB store each,
// restored from the changelog, then announced to the processor) and closed
// when they are revoked. It owns readiness (ready once assigned and not
// restoring) and serves the admin thread's reads of committed state.
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <shared_mutex>
#include <string>
#include <vector>

#include "baton/runtime/processor.h"
#include "engine/engine_config.h"
#include "engine/globals.h"
#include "engine/task.h"
#include "metrics/runtime_metrics.h"

namespace baton::runtime {

class TaskManager {
 public:
  using TaskKey = std::pair<size_t, int32_t>;  // (processor index, partition)

  // Reads cfg's state_dir, application_id, kafka (the restore consumer) and
  // topic_prefix; all four outlive the manager, as do procs and globals.
  TaskManager(const EngineConfig& cfg, const std::vector<std::unique_ptr<Processor>>& procs,
              const GlobalTables& globals, RuntimeMetrics& metrics);
  ~TaskManager();  // closes every store (each flushes its memtables)
  TaskManager(const TaskManager&) = delete;
  TaskManager& operator=(const TaskManager&) = delete;

  // <application_id>-<processor>-changelog.
  std::string changelog_topic(size_t proc) const;

  // Opens the stores of the wanted tasks not held yet; returns the new ones,
  // or engine.fatal.state_open when a store does not open (the tasks made
  // before it stay).
  Result<std::vector<Task*>> open(const std::set<TaskKey>& wanted);
  // Replays each task's changelog from its checkpoint into its store, then
  // flushes it with the new checkpoint. Restoring: not ready meanwhile.
  Status restore(const std::vector<Task*>& tasks);
  // Tells each task's processor it holds the task's (restored) state.
  void announce(const std::vector<Task*>& tasks);
  // An assignment has completed: ready unless restoring.
  void mark_assigned();
  // Every task leaves (processor's on_revoked, its lag gauges dropped, its
  // store closed); not ready until the next assignment.
  void revoke();
  void mark_not_ready();
  void refresh_ready();

  // The loop's thread, or the admin thread's reads: under the shared lock.
  Task* find(size_t proc, int32_t partition) const;
  std::vector<Task*> all() const;
  void for_each(const std::function<void(Task&)>& fn) const;
  size_t size() const;

  bool ready() const { return ready_.load(); }
  std::string status_json() const;
  std::optional<std::string> lookup(std::string_view processor, std::string_view key) const;
  void scan(std::string_view processor, std::string_view prefix, const ScanFn& fn) const;
  std::set<int32_t> scan_tasks(
      std::string_view processor, std::string_view prefix,
      const std::function<void(int32_t, std::string_view, std::string_view)>& fn) const;

 private:
  const EngineConfig& cfg_;
  const std::vector<std::unique_ptr<Processor>>& procs_;
  const GlobalTables& globals_;
  RuntimeMetrics& m_;

  // Shared by every store (before tasks_: it outlives them).
  StoreMemory memory_;
  mutable std::shared_mutex mu_;  // admin readers vs. rebalance
  std::map<TaskKey, std::unique_ptr<Task>> tasks_;

  std::atomic<bool> ready_{false};
  std::atomic<bool> assigned_once_{false};
  std::atomic<bool> restoring_{false};
  std::atomic<double> restore_progress_{1.0};
};

}  // namespace baton::runtime
