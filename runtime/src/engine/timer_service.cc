#include "engine/timer_service.h"

#include <utility>
#include <vector>

#include "baton/runtime/log.h"
#include "state/overlay.h"

namespace baton::runtime {

bool TimerService::on_tick(TimePoint now, const ForEachTask& tasks, const Txn& txn) {
  if (now - last_scan_ < tick_) return false;
  last_scan_ = now;
  fire(now, tasks, txn);
  return true;
}

void TimerService::fire(TimePoint now, const ForEachTask& tasks, const Txn& txn) {
  // Collect under the lock, fire without it: recovery (which may run from
  // txn.begin) takes the same lock. Only the loop's thread changes the tasks.
  int64_t now_ms = to_millis(now);
  std::vector<std::pair<Task*, std::vector<Timer>>> work;
  std::vector<Task*> all;
  tasks([&](Task& t) {
    all.push_back(&t);
    auto due = due_timers(*t.overlay, now_ms, per_tick_);
    if (!due.empty()) work.emplace_back(&t, std::move(due));
  });
  for (auto& [t, due] : work) {
    for (auto& timer : due) {
      if (!txn.begin()) return;
      remove_timer(*t->overlay, timer);
      m_.timer_lateness.Observe(std::chrono::duration<double>(now - timer.due).count());
      TaskView view = t->view(globals_);
      timer.partition = t->partition;
      try {
        auto res = t->processor->on_timer(timer, view, now);
        if (!res)
          log::error("timer rejected", {{"reason", res.error().reason}});
        else
          txn.apply(*t, std::move(res.value()), now);
      } catch (const std::exception& e) {
        log::error("timer handler threw", {{"error", e.what()}});
      }
      txn.fired();
    }
  }
  // Then the work a task has without input (Processor::on_tick).
  for (Task* t : all) {
    std::optional<Effects> fx;
    try {
      fx = t->processor->on_tick(t->partition, t->view(globals_), now);
    } catch (const std::exception& e) {
      log::error("tick handler threw", {{"error", e.what()}});
    }
    if (!fx) continue;
    if (!txn.begin()) return;
    txn.apply(*t, std::move(*fx), now);
    txn.fired();
  }
}

size_t TimerService::report_pending(const ForEachTask& tasks) {
  size_t timers = 0;
  tasks([&](Task& t) { timers += count_timers(*t.overlay); });
  m_.timers_pending.Set(static_cast<double>(timers));
  return timers;
}

}  // namespace baton::runtime
