// The record collector's bookkeeping of the open transaction, in-process and
// without a producer (ctest -R RecordCollector): consumed offsets, the
// batch count, and callbacks (metrics of skipped records among them) that
// run once the transaction committed and never after a discard.
// record_collector_test.cc runs it against the broker.
#include <gtest/gtest.h>

#include "engine/record_collector.h"
#include "parts.h"

namespace baton::test {
namespace {

using runtime::RecordCollector;

TEST(RecordCollectorBookkeeping, KeepsTheNextOffsetOfEachConsumedPartition) {
  runtime::EngineConfig cfg;
  Metrics metrics;
  RecordCollector rc(cfg, metrics.m);
  EXPECT_FALSE(rc.has_producer());
  EXPECT_FALSE(rc.open());
  rc.consumed("in", 0, 10);
  rc.consumed("in", 0, 11);
  rc.consumed("in", 1, 4);
  rc.consumed("other", 0, 0);
  rc.counted();  // a fired timer
  using Offsets = std::map<std::pair<std::string, int32_t>, int64_t>;
  EXPECT_EQ(rc.next_offsets(), (Offsets{{{"in", 0}, 12}, {{"in", 1}, 5}, {{"other", 0}, 1}}));
  EXPECT_EQ(rc.records(), 5u);
  EXPECT_FALSE(rc.batch_full()) << "no transaction is open";
  rc.discard();
  EXPECT_TRUE(rc.next_offsets().empty());
  EXPECT_EQ(rc.records(), 0u);
}

TEST(RecordCollectorBookkeeping, CallbacksRunAfterTheCommitOnlyAndOnce) {
  runtime::EngineConfig cfg;
  Metrics metrics;
  RecordCollector rc(cfg, metrics.m);
  int ran = 0;
  rc.on_commit([&] { ++ran; });
  rc.on_commit([] { throw std::runtime_error("a callback that throws is ignored"); });
  rc.on_commit([&] { ++ran; });
  EXPECT_EQ(ran, 0);
  rc.committed(std::chrono::steady_clock::now());
  EXPECT_EQ(ran, 2);
  EXPECT_EQ(metrics.m.committed.Value(), 1);
  rc.committed(std::chrono::steady_clock::now());
  EXPECT_EQ(ran, 2) << "forgotten after the commit";
}

TEST(RecordCollectorBookkeeping, ADiscardedTransactionRunsNoCallback) {
  runtime::EngineConfig cfg;
  Metrics metrics;
  RecordCollector rc(cfg, metrics.m);
  int ran = 0;
  rc.on_commit([&] { ++ran; });
  rc.consumed("in", 0, 1);
  rc.discard();
  rc.committed(std::chrono::steady_clock::now());
  EXPECT_EQ(ran, 0);
}

TEST(RecordCollectorBookkeeping, ARecordAnotherServiceOwnsIsCountedAsSkippedAfterCommit) {
  runtime::EngineConfig cfg;
  Metrics metrics;
  RecordCollector rc(cfg, metrics.m);
  runtime::Record r;
  r.topic = "baton.shared";
  // Not the owner: nothing is produced (there is no producer here), it is counted.
  rc.reject(r, runtime::Rejection{"decode", "bad"}, /*owner=*/false);
  EXPECT_EQ(metrics.m.input_skipped("baton.shared", "decode").Value(), 0);
  rc.committed(std::chrono::steady_clock::now());
  EXPECT_EQ(metrics.m.input_skipped("baton.shared", "decode").Value(), 1);
  rc.reject(r, runtime::Rejection{"decode", "bad"}, /*owner=*/false);
  rc.discard();
  rc.committed(std::chrono::steady_clock::now());
  EXPECT_EQ(metrics.m.input_skipped("baton.shared", "decode").Value(), 1)
      << "discarded: not counted";
}

TEST(RecordCollectorBookkeeping, CommittedInputsEventTimesFeedTheLatency) {
  runtime::EngineConfig cfg;
  cfg.clock = [] { return runtime::from_millis(10'000); };
  Metrics metrics;
  RecordCollector rc(cfg, metrics.m);
  rc.event_time(9'000);
  rc.event_time(8'000);
  rc.committed(std::chrono::steady_clock::now());
  const auto h = metrics.m.processing_latency.Collect().histogram;
  EXPECT_EQ(h.sample_count, 2u);
  EXPECT_DOUBLE_EQ(h.sample_sum, 3.0) << "1 s and 2 s after the event";
}

}  // namespace
}  // namespace baton::test
