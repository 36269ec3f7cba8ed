// Placement independence under kill -9 (issue 16): a producer with
// librdkafka's default partitioner (consistent_random, CRC32) puts most keys
// on another partition than murmur2 gives. The runtime moves each such record
// to the partition that owns its key inside the transaction that consumes it:
// every input takes effect exactly once, in its key's order, while the
// reference processor is killed at random moments.
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
  int port = free_port();
  double misplaced = 0;
  auto read_metric = [&] {
    misplaced = std::max(misplaced, metric(port, "baton_input_misplaced_total").value_or(0));
  };
  EXPECT_GE(kill_at_random(6, 20000, port, read_metric), 5);
  finish(20000, port, read_metric);
  EXPECT_GT(misplaced, 0) << "the CRC32 producer placed no key elsewhere: the test proves nothing";
  verify_exactly_once();
}

}  // namespace
}  // namespace baton::test
