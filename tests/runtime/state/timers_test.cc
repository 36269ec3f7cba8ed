// The durable timer index: one entry per id, due order, limits, and times
// on both sides of the epoch.
#include <gtest/gtest.h>

#include <limits>

#include "map_state.h"
#include "state/overlay.h"

namespace baton::runtime {
namespace {

using testing::MapState;

Timer timer(std::string id, int64_t due_ms, std::string payload = {}) {
  return Timer{std::move(id), from_millis(due_ms), std::move(payload)};
}

std::vector<std::string> ids(const std::vector<Timer>& ts) {
  std::vector<std::string> out;
  for (const auto& t : ts) out.push_back(t.id);
  return out;
}

TEST(Timers, DueTimersComeEarliestFirstWithTheirPayload) {
  MapState base;
  Overlay s(base);
  set_timer(s, timer("c", 3000, "pc"));
  set_timer(s, timer("a", 1000, "pa"));
  set_timer(s, timer("b", 2000, "pb"));
  auto due = due_timers(s, 2500, 100);
  ASSERT_EQ(ids(due), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(due[0].payload, "pa");
  EXPECT_EQ(to_millis(due[0].due), 1000);
  EXPECT_EQ(due[1].payload, "pb");
}

TEST(Timers, DueAtExactlyNowFires) {
  MapState base;
  Overlay s(base);
  set_timer(s, timer("a", 1000));
  EXPECT_TRUE(due_timers(s, 999, 10).empty());
  EXPECT_EQ(ids(due_timers(s, 1000, 10)), std::vector<std::string>{"a"});
}

TEST(Timers, SameDueTimeOrderedById) {
  MapState base;
  Overlay s(base);
  set_timer(s, timer("y", 500));
  set_timer(s, timer("x", 500));
  EXPECT_EQ(ids(due_timers(s, 500, 10)), (std::vector<std::string>{"x", "y"}));
}

TEST(Timers, LimitCapsHowManyFire) {
  MapState base;
  Overlay s(base);
  for (int i = 0; i < 10; ++i) set_timer(s, timer("t" + std::to_string(i), 100 + i));
  auto due = due_timers(s, 1000, 3);
  EXPECT_EQ(ids(due), (std::vector<std::string>{"t0", "t1", "t2"}));
  EXPECT_EQ(count_timers(s), 10u);
}

TEST(Timers, SettingAnIdAgainMovesIt) {
  MapState base;
  Overlay s(base);
  set_timer(s, timer("a", 1000, "old"));
  set_timer(s, timer("a", 5000, "new"));
  EXPECT_TRUE(due_timers(s, 4999, 10).empty()) << "the old due time must be gone";
  auto due = due_timers(s, 5000, 10);
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0].payload, "new");
  EXPECT_EQ(count_timers(s), 1u);
}

TEST(Timers, MovingACommittedTimerEarlier) {
  MapState base;
  Overlay s(base);
  set_timer(s, timer("a", 9000));
  base.commit(s);
  set_timer(s, timer("a", 100));
  EXPECT_EQ(ids(due_timers(s, 100, 10)), std::vector<std::string>{"a"});
  base.commit(s);
  EXPECT_EQ(count_timers(s), 1u);
  EXPECT_TRUE(due_timers(s, 99, 10).empty());
}

TEST(Timers, CancelRemovesTheTimerAndUnknownIdIsANoop) {
  MapState base;
  Overlay s(base);
  set_timer(s, timer("a", 1000));
  set_timer(s, timer("b", 1000));
  base.commit(s);
  cancel_timer(s, "a");
  cancel_timer(s, "nobody");
  EXPECT_EQ(ids(due_timers(s, 2000, 10)), std::vector<std::string>{"b"});
  base.commit(s);
  EXPECT_EQ(count_timers(s), 1u);
  // Only "b"'s two index entries are left: nothing of "a" stays behind.
  EXPECT_EQ(base.data.size(), 2u);
  EXPECT_TRUE(base.data.count(keys::timer_id("b")));
}

TEST(Timers, RemoveFiredTimer) {
  MapState base;
  Overlay s(base);
  set_timer(s, timer("a", 1000));
  auto due = due_timers(s, 1000, 10);
  ASSERT_EQ(due.size(), 1u);
  remove_timer(s, due[0]);
  EXPECT_TRUE(due_timers(s, 1000000, 10).empty());
  base.commit(s);
  EXPECT_TRUE(base.data.empty());
}

TEST(Timers, NegativeTimesSortBeforePositive) {
  MapState base;
  Overlay s(base);
  set_timer(s, timer("pos", 5));
  set_timer(s, timer("neg", -5000));
  set_timer(s, timer("zero", 0));
  set_timer(s, timer("neg1", -1));
  base.commit(s);
  Overlay peek(base);  // due_timers expects its caller to fire what it returns
  EXPECT_EQ(ids(due_timers(peek, -2, 10)), std::vector<std::string>{"neg"});
  auto all = due_timers(s, 10, 10);
  EXPECT_EQ(ids(all), (std::vector<std::string>{"neg", "neg1", "zero", "pos"}));
  EXPECT_EQ(to_millis(all[0].due), -5000);
}

TEST(Timers, FarFutureTimerDoesNotFireEarly) {
  MapState base;
  Overlay s(base);
  const int64_t far = 7258118400000;  // 2200-01-01T00:00:00Z
  set_timer(s, timer("far", far));
  set_timer(s, timer("soon", 1));
  base.commit(s);
  Overlay peek(base);  // due_timers expects its caller to fire what it returns
  EXPECT_EQ(ids(due_timers(peek, 1000LL * 3600 * 24 * 365 * 100, 10)),
            std::vector<std::string>{"soon"});
  auto due = due_timers(s, far, 10);
  ASSERT_EQ(due.size(), 2u);
  EXPECT_EQ(to_millis(due[1].due), far);
}

TEST(Timers, Be64EncodingRoundTripsAndPreservesOrder) {
  std::vector<int64_t> vs{std::numeric_limits<int64_t>::min(), -1000, -1, 0, 1, 1000,
                          std::numeric_limits<int64_t>::max()};
  for (size_t i = 0; i < vs.size(); ++i) {
    EXPECT_EQ(keys::decode_be64(keys::encode_be64(vs[i])), vs[i]);
    if (i > 0) {
      EXPECT_LT(keys::encode_be64(vs[i - 1]), keys::encode_be64(vs[i]));
    }
  }
}

TEST(Timers, TimerKeysAreInternal) {
  EXPECT_TRUE(keys::is_internal(keys::timer_due(1, "a")));
  EXPECT_TRUE(keys::is_internal(keys::timer_id("a")));
  EXPECT_TRUE(keys::is_internal(keys::dedup("a")));
  EXPECT_FALSE(keys::is_internal("total/a"));
  EXPECT_FALSE(keys::is_internal(""));
}

// Fires what due_timers returns, as the engine does.
std::vector<std::string> fire(Overlay& s, int64_t now_ms, size_t limit = 100) {
  auto due = due_timers(s, now_ms, limit);
  for (const auto& t : due) remove_timer(s, t);
  return ids(due);
}

TEST(Timers, ATimerSetInThePastAfterOthersFiredStillFires) {
  MapState base;
  Overlay s(base);
  set_timer(s, timer("a", 100));
  EXPECT_EQ(fire(s, 1000), std::vector<std::string>{"a"});
  base.commit(s);
  set_timer(s, timer("late", 50));  // below the scan floor the first firing left
  EXPECT_EQ(fire(s, 1000), std::vector<std::string>{"late"});
}

TEST(Timers, TimersOfTheSameMillisecondBeyondTheLimitFireNextTick) {
  MapState base;
  Overlay s(base);
  for (const char* id : {"a", "b", "c", "d", "e"}) set_timer(s, timer(id, 700));
  EXPECT_EQ(fire(s, 1000, 2), (std::vector<std::string>{"a", "b"}));
  base.commit(s);
  EXPECT_EQ(fire(s, 1000, 2), (std::vector<std::string>{"c", "d"}));
  EXPECT_EQ(fire(s, 1000, 2), (std::vector<std::string>{"e"}));
  EXPECT_TRUE(fire(s, 5000, 2).empty());
}

TEST(Timers, AnAbortBringsBackTheTimersItFired) {
  MapState base;
  Overlay s(base);
  set_timer(s, timer("a", 100));
  set_timer(s, timer("b", 200));
  base.commit(s);
  EXPECT_EQ(fire(s, 1000), (std::vector<std::string>{"a", "b"}));
  s.clear();  // the transaction aborted
  s.forget_bookkeeping();
  EXPECT_EQ(count_timers(s), 2u);
  EXPECT_EQ(fire(s, 1000), (std::vector<std::string>{"a", "b"}));
}

TEST(Timers, TheLiveCountFollowsSetCancelMoveAndFire) {
  MapState base;
  Overlay s(base);
  EXPECT_EQ(count_timers(s), 0u);
  set_timer(s, timer("a", 100));
  set_timer(s, timer("b", 200));
  set_timer(s, timer("a", 300));  // moved, not added
  EXPECT_EQ(count_timers(s), 2u);
  cancel_timer(s, "nobody");
  cancel_timer(s, "b");
  EXPECT_EQ(count_timers(s), 1u);
  base.commit(s);
  EXPECT_EQ(fire(s, 1000), std::vector<std::string>{"a"});
  EXPECT_EQ(count_timers(s), 0u);
}

}  // namespace
}  // namespace baton::runtime
