// One clock reading per batch (issue 18 point 4): the engine reads its
// injected clock once for each batch of consumed records, not per record,
// and hands every record of the batch that `now`. The engine in process on
// the real broker; 3,000 records are written before it starts, so batches
// are large. ctest -R BatchClock.
#include <gtest/gtest.h>
#include <prometheus/registry.h>

#include <atomic>
#include <mutex>
#include <set>
#include <thread>

#include "engine/engine.h"
#include "harness.h"
#include "in_process.h"

namespace baton::test {
namespace {

using namespace std::chrono_literals;

// Counts records and the distinct `now` values they were processed at.
class Counting : public runtime::Processor {
 public:
  std::string name() const override { return "count"; }
  std::vector<std::string> input_topics() const override { return {topic_}; }
  explicit Counting(std::string topic) : topic_(std::move(topic)) {}
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
  size_t records() const {
    std::lock_guard lk(mu_);
    return records_;
  }
  size_t distinct_nows() const {
    std::lock_guard lk(mu_);
    return nows_.size();
  }

 private:
  std::string topic_;
  mutable std::mutex mu_;
  std::set<runtime::TimePoint> nows_;
  size_t records_ = 0;
};

TEST(BatchClock, EveryRecordOfABatchIsProcessedAtOneClockReading) {
  constexpr int kRecords = 3000;
  const std::string app = unique_name("batch-clock");
  const std::string in = app + "-in";
  ASSERT_NO_FATAL_FAILURE(write_backlog(in, 2, kRecords));

  std::atomic<int> reads{0};
  runtime::EngineConfig cfg = in_process_config("batch-clock-test", app);
  cfg.clock = [&reads] {
    ++reads;
    return runtime::Clock::now();
  };
  std::vector<std::unique_ptr<runtime::Processor>> procs;
  auto owned = std::make_unique<Counting>(in);
  Counting& counting = *owned;
  procs.push_back(std::move(owned));
  RunningEngine engine(cfg, std::move(procs));
  auto started = engine.start();
  ASSERT_TRUE(started) << started.message();
  const bool all = wait_until([&] { return counting.records() >= kRecords; }, 120s, 10ms);
  engine.stop();
  ASSERT_TRUE(all) << "processed " << counting.records() << " of " << kRecords;
  // At most 1,000 records a batch: 3 batches would do. Partitions arrive in
  // separate fetches, so allow many more, but far fewer than one per record.
  EXPECT_LE(counting.distinct_nows(), static_cast<size_t>(kRecords / 10))
      << "records share their batch's clock reading";
  EXPECT_LT(reads.load(), kRecords) << "the clock is not read per record";
}

}  // namespace
}  // namespace baton::test
