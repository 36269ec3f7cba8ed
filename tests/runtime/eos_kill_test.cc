// Exactly-once under kill -9: the reference processor works through 50,000
// inputs while the test kills it with SIGKILL at random moments; every
// input's effect and every timer's effect must appear exactly once.
#include <signal.h>

#include <random>

#include "refproc/refproc_fixture.h"

namespace baton::test {
namespace {

using namespace std::chrono_literals;

TEST_F(RefProcFixture, SigkillAtRandomMomentsLosesAndDuplicatesNothing) {
  produce_inputs(0, 50000);
  std::mt19937 rng(std::random_device{}());
  int port = free_port();
  int kills = 0;
  for (int round = 0; round < 12; ++round) {
    auto child = start_instance("i0", port);
    size_t before = outs_.size();
    size_t step = 500 + rng() % 3500;
    // Kill once the instance made random progress (or the deadline passed).
    wait_until(
        [&] {
          drain(out_, outs_, 100ms);
          return outs_.size() >= before + step || outs_.size() >= 50000;
        },
        60s, 10ms);
    // A random moment within the next transaction(s).
    std::this_thread::sleep_for(std::chrono::milliseconds(rng() % 150));
    child->signal(SIGKILL);
    ASSERT_TRUE(child->wait(10s).has_value());
    ++kills;
  }
  auto last = start_instance("i0", port);
  ASSERT_TRUE(wait_until(
      [&] {
        drain(out_, outs_, 200ms);
        drain(timers_, ticks_, 200ms);
        return outs_.size() >= 50000 &&
               ticks_.size() >= static_cast<size_t>(oracle_.expected_timers());
      },
      300s, 10ms))
      << "outputs " << outs_.size() << " timers " << ticks_.size() << "; log " << last->log_path();
  last->signal(SIGTERM);
  EXPECT_EQ(last->wait(30s), std::optional<int>(0));
  EXPECT_GE(kills, 10);
  verify_exactly_once();
}

}  // namespace
}  // namespace baton::test
