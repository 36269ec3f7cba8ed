// Internal topics first (engine/input_queues.h): a record on an internal
// topic (a step of work already taken in) is processed before the backlog of
// external records fetched ahead of it, not behind all of them. The engine in
// process on the real broker: 50,000 external records are written before it
// starts; the first one processed sends one record through the processor's
// internal topic. With one FIFO queue that record would come after the whole
// backlog. ctest -R InternalFirst.
#include <gtest/gtest.h>
#include <prometheus/registry.h>

#include <atomic>
#include <thread>

#include "engine/engine.h"
#include "harness.h"
#include "in_process.h"

namespace baton::test {
namespace {

using namespace std::chrono_literals;

class Relay : public runtime::Processor {
 public:
  Relay(std::string external, std::string internal)
      : external_(std::move(external)), internal_(std::move(internal)) {}
  std::string name() const override { return "relay"; }
  std::vector<std::string> input_topics() const override { return {external_, internal_}; }
  std::vector<std::string> internal_topics() const override { return {internal_}; }
  runtime::ProcessResult on_record(const runtime::Record& r, const runtime::StateView&,
                                   runtime::TimePoint) override {
    runtime::Effects fx;
    if (r.topic == internal_) {
      external_at_internal_.store(external_seen_.load());
      return fx;
    }
    if (external_seen_.fetch_add(1) == 0) {
      runtime::Output o;
      o.topic = internal_;
      o.key = "step";
      o.value = "next";
      o.event_id = "relay-step";
      fx.outputs.push_back(std::move(o));
    }
    return fx;
  }
  runtime::ProcessResult on_timer(const runtime::Timer&, const runtime::StateView&,
                                  runtime::TimePoint) override {
    return runtime::Effects{};
  }
  long external_seen() const { return external_seen_.load(); }
  // External records processed when the internal one was; -1 until then.
  long external_at_internal() const { return external_at_internal_.load(); }

 private:
  std::string external_, internal_;
  std::atomic<long> external_seen_{0};
  std::atomic<long> external_at_internal_{-1};
};

TEST(InternalFirst, AnInternalRecordIsNotQueuedBehindTheExternalBacklog) {
  constexpr long kBacklog = 50000;
  const std::string app = unique_name("internal-first");
  const std::string in = app + "-in";
  ASSERT_NO_FATAL_FAILURE(write_backlog(in, 2, kBacklog));

  runtime::EngineConfig cfg = in_process_config("internal-first-test", app);
  // Commit every 1,000 records: the internal record is readable early.
  cfg.commit_max_records = 1000;
  std::vector<std::unique_ptr<runtime::Processor>> procs;
  auto owned = std::make_unique<Relay>(in, app + "-step");
  Relay& relay = *owned;
  procs.push_back(std::move(owned));
  RunningEngine engine(cfg, std::move(procs));
  auto started = engine.start();
  ASSERT_TRUE(started) << started.message();
  const bool done = wait_until(
      [&] { return relay.external_at_internal() >= 0 && relay.external_seen() >= kBacklog; }, 180s,
      10ms);
  engine.stop();
  ASSERT_TRUE(done) << "external " << relay.external_seen() << " of " << kBacklog
                    << ", internal record seen after " << relay.external_at_internal();
  // The internal record exists after the first commit; it must not wait for
  // the rest of the backlog the consumer had already fetched.
  EXPECT_LT(relay.external_at_internal(), kBacklog)
      << "the internal record was processed after the whole external backlog";
  std::cout << "internal record processed after " << relay.external_at_internal() << " of "
            << kBacklog << " external records\n";
}

}  // namespace
}  // namespace baton::test
