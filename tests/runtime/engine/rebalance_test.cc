// Rebalance while processing: a second and a third instance join mid-stream
// and leave again (one by SIGTERM, one by SIGKILL); every effect is still
// exactly once. The assignor is eager (range) for librdkafka 2.0.2: see
// docs/adr/0001-eager-assignor.md and docs/design.md, "Exactly once".
#include <signal.h>

#include "refproc/refproc_fixture.h"

namespace baton::test {
namespace {

using namespace std::chrono_literals;

TEST_F(RefProcFixture, InstancesJoinAndLeaveMidStream) {
  produce_inputs(0, 30000);
  int p0 = free_port(), p1 = free_port(), p2 = free_port();
  auto a = start_instance("a", p0);
  auto progress = [&](size_t n) {
    return wait_until(
        [&] {
          drain(out_, outs_, 100ms);
          return outs_.size() >= n;
        },
        120s, 10ms);
  };
  ASSERT_TRUE(progress(3000)) << a->log_path();
  auto b = start_instance("b", p1);
  ASSERT_TRUE(progress(8000));
  auto c = start_instance("c", p2);
  // All three own partitions at some point: wait until c is ready.
  ASSERT_TRUE(wait_until(
      [&] {
        auto r = http_get(p2, "/readyz");
        return r && r->status == 200;
      },
      60s));
  produce_inputs(30000, 10000);
  ASSERT_TRUE(progress(20000));
  b->signal(SIGTERM);
  EXPECT_EQ(b->wait(30s), std::optional<int>(0)) << b->log_path();
  ASSERT_TRUE(progress(26000));
  c->signal(SIGKILL);
  ASSERT_TRUE(c->wait(10s).has_value());
  ASSERT_TRUE(wait_until(
      [&] {
        drain(out_, outs_, 200ms);
        drain(timers_, ticks_, 200ms);
        return outs_.size() >= 40000 &&
               ticks_.size() >= static_cast<size_t>(oracle_.expected_timers());
      },
      300s, 10ms))
      << outs_.size() << " outputs; " << a->log_path();
  a->signal(SIGTERM);
  EXPECT_EQ(a->wait(30s), std::optional<int>(0));
  verify_exactly_once();
}

}  // namespace
}  // namespace baton::test
