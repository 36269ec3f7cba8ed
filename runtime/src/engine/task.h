// A task: one processor's state for one input partition.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "baton/runtime/processor.h"
#include "engine/globals.h"
#include "state/overlay.h"
#include "state/task_store.h"
#include "state/versioned.h"

namespace baton::runtime {

class StoreState : public CommittedState {
 public:
  explicit StoreState(const TaskStore* s) : s_(s) {}
  std::optional<std::string> get(std::string_view key) const override { return s_->get(key); }
  void scan(std::string_view prefix, std::string_view from, const ScanFn& fn) const override {
    s_->scan(prefix, from, fn);
  }

 private:
  const TaskStore* s_;
};

// What a processor sees: the task's overlay (values as this processor's
// schema version reads them, state/versioned.h) plus the global tables.
class TaskView : public StateView {
 public:
  TaskView(const Overlay& o, const GlobalTables& g, const Processor& p) : o_(o), g_(g), p_(p) {}
  std::optional<std::string> get(std::string_view key) const override {
    auto v = o_.get(key);
    if (v && state::versioned(*v, p_)) *v = state::read_as(p_, key, *v);
    return v;
  }
  void scan(std::string_view prefix,
            const std::function<bool(std::string_view, std::string_view)>& fn) const override {
    o_.scan(prefix, [&](std::string_view k, std::string_view v) {
      if (!state::versioned(v, p_)) return fn(k, v);
      const std::string value = state::read_as(p_, k, v);
      return fn(k, value);
    });
  }
  std::optional<std::string> global(std::string_view topic, std::string_view key) const override {
    return g_.get(topic, key);
  }
  void scan_global(
      std::string_view topic,
      const std::function<bool(std::string_view, std::string_view)>& fn) const override {
    g_.scan(topic, fn);
  }
  uint64_t global_version(std::string_view topic) const override { return g_.version(topic); }

 private:
  const Overlay& o_;
  const GlobalTables& g_;
  const Processor& p_;
};

// A task: one processor on one partition, with its RocksDB store and the
// open transaction's overlay over it (Kafka Streams' StreamTask with its
// ProcessorStateManager). The TaskManager owns the tasks.
struct Task {
  size_t proc = 0;  // index of the processor in the engine's list
  Processor* processor = nullptr;
  int32_t partition = 0;
  std::string changelog;  // topic; the task's records go to `partition`
  std::unique_ptr<TaskStore> store;
  std::unique_ptr<StoreState> committed;
  std::unique_ptr<Overlay> overlay;

  TaskView view(const GlobalTables& g) const { return TaskView(*overlay, g, *processor); }
  // Applies the state part of `fx` to the overlay: the de-duplication check
  // (false, nothing applied: `in` is a duplicate), the writes (sealed in the
  // processor's schema version; the runtime's own keys are dropped), then
  // the cancelled and the set timers. Outputs and on_commit stay in `fx`.
  bool apply_state(Effects& fx, const Record* in, int64_t now_ms,
                   std::chrono::milliseconds dedup_window) {
    if (!fx.dedup_id.empty()) {
      // CloudEvents: an id is unique within its source; (source, id) is one event.
      const std::string id =
          in && !in->source.empty() ? in->source + '\x1f' + fx.dedup_id : std::move(fx.dedup_id);
      if (seen(*overlay, id, now_ms)) return false;
      remember(*overlay, id, now_ms + dedup_window.count());
    }
    const uint32_t version = processor->state_version();
    for (auto& [k, v] : fx.writes) {
      if (keys::is_internal(k)) continue;
      if (v)
        overlay->put(std::move(k), state::seal(version, std::move(*v)));
      else
        overlay->del(std::move(k));
    }
    for (const auto& id : fx.cancel_timers) cancel_timer(*overlay, id);
    for (const auto& timer : fx.set_timers) set_timer(*overlay, timer);
    return true;
  }
};

}  // namespace baton::runtime
