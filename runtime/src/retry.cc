#include "baton/runtime/retry.h"

#include <cstdint>
#include <random>
#include <thread>

namespace baton::runtime {

namespace {
using std::chrono::milliseconds;

double thread_unit() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  return std::uniform_real_distribution<double>(0.0, 1.0)(rng);
}
}  // namespace

milliseconds Backoff::next(double unit) {
  unit = std::clamp(unit, 0.0, 1.0);
  const int64_t cap = std::max<int64_t>(0, policy_.max_delay.count());
  const int64_t base = std::clamp<int64_t>(policy_.base.count(), 0, cap);
  // base * 2^retries, doubled only while under the cap (never overflows).
  int64_t exp = base;
  for (int i = 0; i < retries_ && exp > 0 && exp < cap; ++i) exp = exp > cap / 2 ? cap : exp * 2;
  ++retries_;
  switch (policy_.jitter) {
    case Jitter::kNone:
      return milliseconds(exp);
    case Jitter::kFull:
      return milliseconds(static_cast<int64_t>(unit * static_cast<double>(exp)));
    case Jitter::kDecorrelated: {
      const int64_t prev = previous_.count() > 0 ? previous_.count() : base;
      const int64_t hi = std::max(base, std::min<int64_t>(cap, prev * 3));
      previous_ = milliseconds(base + static_cast<int64_t>(unit * static_cast<double>(hi - base)));
      return previous_;
    }
  }
  return milliseconds(exp);
}

Retry::Retry(RetryPolicy policy, RetryEnv env)
    : policy_(policy), env_(std::move(env)), backoff_(policy_) {
  if (!env_.now) env_.now = [] { return std::chrono::steady_clock::now(); };
  if (!env_.sleep) env_.sleep = [](milliseconds d) { std::this_thread::sleep_for(d); };
  if (!env_.unit) env_.unit = thread_unit;
  started_ = env_.now();
}

milliseconds Retry::elapsed() const {
  return std::chrono::duration_cast<milliseconds>(env_.now() - started_);
}

std::optional<milliseconds> Retry::next_delay() {
  if (env_.stopped && env_.stopped()) return std::nullopt;
  if (policy_.max_attempts > 0 && attempts_ >= policy_.max_attempts) return std::nullopt;
  auto delay = backoff_.next(env_.unit());
  if (policy_.deadline.count() > 0) {
    const auto left = policy_.deadline - elapsed();
    if (left.count() <= 0) return std::nullopt;
    delay = std::min(delay, left);
  }
  return delay;
}

bool poll_until(const std::function<bool()>& done, const RetryPolicy& policy, RetryEnv env) {
  return Retry(policy, std::move(env))
      .run([&](int) { return done(); }, [](bool ok) { return !ok; });
}

SleepFn stoppable_sleep(std::function<bool()> stopped, milliseconds slice) {
  return [stopped = std::move(stopped), slice](milliseconds d) {
    const auto until = std::chrono::steady_clock::now() + d;
    while (!stopped()) {
      const auto left =
          std::chrono::duration_cast<milliseconds>(until - std::chrono::steady_clock::now());
      if (left.count() <= 0) return;
      std::this_thread::sleep_for(std::min(left, slice));
    }
  };
}

}  // namespace baton::runtime
