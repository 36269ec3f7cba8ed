// The record collector alone against the real broker (ctest -R
// RecordCollector): a transaction's outputs, dead letters, moved records,
// changelog records and consumed offsets commit together and are seen by a
// read_committed reader; an aborted transaction leaves nothing visible and
// runs no callback.
#include "engine/record_collector.h"

#include <gtest/gtest.h>

#include "baton/runtime/headers.h"
#include "parts.h"
#include "state/overlay.h"

namespace baton::test {
namespace {

using runtime::RecordCollector;

class RecordCollectorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string prefix = unique_name("rc") + ".";
    out_ = prefix + "out";
    dlq_ = prefix + "dlq";
    in_ = prefix + "in";
    repartition_ = unique_name("rc-repartition");
    changelog_ = unique_name("rc-changelog");
    cfg_.service = "rc-test";
    cfg_.application_id = unique_name("rc-app");
    cfg_.instance_id = "i0";
    cfg_.kafka = {{"bootstrap.servers", bootstrap()}};
    cfg_.topic_prefix = prefix;
    cfg_.dlq_topic = "dlq";
    cfg_.commit_interval = std::chrono::hours(1);  // batch_full by count only
    cfg_.commit_max_records = 3;
    collector_ = std::make_unique<RecordCollector>(cfg_, metrics_.m);
    auto made = collector_->create_producer([] { return false; });
    ASSERT_TRUE(made) << made.message();
    for (const auto& [topic, n] : std::vector<std::pair<std::string, int>>{
             {out_, 2}, {dlq_, 1}, {in_, 1}, {repartition_, 3}, {changelog_, 2}}) {
      auto s = runtime::kafka::ensure_topic(collector_->producer().handle(), topic, n, {}, 30000);
      ASSERT_TRUE(s) << topic << ": " << s.message();
    }
    // A consumer of the group, for the group's metadata (it never joins).
    auto conf = runtime::kafka::make_conf(
        {{"bootstrap.servers", bootstrap()}, {"group.id", cfg_.application_id}});
    ASSERT_TRUE(conf);
    std::string err;
    group_.reset(RdKafka::KafkaConsumer::create(conf->get(), err));
    ASSERT_TRUE(group_) << err;
  }
  void TearDown() override {
    if (group_) group_->close();
  }
  static runtime::Output output(std::string key, std::string value, int32_t partition) {
    runtime::Output o;
    o.topic = "out";
    o.key = std::move(key);
    o.value = std::move(value);
    o.event_id = "ev-" + o.key;
    o.ce_type = "baton.test.Thing";
    o.event_time = runtime::from_millis(1'700'000'000'000);
    o.partition = partition;
    return o;
  }
  // The group's committed offset of the input's partition 0 (negative: none).
  int64_t committed_offset() {
    std::vector<RdKafka::TopicPartition*> parts{RdKafka::TopicPartition::create(in_, 0)};
    EXPECT_EQ(group_->committed(parts, 10000), RdKafka::ERR_NO_ERROR);
    int64_t off = parts[0]->offset();
    RdKafka::TopicPartition::destroy(parts);
    return off;
  }
  static std::vector<std::string> values(const std::vector<Seen>& seen) {
    std::vector<std::string> v;
    v.reserve(seen.size());
    for (const auto& s : seen) v.push_back(s.key + "=" + s.value.value_or("<tombstone>"));
    return v;
  }

  runtime::EngineConfig cfg_;
  Metrics metrics_;
  std::unique_ptr<RecordCollector> collector_;
  std::unique_ptr<RdKafka::KafkaConsumer> group_;
  std::string out_, dlq_, in_, repartition_, changelog_;
};

TEST_F(RecordCollectorTest, EverythingOfATransactionCommitsTogether) {
  auto& rc = *collector_;
  ASSERT_TRUE(rc.begin().ok());
  ASSERT_TRUE(rc.open());
  const auto started = std::chrono::steady_clock::now();
  rc.consumed(in_, 0, 7);
  rc.consumed(in_, 0, 8);
  EXPECT_FALSE(rc.batch_full());
  rc.produce(output("k1", "v1", 1));
  runtime::Record bad;
  bad.topic = "in";
  bad.partition = 0;
  bad.offset = 7;
  bad.key = "bad";
  bad.value = "junk";
  rc.reject(bad, runtime::Rejection{"decode", "not protobuf"}, /*owner=*/true);
  runtime::Record moved = bad;
  moved.offset = 8;
  moved.key = "moved";
  moved.value = "m";
  rc.forward(moved, repartition_, 2);
  EXPECT_FALSE(rc.batch_full()) << "outputs do not count toward the batch";
  rc.counted();  // a fired timer does
  EXPECT_TRUE(rc.batch_full()) << "commit_max_records (3) reached";
  // The changelog: one record per changelogged key, none for an index key.
  std::map<std::string, std::optional<std::string>, std::less<>> pending{
      {"a", "1"}, {"b", std::nullopt}, {runtime::keys::timer_id("t"), "index"}};
  rc.changelog(changelog_, 0, pending, 1'700'000'000'000);
  int ran = 0;
  rc.on_commit([&] { ++ran; });

  auto e = rc.commit(*group_);
  ASSERT_TRUE(e.ok()) << e.message;
  auto acked = rc.take_acked();
  ASSERT_TRUE(acked.count({changelog_, 0}));
  EXPECT_EQ((acked[{changelog_, 0}]), 1) << "two changelog records, offsets 0 and 1";
  rc.committed(started);
  EXPECT_FALSE(rc.open());
  EXPECT_EQ(rc.records(), 0u);
  EXPECT_EQ(ran, 1);
  EXPECT_EQ(metrics_.m.committed.Value(), 1);
  EXPECT_EQ(metrics_.m.records_out("out").Value(), 1);
  EXPECT_EQ(metrics_.m.dead_letters("decode", "in").Value(), 1);
  EXPECT_EQ(metrics_.m.input_misplaced("in").Value(), 1);
  // The commit's time, and its three parts: the flush that delivered its
  // records, the input offsets, the coordinator's EndTxn.
  auto sample = [](prometheus::Histogram& h) { return h.Collect().histogram; };
  EXPECT_EQ(sample(metrics_.m.commit_seconds).sample_count, 1u);
  EXPECT_EQ(sample(metrics_.m.flush_seconds).sample_count, 1u);
  EXPECT_EQ(sample(metrics_.m.offsets_seconds).sample_count, 1u);
  EXPECT_EQ(sample(metrics_.m.end_seconds).sample_count, 1u);
  EXPECT_LE(sample(metrics_.m.flush_seconds).sample_sum +
                sample(metrics_.m.offsets_seconds).sample_sum +
                sample(metrics_.m.end_seconds).sample_sum,
            sample(metrics_.m.commit_seconds).sample_sum);

  EXPECT_EQ(committed_offset(), 9) << "the next offset after the last consumed";
  auto outs = read_committed(cfg_.kafka, out_, 2);
  ASSERT_EQ(values(outs), std::vector<std::string>{"k1=v1"});
  EXPECT_EQ(outs[0].partition, 1);
  EXPECT_EQ(outs[0].headers["ce_id"], "ev-k1");
  EXPECT_EQ(outs[0].headers["ce_type"], "baton.test.Thing");
  EXPECT_EQ(outs[0].headers["ce_source"], "baton/rc-test");
  auto dead = read_committed(cfg_.kafka, dlq_, 1);
  ASSERT_EQ(values(dead), std::vector<std::string>{"bad=junk"});
  EXPECT_EQ(dead[0].headers["baton.error.reason"], "decode");
  EXPECT_EQ(dead[0].headers["baton.source.topic"], in_) << "the physical topic";
  EXPECT_EQ(dead[0].headers["baton.source.offset"], "7");
  auto moves = read_committed(cfg_.kafka, repartition_, 3);
  ASSERT_EQ(values(moves), std::vector<std::string>{"moved=m"});
  EXPECT_EQ(moves[0].partition, 2);
  EXPECT_EQ(moves[0].headers[std::string(runtime::kOriginPartition)], "0");
  EXPECT_EQ(moves[0].headers[std::string(runtime::kOriginOffset)], "8");
  auto changes = read_committed(cfg_.kafka, changelog_, 2);
  EXPECT_EQ(values(changes), (std::vector<std::string>{"a=1", "b=<tombstone>"}));
}

TEST_F(RecordCollectorTest, AnAbortedTransactionLeavesNothingVisible) {
  auto& rc = *collector_;
  ASSERT_TRUE(rc.begin().ok());
  rc.consumed(in_, 0, 100);
  rc.produce(output("lost", "x", 0));
  int ran = 0;
  rc.on_commit([&] { ++ran; });
  ASSERT_TRUE(rc.abort(10000).ok());
  rc.discard();
  EXPECT_FALSE(rc.open());
  EXPECT_TRUE(rc.next_offsets().empty());

  ASSERT_TRUE(rc.begin().ok());
  rc.produce(output("kept", "y", 0));
  auto e = rc.commit(*group_);
  ASSERT_TRUE(e.ok()) << e.message;
  rc.committed(std::chrono::steady_clock::now());
  EXPECT_EQ(ran, 0) << "the aborted transaction's callback never runs";
  EXPECT_EQ(values(read_committed(cfg_.kafka, out_, 2)), std::vector<std::string>{"kept=y"});
  EXPECT_LT(committed_offset(), 0) << "the aborted offset was not committed";
}

}  // namespace
}  // namespace baton::test
