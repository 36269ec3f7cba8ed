// An unrecoverable engine error reaches main instead of ending the process
// (ctest -R EngineFatalReachesMain). On librdkafka's in-process mock
// cluster, so no broker: a task's state folder that cannot be created
// (exit code 74 in docs/design.md) is the fatal error.
// - In process: Engine::run() returns the error to its caller, with the
//   code that maps to 74; the test process is still alive to check it.
// - As a process: baton-refproc (run_service, what a service's main
//   returns) exits with 74.
#include <gtest/gtest.h>
#include <prometheus/registry.h>

#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <thread>

#include "engine/engine.h"
#include "engine/fatal.h"
#include "harness.h"
#include "mock_cluster.h"

namespace baton::test {
namespace {

using namespace std::chrono_literals;
using runtime::Fatal;

// Reads its input and does nothing: the test is about the engine.
class Idle : public runtime::Processor {
 public:
  std::string name() const override { return "idle"; }
  std::vector<std::string> input_topics() const override { return {"in"}; }
  runtime::ProcessResult on_record(const runtime::Record&, const runtime::StateView&,
                                   runtime::TimePoint) override {
    return runtime::Effects{};
  }
  runtime::ProcessResult on_timer(const runtime::Timer&, const runtime::StateView&,
                                  runtime::TimePoint) override {
    return runtime::Effects{};
  }
};

// Stops the engine if the test outlives `limit`: a hang fails, not blocks.
class Watchdog {
 public:
  Watchdog(runtime::Engine& engine, std::chrono::seconds limit)
      : thread_([this, &engine, limit] {
          std::unique_lock lk(mu_);
          if (!cv_.wait_for(lk, limit, [this] { return done_; })) engine.stop();
        }) {}
  ~Watchdog() {
    {
      std::lock_guard lk(mu_);
      done_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool done_ = false;
  std::thread thread_;
};

TEST(EngineFatalReachesMain, RunReturnsTheFatalErrorToItsCaller) {
  MockCluster mock(1);
  ASSERT_TRUE(mock.ok()) << "cannot start librdkafka's mock cluster";
  const std::string app = unique_name("fatal-app");
  const std::string dir = temp_dir("engine-fatal");
  mock.topic("in", 2);
  mock.topic(app + "-idle-changelog", 2);
  mock.topic(app + "-in-repartition", 2);
  mock.topic("baton.dlq", 1);
  // The task folders cannot be made: a plain file stands where they go.
  std::filesystem::create_directories(dir + "/state");
  write_file(dir + "/state/idle", "not a folder");
  ASSERT_TRUE(std::filesystem::is_regular_file(dir + "/state/idle"));

  runtime::EngineConfig cfg;
  cfg.service = "fatal-test";
  cfg.application_id = app;
  cfg.instance_id = "i0";
  cfg.kafka = {{"bootstrap.servers", mock.bootstraps()}};
  cfg.state_dir = dir + "/state";
  std::vector<std::unique_ptr<runtime::Processor>> procs;
  procs.push_back(std::make_unique<Idle>());
  prometheus::Registry registry;
  runtime::RuntimeMetrics metrics(registry, "fatal-test");
  runtime::Engine engine(cfg, std::move(procs), metrics);
  auto started = engine.start();
  ASSERT_TRUE(started) << started.message();

  runtime::Status ran = runtime::Status::ok();
  {
    Watchdog watchdog(engine, 120s);
    ran = engine.run();  // joins the group; the assignment cannot open the stores
  }
  ASSERT_FALSE(ran) << "run() ended without the fatal error (watchdog stop?)";
  EXPECT_EQ(ran.error().code, "engine.fatal.state_open") << ran.message();
  EXPECT_EQ(runtime::fatal_exit_code(ran.error()), 74);
  EXPECT_FALSE(engine.ready());
  std::filesystem::remove_all(dir);
}

TEST(EngineFatalReachesMain, EveryFatalErrorMapsToItsDocumentedExitCode) {
  const std::pair<Fatal, int> documented[] = {{Fatal::kStateWrite, 70},
                                              {Fatal::kProducerRecreate, 71},
                                              {Fatal::kRestoreAfterRecreate, 72},
                                              {Fatal::kCommittedOffsets, 73},
                                              {Fatal::kStateOpen, 74},
                                              {Fatal::kRestore, 75}};
  for (const auto& [f, code] : documented)
    EXPECT_EQ(runtime::fatal_exit_code(runtime::fatal_error(f, "x")), code);
  EXPECT_EQ(runtime::fatal_exit_code(runtime::Error{"kafka.unreachable", "x"}), std::nullopt);
}

TEST(EngineFatalReachesMain, TheServiceProcessExitsWithTheCode) {
  MockCluster mock(1);
  ASSERT_TRUE(mock.ok()) << "cannot start librdkafka's mock cluster";
  const std::string app = unique_name("fatal-proc");
  const std::string dir = temp_dir("engine-fatal-proc");
  for (const auto& t : {std::string("in"), std::string("out")}) mock.topic(t, 2);
  mock.topic("timers", 1);
  mock.topic(app + "-totals-changelog", 2);
  mock.topic(app + "-in-repartition", 2);
  mock.topic(app + "-dlq", 1);
  // The service keeps its state under <state_dir>/<instance id>.
  std::filesystem::create_directories(dir + "/state/i0");
  write_file(dir + "/state/i0/totals", "not a folder");
  ASSERT_TRUE(std::filesystem::is_regular_file(dir + "/state/i0/totals"));
  const std::string config = dir + "/refproc.yaml";
  write_file(config, "kafka:\n  bootstrap_servers: " + mock.bootstraps() +
                         "\nruntime:\n  application_id: " + app + "\n  state_dir: " + dir +
                         "/state\n  commit_interval: 50ms\n  dead_letter_topic: " + app +
                         "-dlq\nrefproc:\n  input_topic: in\n  output_topic: out\n"
                         "  timer_topic: timers\n");
  Child child({bin_dir() + "/baton-refproc", "--config", config, "--instance-id", "i0",
               "--admin-port", "0"},
              {}, dir + "/i0.log");
  auto code = child.wait(120s);
  ASSERT_TRUE(code.has_value()) << "still running; log " << child.log_path();
  EXPECT_EQ(*code, 74) << "log " << child.log_path();
  if (code == std::optional<int>(74)) std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace baton::test
