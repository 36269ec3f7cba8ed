// The engine reads the clock once per batch of records, not once per record
// (issue 18 point 4; ctest -R ClockPerBatch): on the real broker, 2,000
// records waiting in the input reach the processor with at most one `now`
// per Engine::kRecordsPerClockRead records of a batch, under a clock that
// moves on at every read, so each read is a new `now`.
#include <gtest/gtest.h>
#include <prometheus/registry.h>

#include <atomic>
#include <mutex>
#include <set>
#include <thread>

#include "baton/runtime/client.h"
#include "engine/engine.h"
#include "harness.h"
#include "metrics/runtime_metrics.h"

namespace baton::test {
namespace {

using namespace std::chrono_literals;
namespace client = runtime::client;

// Remembers the `now` of each record it is given.
class NowRecorder : public runtime::Processor {
 public:
  std::string name() const override { return "nows"; }
  std::vector<std::string> input_topics() const override { return {"in"}; }
  runtime::ProcessResult on_record(const runtime::Record&, const runtime::StateView&,
                                   runtime::TimePoint now) override {
    std::lock_guard lk(mu_);
    nows_.insert(now);
    ++records_;
    return runtime::Effects{};
  }
  runtime::ProcessResult on_timer(const runtime::Timer&, const runtime::StateView&,
                                  runtime::TimePoint) override {
    return runtime::Effects{};
  }
  int64_t records() const {
    std::lock_guard lk(mu_);
    return records_;
  }
  size_t distinct_nows() const {
    std::lock_guard lk(mu_);
    return nows_.size();
  }

 private:
  mutable std::mutex mu_;
  std::set<runtime::TimePoint> nows_;
  int64_t records_ = 0;
};

TEST(ClockPerBatch, RecordsOfOneBatchShareOneClockRead) {
  constexpr int kRecords = 2000;
  const std::string prefix = unique_name("clock") + ".";
  client::ClientConfig cc;
  cc.bootstrap = bootstrap();
  {
    auto admin = client::Admin::connect(cc);
    ASSERT_TRUE(admin) << admin.error().message;
    std::vector<client::TopicSpec> specs(1);
    specs[0].name = prefix + "in";
    specs[0].partitions = 1;
    auto made = (*admin)->create_topics(specs);
    ASSERT_TRUE(made) << made.error().message;
    auto p = client::PlainProducer::open(cc);
    ASSERT_TRUE(p) << p.error().message;
    for (int i = 0; i < kRecords; ++i)
      ASSERT_TRUE((*p)->produce(prefix + "in", "k" + std::to_string(i % 50), "v", {}, 0));
    ASSERT_TRUE((*p)->flush(30s));
  }

  runtime::EngineConfig cfg;
  cfg.service = "clock-test";
  cfg.application_id = unique_name("clock-app");
  cfg.instance_id = "i0";
  cfg.kafka = {{"bootstrap.servers", cc.bootstrap}};
  cfg.topic_prefix = prefix;
  cfg.dlq_topic = "dlq";
  cfg.state_dir = temp_dir("clock-per-batch") + "/state";
  std::atomic<int64_t> reads{0};
  // Every read is a millisecond later than the last.
  cfg.clock = [&reads] { return runtime::from_millis(1'000'000 + reads.fetch_add(1)); };
  auto recorder = std::make_unique<NowRecorder>();
  NowRecorder* rec = recorder.get();
  std::vector<std::unique_ptr<runtime::Processor>> procs;
  procs.push_back(std::move(recorder));
  prometheus::Registry registry;
  runtime::RuntimeMetrics metrics(registry, "clock-test");
  runtime::Engine engine(cfg, std::move(procs), metrics);
  auto started = engine.start();
  ASSERT_TRUE(started) << started.message();
  runtime::Status ran = runtime::Status::ok();
  std::thread loop([&] { ran = engine.run(); });
  const bool all = wait_until([&] { return rec->records() >= kRecords; }, 120s);
  engine.stop();
  loop.join();
  ASSERT_TRUE(all) << "the processor got " << rec->records() << " of " << kRecords << " records";
  ASSERT_TRUE(ran) << ran.message();
  // One read per record would give 2,000 distinct values; one per 64 records
  // of a batch gives about 32 plus one per batch the fetches cut short.
  EXPECT_LE(rec->distinct_nows(), static_cast<size_t>(kRecords / 8))
      << "records read together must share the batch's clock read";
  EXPECT_GT(rec->distinct_nows(), 1u) << "the clock is read again as batches go on";
}

}  // namespace
}  // namespace baton::test
