// Shutdown: SIGTERM during load finishes the open transaction, leaves the
// group and exits 0 within the grace; a restart continues with nothing lost.
#include <signal.h>

#include "refproc/refproc_fixture.h"

namespace baton::test {
namespace {

using namespace std::chrono_literals;

TEST_F(RefProcFixture, SigtermDuringLoadExitsZeroAndLosesNothing) {
  produce_inputs(0, 20000);
  int port = free_port();
  for (int round = 0; round < 3; ++round) {
    auto a = start_instance("a", port);
    size_t before = outs_.size();
    wait_until(
        [&] {
          drain(out_, outs_, 100ms);
          return outs_.size() >= before + 2000 || outs_.size() >= 20000;
        },
        120s, 10ms);
    a->signal(SIGTERM);
    // The runtime's grace is 20 s in this config: exit comes before it.
    EXPECT_EQ(a->wait(25s), std::optional<int>(0)) << a->log_path();
  }
  auto last = start_instance("a", port);
  ASSERT_TRUE(wait_until(
      [&] {
        drain(out_, outs_, 200ms);
        drain(timers_, ticks_, 200ms);
        return outs_.size() >= 20000 &&
               ticks_.size() >= static_cast<size_t>(oracle_.expected_timers());
      },
      300s, 10ms));
  last->signal(SIGTERM);
  EXPECT_EQ(last->wait(25s), std::optional<int>(0));
  verify_exactly_once();
}

}  // namespace
}  // namespace baton::test
