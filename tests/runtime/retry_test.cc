// The one retry helper (baton/runtime/retry.h): schedules, bounds and stop,
// on a fake clock whose sleeper only advances time. Nothing here sleeps.
#include "baton/runtime/retry.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace baton::runtime {
namespace {

using std::chrono::milliseconds;

// A clock that moves only when the retry sleeps, and a scripted draw.
struct FakeWorld {
  std::chrono::steady_clock::time_point t{};
  std::vector<milliseconds> slept;
  std::vector<double> draws;
  size_t next_draw = 0;
  int stop_after_sleeps = -1;

  RetryEnv env() {
    RetryEnv e;
    e.now = [this] { return t; };
    e.sleep = [this](milliseconds d) {
      slept.push_back(d);
      t += d;
    };
    e.unit = [this] { return draws.empty() ? 0.5 : draws[next_draw++ % draws.size()]; };
    e.stopped = [this] {
      return stop_after_sleeps >= 0 && static_cast<int>(slept.size()) >= stop_after_sleeps;
    };
    return e;
  }
};

std::vector<int64_t> counts(const std::vector<milliseconds>& v) {
  std::vector<int64_t> out;
  for (auto d : v) out.push_back(d.count());
  return out;
}

TEST(RetryBackoff, ExponentialWithoutJitterDoublesUpToTheCap) {
  Backoff b(RetryPolicy{
      .base = milliseconds(250), .max_delay = milliseconds(4000), .jitter = Jitter::kNone});
  std::vector<int64_t> got;
  for (int i = 0; i < 8; ++i) got.push_back(b.next(0.3).count());
  EXPECT_EQ(got, (std::vector<int64_t>{250, 500, 1000, 2000, 4000, 4000, 4000, 4000}));
}

TEST(RetryBackoff, FullJitterDrawsBelowTheExponentialBound) {
  RetryPolicy p{.base = milliseconds(100), .max_delay = milliseconds(1000)};
  EXPECT_EQ(Backoff(p).next(0.999).count(), 99);
  Backoff b(p);
  b.next(0.5);
  b.next(0.5);
  EXPECT_EQ(b.next(0.5).count(), 200);  // third retry: 0.5 * 400
  for (int i = 0; i < 40; ++i) b.next(0.5);
  EXPECT_EQ(b.next(1.0).count(), 1000);  // capped, and no overflow after many retries
  EXPECT_EQ(b.next(0.0).count(), 0);
  EXPECT_EQ(b.next(7.0).count(), 1000) << "the draw is clamped to [0, 1]";
}

TEST(RetryBackoff, DecorrelatedJitterStaysBetweenBaseAndThreeTimesThePreviousDelay) {
  RetryPolicy p{
      .base = milliseconds(100), .max_delay = milliseconds(1000), .jitter = Jitter::kDecorrelated};
  Backoff lo(p);
  for (int i = 0; i < 10; ++i) EXPECT_EQ(lo.next(0.0).count(), 100);
  Backoff hi(p);
  std::vector<int64_t> got;
  for (int i = 0; i < 5; ++i) got.push_back(hi.next(1.0).count());
  EXPECT_EQ(got, (std::vector<int64_t>{300, 900, 1000, 1000, 1000}));
  Backoff mid(p);
  EXPECT_EQ(mid.next(0.5).count(), 200);  // in [100, 300]
  EXPECT_EQ(mid.next(0.5).count(), 350);  // in [100, 600]
}

TEST(Retry, StopsAtTheFirstResultThatNeedsNoRetry) {
  FakeWorld w;
  Retry r(RetryPolicy{.max_attempts = 10, .base = milliseconds(10), .jitter = Jitter::kNone},
          w.env());
  std::vector<int> seen;
  int got = r.run(
      [&](int attempt) {
        seen.push_back(attempt);
        return attempt;
      },
      [](int v) { return v < 3; });
  EXPECT_EQ(got, 3);
  EXPECT_EQ(seen, (std::vector<int>{1, 2, 3}));
  EXPECT_EQ(counts(w.slept), (std::vector<int64_t>{10, 20}));
  EXPECT_EQ(r.attempts(), 3);
}

TEST(Retry, BoundedAttemptsReturnTheLastResult) {
  FakeWorld w;
  Retry r(RetryPolicy{.max_attempts = 4, .base = milliseconds(1), .jitter = Jitter::kNone},
          w.env());
  std::vector<std::string> logged;
  std::string last = r.run([](int attempt) { return "fail " + std::to_string(attempt); },
                           [](const std::string&) { return true; },
                           [&](const std::string& why, int attempt, milliseconds delay) {
                             logged.push_back(why + " @" + std::to_string(attempt) + " +" +
                                              std::to_string(delay.count()));
                           });
  EXPECT_EQ(last, "fail 4");
  EXPECT_EQ(logged, (std::vector<std::string>{"fail 1 @1 +1", "fail 2 @2 +2", "fail 3 @3 +4"}));
  EXPECT_EQ(w.slept.size(), 3u) << "no wait after the last attempt";
}

TEST(Retry, DeadlineBoundsTheAttemptsAndNoWaitPassesIt) {
  FakeWorld w;
  Retry r(RetryPolicy{.deadline = milliseconds(1000),
                      .base = milliseconds(300),
                      .max_delay = milliseconds(5000),
                      .jitter = Jitter::kNone},
          w.env());
  int calls = 0;
  r.run(
      [&](int) {
        ++calls;
        w.t += milliseconds(50);  // each call takes time too
        return false;
      },
      [](bool ok) { return !ok; });
  // 50 +300 +50 +600 = 1000: the second wait is cut to the 600 left of it;
  // the third call ends past the deadline, so no fourth.
  EXPECT_EQ(counts(w.slept), (std::vector<int64_t>{300, 600}));
  EXPECT_EQ(calls, 3);
  EXPECT_EQ(r.elapsed(), milliseconds(1050));
}

TEST(Retry, StoppedMeansNoFurtherAttempt) {
  FakeWorld w;
  w.stop_after_sleeps = 2;
  Retry r(RetryPolicy{.base = milliseconds(5)}, w.env());  // unbounded otherwise
  int calls = 0;
  r.run(
      [&](int) {
        ++calls;
        return false;
      },
      [](bool ok) { return !ok; });
  EXPECT_EQ(calls, 3);
  EXPECT_EQ(w.slept.size(), 2u);
}

TEST(Retry, FullJitterDrawsFromTheInjectedSource) {
  FakeWorld w;
  w.draws = {0.25, 0.5, 1.0};
  Retry r(RetryPolicy{.max_attempts = 4, .base = milliseconds(100)}, w.env());
  r.run([](int) { return false; }, [](bool ok) { return !ok; });
  EXPECT_EQ(counts(w.slept), (std::vector<int64_t>{25, 100, 400}));
}

TEST(Retry, PollUntilReportsWhetherTheConditionHeld) {
  FakeWorld w;
  int n = 0;
  EXPECT_TRUE(poll_until([&] { return ++n == 5; },
                         RetryPolicy{.max_attempts = 10,
                                     .base = milliseconds(10),
                                     .max_delay = milliseconds(10),
                                     .jitter = Jitter::kNone},
                         w.env()));
  EXPECT_EQ(counts(w.slept), (std::vector<int64_t>{10, 10, 10, 10}));
  FakeWorld w2;
  EXPECT_FALSE(poll_until([] { return false; },
                          RetryPolicy{.max_attempts = 3, .base = milliseconds(1)}, w2.env()));
}

TEST(Retry, StoppableSleepReturnsAtOnceWhenStopped) {
  auto sleep = stoppable_sleep([] { return true; });
  sleep(milliseconds(3600 * 1000));  // would hang the test if it slept
  SUCCEED();
}

}  // namespace
}  // namespace baton::runtime
