// The timer service (Kafka Streams' punctuation, on the durable timer index
// of state/overlay.h): every `tick` of the engine's clock it fires the due
// timers of every task, at most `per_tick` per task, earliest first, each in
// the open transaction, then asks every task's processor for work without
// input (Processor::on_tick). It keeps the timers-pending gauge.
//
// It owns no task and no transaction: the caller lends it the tasks (a
// visitor, run under the task map's lock) and the transaction (Txn).
#pragma once

#include <chrono>
#include <functional>

#include "baton/runtime/processor.h"
#include "engine/globals.h"
#include "engine/task.h"
#include "metrics/runtime_metrics.h"

namespace baton::runtime {

class TimerService {
 public:
  // Calls its argument for every task (under the caller's lock).
  using ForEachTask = std::function<void(const std::function<void(Task&)>&)>;
  // The open transaction a fired timer's effects go into.
  struct Txn {
    // Opens a transaction unless one is open; false: fire nothing more.
    std::function<bool()> begin;
    // Applies the effects of a timer of `task` (state, outputs, on_commit).
    std::function<void(Task& task, Effects&& fx, TimePoint now)> apply;
    // One timer fired: it counts toward the batch like a record.
    std::function<void()> fired;
  };

  TimerService(std::chrono::milliseconds tick, size_t per_tick, const GlobalTables& globals,
               RuntimeMetrics& metrics)
      : tick_(tick), per_tick_(per_tick), globals_(globals), m_(metrics) {}

  // Fires due timers when `tick` has passed since the last scan; returns
  // whether it scanned.
  bool on_tick(TimePoint now, const ForEachTask& tasks, const Txn& txn);
  // Fires the timers due at `now`. A timer is removed, then handed to its
  // processor's on_timer; a rejection or an exception is logged, and the
  // timer stays consumed. Lateness is observed per timer. When txn.begin
  // fails the rest are not fired; the scan has moved each overlay's timer
  // floor past them, so the caller's recovery forgets the overlays'
  // bookkeeping (Overlay::forget_bookkeeping, as Engine::recover does).
  void fire(TimePoint now, const ForEachTask& tasks, const Txn& txn);
  // Sets the timers-pending gauge to the live timers of every task; returns it.
  size_t report_pending(const ForEachTask& tasks);

 private:
  const std::chrono::milliseconds tick_;
  const size_t per_tick_;
  const GlobalTables& globals_;
  RuntimeMetrics& m_;
  TimePoint last_scan_{};
};

}  // namespace baton::runtime
