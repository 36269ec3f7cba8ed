// The timer service alone (ctest -R TimerService): due timers of tasks on
// real RocksDB stores fire earliest first, at most per_tick per task, on
// the tick, each in the transaction the caller lends; a rejected or
// throwing timer is consumed; the timers-pending gauge counts the rest.
#include "engine/timer_service.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "parts.h"

namespace baton::test {
namespace {

using namespace std::chrono_literals;
using runtime::from_millis;
using runtime::Task;
using runtime::TimerService;

class TimerServiceTest : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = temp_dir("timer-service"); }
  void TearDown() override {
    tasks_.clear();
    std::filesystem::remove_all(dir_);
  }
  Task& add_task(runtime::Processor& p, int32_t partition) {
    tasks_.push_back(open_task(p, partition, dir_ + "/" + std::to_string(tasks_.size())));
    return *tasks_.back();
  }
  TimerService::ForEachTask for_each() {
    return [this](const std::function<void(Task&)>& fn) {
      for (auto& t : tasks_) fn(*t);
    };
  }
  // A transaction that applies the state part of the effects to the task.
  TimerService::Txn txn() {
    return {.begin = [this] { return open_; },
            .apply =
                [this](Task& t, runtime::Effects&& fx, runtime::TimePoint now) {
                  ++applied_;
                  t.apply_state(fx, nullptr, runtime::to_millis(now), 1h);
                },
            .fired = [this] { ++fired_; }};
  }
  void set_timer(Task& t, const std::string& id, int64_t due_ms, std::string payload = {}) {
    runtime::set_timer(*t.overlay, runtime::Timer{id, from_millis(due_ms), std::move(payload)});
  }
  std::vector<std::string> fired_ids(const Recorder& p) const {
    std::vector<std::string> ids;
    for (const auto& t : p.fired) ids.push_back(t.id);
    return ids;
  }

  std::string dir_;
  std::vector<std::unique_ptr<Task>> tasks_;
  runtime::GlobalTables globals_;
  Metrics metrics_;
  bool open_ = true;
  int applied_ = 0;
  int fired_ = 0;
};

TEST_F(TimerServiceTest, FiresTheDueTimersOfCommittedStateEarliestFirst) {
  Recorder p("rec");
  Task& t = add_task(p, 3);
  set_timer(t, "c", 3000, "pc");
  set_timer(t, "a", 1000, "pa");
  set_timer(t, "b", 2000, "pb");
  t.overlay->put("k", "v");
  commit_to_store(t);  // the timers are in RocksDB, none pending in the overlay
  ASSERT_TRUE(t.overlay->empty());

  TimerService timers(50ms, 100, globals_, metrics_.m);
  timers.fire(from_millis(2500), for_each(), txn());

  EXPECT_EQ(fired_ids(p), (std::vector<std::string>{"a", "b"}));
  ASSERT_EQ(p.fired.size(), 2u);
  EXPECT_EQ(p.fired[0].payload, "pa");
  EXPECT_EQ(p.fired[0].partition, 3) << "the runtime names the task's partition";
  EXPECT_EQ(p.fired_saw, (std::vector<std::string>{"v", "v"})) << "the task's state is visible";
  EXPECT_EQ(applied_, 2);
  EXPECT_EQ(fired_, 2);
  EXPECT_EQ(t.overlay->get("fired/a"), std::optional<std::string>("pa"));
  EXPECT_EQ(t.overlay->get("fired/b"), std::optional<std::string>("pb"));
  // The fired timers are gone, in the open transaction; the later one stays.
  EXPECT_EQ(timers.report_pending(for_each()), 1u);
  EXPECT_EQ(metrics_.m.timers_pending.Value(), 1);
  p.fired.clear();
  timers.fire(from_millis(2500), for_each(), txn());
  EXPECT_TRUE(p.fired.empty()) << "a fired timer fires once";
}

TEST_F(TimerServiceTest, ScansOncePerTick) {
  Recorder p("rec");
  Task& t = add_task(p, 0);
  TimerService timers(50ms, 100, globals_, metrics_.m);
  const int64_t t0 = 1'000'000;
  set_timer(t, "early", t0);
  EXPECT_TRUE(timers.on_tick(from_millis(t0), for_each(), txn()));
  EXPECT_EQ(fired_ids(p), std::vector<std::string>{"early"});
  set_timer(t, "next", t0 + 10);
  EXPECT_FALSE(timers.on_tick(from_millis(t0 + 49), for_each(), txn()));
  EXPECT_EQ(p.fired.size(), 1u) << "due, but the tick has not passed";
  EXPECT_TRUE(timers.on_tick(from_millis(t0 + 50), for_each(), txn()));
  EXPECT_EQ(fired_ids(p), (std::vector<std::string>{"early", "next"}));
}

TEST_F(TimerServiceTest, FiresAtMostPerTickTimersOfEachTask) {
  Recorder p0("zero");
  Recorder p1("one");
  Task& a = add_task(p0, 0);
  Task& b = add_task(p1, 1);
  for (int i = 0; i < 5; ++i) {
    set_timer(a, "a" + std::to_string(i), 100 + i);
    set_timer(b, "b" + std::to_string(i), 100 + i);
  }
  TimerService timers(50ms, 2, globals_, metrics_.m);
  timers.fire(from_millis(1000), for_each(), txn());
  EXPECT_EQ(fired_ids(p0), (std::vector<std::string>{"a0", "a1"}));
  EXPECT_EQ(fired_ids(p1), (std::vector<std::string>{"b0", "b1"}));
  EXPECT_EQ(timers.report_pending(for_each()), 6u);
}

TEST_F(TimerServiceTest, NothingFiresWithoutATransaction) {
  Recorder p("rec");
  Task& t = add_task(p, 0);
  set_timer(t, "a", 100);
  open_ = false;
  TimerService timers(50ms, 100, globals_, metrics_.m);
  timers.fire(from_millis(1000), for_each(), txn());
  EXPECT_TRUE(p.fired.empty());
  EXPECT_EQ(fired_, 0);
  EXPECT_EQ(timers.report_pending(for_each()), 1u) << "the timer is still there";
  // A failed begin is recovered by the engine, which forgets the overlay's
  // bookkeeping (the due scan's floor moved past the collected timers).
  t.overlay->forget_bookkeeping();
  open_ = true;
  timers.fire(from_millis(1000), for_each(), txn());
  EXPECT_EQ(fired_ids(p), std::vector<std::string>{"a"});
}

TEST_F(TimerServiceTest, ARejectedOrThrowingTimerIsConsumedWithoutEffects) {
  Recorder p("rec");
  Task& t = add_task(p, 0);
  set_timer(t, "reject-1", 100);
  set_timer(t, "throw-1", 200);
  set_timer(t, "ok", 300);
  TimerService timers(50ms, 100, globals_, metrics_.m);
  timers.fire(from_millis(1000), for_each(), txn());
  EXPECT_EQ(fired_ids(p), (std::vector<std::string>{"reject-1", "throw-1", "ok"}));
  EXPECT_EQ(applied_, 1) << "only the accepted timer's effects are applied";
  EXPECT_EQ(fired_, 3) << "every fired timer counts toward the batch";
  EXPECT_EQ(timers.report_pending(for_each()), 0u);
  EXPECT_EQ(t.overlay->get("fired/reject-1"), std::nullopt);
  EXPECT_EQ(t.overlay->get("fired/ok"), std::optional<std::string>(""));
}

TEST_F(TimerServiceTest, AnAbortedTransactionsTimersFireAgain) {
  Recorder p("rec");
  Task& t = add_task(p, 0);
  set_timer(t, "a", 100);
  commit_to_store(t);
  TimerService timers(50ms, 100, globals_, metrics_.m);
  timers.fire(from_millis(1000), for_each(), txn());
  ASSERT_EQ(p.fired.size(), 1u);
  // The engine's recovery: the open transaction is discarded.
  t.overlay->clear();
  t.overlay->forget_bookkeeping();
  timers.fire(from_millis(1000), for_each(), txn());
  EXPECT_EQ(fired_ids(p), (std::vector<std::string>{"a", "a"}));
}

// Processor::on_tick: work a task has with no input and no timer. Asked of
// every task at each tick, after the timers; its effects go into the lent
// transaction; nullopt opens none; a throwing handler is logged and skipped.
class Ticking : public Recorder {
 public:
  using Recorder::Recorder;
  int work = 0;  // ticks with something to do
  bool throws = false;
  std::vector<int32_t> asked;
  std::optional<runtime::Effects> on_tick(int32_t partition, const runtime::StateView&,
                                          runtime::TimePoint) override {
    asked.push_back(partition);
    if (throws) throw std::runtime_error("tick");
    if (work == 0) return std::nullopt;
    --work;
    runtime::Effects fx;
    fx.put("ticked/" + std::to_string(work), "");
    return fx;
  }
};

TEST_F(TimerServiceTest, EveryTaskIsAskedForWorkWithoutInputAtEachTick) {
  Ticking idle("idle"), busy("busy");
  add_task(idle, 0);
  Task& b = add_task(busy, 1);
  busy.work = 2;
  int begun = 0;
  auto lent = txn();
  lent.begin = [&] { return ++begun, true; };
  TimerService timers(50ms, 100, globals_, metrics_.m);
  timers.fire(from_millis(1000), for_each(), lent);
  EXPECT_EQ(idle.asked, std::vector<int32_t>{0});
  EXPECT_EQ(busy.asked, std::vector<int32_t>{1});
  EXPECT_EQ(applied_, 1) << "only the task with work";
  EXPECT_EQ(begun, 1) << "an idle task opens no transaction";
  EXPECT_EQ(b.overlay->get("ticked/1"), std::optional<std::string>(""));
  timers.fire(from_millis(1050), for_each(), lent);
  timers.fire(from_millis(1100), for_each(), lent);
  EXPECT_EQ(applied_, 2);
  EXPECT_EQ(b.overlay->get("ticked/0"), std::optional<std::string>(""));

  busy.throws = true;
  timers.fire(from_millis(1150), for_each(), lent);
  EXPECT_EQ(applied_, 2) << "a throwing tick handler changes nothing";
}

}  // namespace
}  // namespace baton::test
