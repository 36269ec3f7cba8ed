// Placement independence under kill -9 (issue 16): a producer with
// librdkafka's default partitioner (consistent_random, CRC32) puts most keys
// on another partition than murmur2 gives. The runtime moves each such record
// to the partition that owns its key inside the transaction that consumes it:
// every input takes effect exactly once, in its key's order, while the
// reference processor is killed at random moments.
#include <signal.h>

#include <random>

#include "refproc/refproc_fixture.h"

namespace baton::test {
namespace {

using namespace std::chrono_literals;

TEST_F(RefProcFixture, DefaultPartitionerInputsMoveAndTakeEffectExactlyOnceInOrder) {
  auto crc = cc_;
  crc.properties["partitioner"] = "consistent_random";
  auto p = runtime::client::PlainProducer::open(crc);
  ASSERT_TRUE(p) << p.error().message;
  producer_ = std::move(p.value());
  produce_inputs(0, 20000);
  std::mt19937 rng(std::random_device{}());
  int port = free_port();
  int kills = 0;
  double misplaced = 0;
  for (int round = 0; round < 6; ++round) {
    auto child = start_instance("i0", port);
    size_t before = outs_.size();
    size_t step = 500 + rng() % 2500;
    wait_until(
        [&] {
          drain(out_, outs_, 100ms);
          return outs_.size() >= before + step || outs_.size() >= 20000;
        },
        60s, 10ms);
    misplaced = std::max(misplaced, metric(port, "baton_input_misplaced_total").value_or(0));
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
        return outs_.size() >= 20000 &&
               ticks_.size() >= static_cast<size_t>(oracle_.expected_timers());
      },
      300s, 10ms))
      << "outputs " << outs_.size() << " timers " << ticks_.size() << "; log " << last->log_path();
  misplaced = std::max(misplaced, metric(port, "baton_input_misplaced_total").value_or(0));
  last->signal(SIGTERM);
  EXPECT_EQ(last->wait(30s), std::optional<int>(0));
  EXPECT_GE(kills, 5);
  EXPECT_GT(misplaced, 0) << "the CRC32 producer placed no key elsewhere: the test proves nothing";
  verify_exactly_once();
}

}  // namespace
}  // namespace baton::test
