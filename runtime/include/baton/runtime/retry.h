// The one retry helper of the tree: exponential backoff with full or
// decorrelated jitter, bounded by attempts and/or a deadline, stoppable.
// The clock, the sleeper and the random draw are injectable, so a test runs
// a whole schedule without sleeping (tests/runtime/retry_test.cc).
//
//   Retry r(RetryPolicy{.max_attempts = 5, .base = 100ms, .max_delay = 2s});
//   auto st = r.run([&](int attempt) { return call(); },
//                   [](const Status& s) { return !s; });  // again while failing
//
// Every retry loop goes through here: the engine's init_transactions,
// commit, producer recreate and committed-offset reads, the topic helpers'
// waits for metadata, the HTTP listeners' start-up wait and the webhook
// sink of `baton notify`.
#pragma once

#include <algorithm>
#include <chrono>
#include <functional>
#include <optional>
#include <type_traits>
#include <utility>

namespace baton::runtime {

enum class Jitter {
  kNone,          // base * 2^(n-1), capped
  kFull,          // uniform in [0, base * 2^(n-1)], capped ("full jitter")
  kDecorrelated,  // uniform in [base, 3 * previous delay], capped
};

struct RetryPolicy {
  int max_attempts = 0;                   // calls in all, the first included; 0: no bound
  std::chrono::milliseconds deadline{0};  // budget from the first call; 0: no bound
  std::chrono::milliseconds base{100};
  std::chrono::milliseconds max_delay{10000};
  Jitter jitter = Jitter::kFull;
};

using SleepFn = std::function<void(std::chrono::milliseconds)>;

// What a retry needs from the world; every member left empty gets the real
// thing (steady clock, this thread sleeping, a per-thread seeded generator).
struct RetryEnv {
  std::function<std::chrono::steady_clock::time_point()> now{};
  SleepFn sleep{};
  std::function<double()> unit{};   // a uniform draw in [0, 1)
  std::function<bool()> stopped{};  // once true, no further attempt
};

// The delays of one schedule, in order: next() is the delay before the
// first retry, then the second, and so on.
class Backoff {
 public:
  explicit Backoff(const RetryPolicy& policy) : policy_(policy) {}
  // `unit` in [0, 1] (clamped); unused without jitter.
  std::chrono::milliseconds next(double unit);

 private:
  RetryPolicy policy_;
  int retries_ = 0;
  std::chrono::milliseconds previous_{0};
};

class Retry {
 public:
  explicit Retry(RetryPolicy policy, RetryEnv env = {});

  // Calls op(attempt), attempt counting from 1, until again(result) is
  // false, the attempts or the deadline are used up, or env.stopped();
  // returns the last result. on_retry(result, attempt, delay) runs before
  // each wait (a log line, a counter). A wait never passes the deadline.
  template <typename Op, typename Again, typename OnRetry>
  auto run(Op&& op, Again&& again, OnRetry&& on_retry) -> std::invoke_result_t<Op&, int> {
    for (;;) {
      ++attempts_;
      auto result = op(attempts_);
      if (!again(std::as_const(result))) return result;
      auto delay = next_delay();
      if (!delay) return result;
      on_retry(std::as_const(result), attempts_, *delay);
      env_.sleep(*delay);
    }
  }
  template <typename Op, typename Again>
  auto run(Op&& op, Again&& again) -> std::invoke_result_t<Op&, int> {
    return run(std::forward<Op>(op), std::forward<Again>(again),
               [](const auto&, int, std::chrono::milliseconds) {});
  }

  int attempts() const { return attempts_; }
  // Time since this Retry was made, on its clock.
  std::chrono::milliseconds elapsed() const;

 private:
  // The wait before the next attempt, or none when no attempt may follow.
  std::optional<std::chrono::milliseconds> next_delay();

  RetryPolicy policy_;
  RetryEnv env_;
  Backoff backoff_;
  std::chrono::steady_clock::time_point started_;
  int attempts_ = 0;
};

// Polls done() until it returns true or the policy runs out: whether it did.
bool poll_until(const std::function<bool()>& done, const RetryPolicy& policy, RetryEnv env = {});

// A sleeper that returns within `slice` once stopped() is true (SIGTERM
// during a long backoff).
SleepFn stoppable_sleep(std::function<bool()> stopped,
                        std::chrono::milliseconds slice = std::chrono::milliseconds(100));

}  // namespace baton::runtime
