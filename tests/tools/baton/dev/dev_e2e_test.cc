// `baton dev up` for real: it starts its own broker (scripts/kafka), creates
// the topics, loads the sample roster, starts the three services and returns
// once each /readyz answers 200; `baton dev status` reports them; `baton dev
// down` leaves no process behind (services and broker) and is idempotent.
// A service that exits during start fails `dev up` with one line naming it
// and its log, and what it had started is stopped. ctest -R DevSupervisor (tier e2e).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "dev/child.h"
#include "dev/health.h"
#include "dev/state.h"
#include "harness.h"
#include "temp_dir.h"

namespace baton::dev {
namespace {

using std::chrono::seconds;

struct CliRun {
  std::optional<int> code;
  std::string output;
};

// `baton <args>` to completion (bounded), its output in <dir>/<log>.
CliRun baton(const TempDir& dir, const std::string& log, std::vector<std::string> args,
             std::chrono::seconds timeout) {
  std::vector<std::string> argv = {test::bin_dir() + "/baton"};
  argv.insert(argv.end(), args.begin(), args.end());
  Child c = Child::spawn({argv, dir.file(log), false, {}, true, Millis(60000)});
  CliRun r{c.wait_for(timeout), ""};
  r.output = test::read_file(dir.file(log));
  return r;
}

std::vector<std::string> dir_args(const TempDir& d) {
  return {"--dir", d.file("run"), "--root", test::source_dir()};
}

// Whatever happens to the test, `baton dev down` runs (and the broker goes).
class DownOnExit {
 public:
  explicit DownOnExit(const TempDir& d) : d_(d) {}
  ~DownOnExit() {
    auto args = dir_args(d_);
    args.insert(args.begin(), {"dev", "down"});
    baton(d_, "down-on-exit.log", args, seconds(300));
  }
  DownOnExit(const DownOnExit&) = delete;
  DownOnExit& operator=(const DownOnExit&) = delete;

 private:
  const TempDir& d_;
};

std::vector<std::string> with(std::vector<std::string> head, const std::vector<std::string>& tail) {
  head.insert(head.end(), tail.begin(), tail.end());
  return head;
}

TEST(DevSupervisorE2E, UpStartsEverythingReadyAndDownLeavesNothing) {
  TempDir tmp("dev-e2e");
  const auto dirs = dir_args(tmp);
  std::optional<DevState> st;
  std::vector<ProcessRef> started;
  {
    DownOnExit guard(tmp);
    CliRun up = baton(tmp, "up.log", with({"dev", "up", "--fresh", "--port-base", "0"}, dirs),
                      seconds(600));
    ASSERT_EQ(up.code, 0) << up.output;

    st = read_state(state_path(tmp.file("run")));
    ASSERT_TRUE(st.has_value());
    ASSERT_EQ(st->services.size(), 3u);
    const char* names[] = {"router", "sla-monitor", "feedback"};
    for (size_t i = 0; i < 3; ++i) {
      const auto& s = st->services[i];
      EXPECT_EQ(s.process.name, names[i]);
      EXPECT_TRUE(alive(s.process)) << s.process.name;
      EXPECT_EQ(check_ready("127.0.0.1", s.port, seconds(5)).readiness, Readiness::kReady)
          << s.process.name << " (log " << s.log << ")";
      started.push_back(s.process);
    }
    ASSERT_FALSE(st->kafka_dir.empty());
    const pid_t broker_pid = std::stoi(test::read_file(st->kafka_dir + "/kafka.pid"));
    started.push_back({"broker", broker_pid, start_time_of(broker_pid).value_or(0)});
    EXPECT_TRUE(alive(started.back()));

    CliRun status = baton(tmp, "status.log", with({"dev", "status"}, dirs), seconds(60));
    EXPECT_EQ(status.code, 0) << status.output;
    for (const char* n : names)
      EXPECT_NE(status.output.find(std::string(n) + "\tpid "), std::string::npos) << n;

    CliRun down = baton(tmp, "down.log", with({"dev", "down"}, dirs), seconds(300));
    EXPECT_EQ(down.code, 0) << down.output;
  }
  for (const auto& p : started) EXPECT_FALSE(alive(p)) << p.name << " (pid " << p.pid << ")";
  EXPECT_FALSE(std::filesystem::exists(state_path(tmp.file("run"))));

  CliRun again = baton(tmp, "down-again.log", with({"dev", "down"}, dirs), seconds(60));
  EXPECT_EQ(again.code, 0) << again.output;
  EXPECT_NE(again.output.find("nothing is up"), std::string::npos) << again.output;
  CliRun status = baton(tmp, "status-after.log", with({"dev", "status"}, dirs), seconds(60));
  EXPECT_EQ(status.code, 1) << status.output;
}

// Pids of processes whose command line names `text` (the run folder).
std::vector<std::string> naming(const std::string& text) {
  std::vector<std::string> out;
  for (const auto& e : std::filesystem::directory_iterator("/proc")) {
    const std::string pid = e.path().filename();
    if (pid.find_first_not_of("0123456789") != std::string::npos) continue;
    std::ifstream in(e.path() / "cmdline");
    std::string cmd((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (cmd.find(text) != std::string::npos && start_time_of(std::stoi(pid)))
      out.push_back(std::string(pid).append(": ").append(cmd));
  }
  return out;
}

TEST(DevSupervisorE2E, AServiceThatExitsDuringStartFailsUpNamingItAndItsLog) {
  TempDir tmp("dev-e2e-fail");
  // The real binaries, except a feedback that exits at once.
  const auto bins = tmp.path() / "bin";
  std::filesystem::create_directories(bins);
  for (const char* b : {"baton", "baton-router", "baton-sla-monitor"})
    std::filesystem::create_symlink(test::bin_dir() + "/" + b, bins / b);
  test::write_file((bins / "baton-feedback").string(), "#!/bin/sh\necho broken >&2\nexit 7\n");
  std::filesystem::permissions(bins / "baton-feedback", std::filesystem::perms::owner_all);
  const std::string run = tmp.file("run");
  CliRun up =
      baton(tmp, "up.log",
            with({"--bootstrap", test::bootstrap(), "--prefix", test::unique_name("devfail") + ".",
                  "dev", "up", "--port-base", "0", "--grace", "30", "--bin-dir", bins.string()},
                 dir_args(tmp)),
            seconds(600));
  EXPECT_EQ(up.code, 1) << up.output;
  const std::string line =
      "baton: dev up: baton-feedback exited during start (exit code 7; log: " + run +
      "/logs/feedback.log)\n";
  EXPECT_NE(up.output.find(line), std::string::npos) << up.output;
  EXPECT_FALSE(std::filesystem::exists(state_path(run)));
  EXPECT_EQ(naming(run), std::vector<std::string>{});  // router and sla-monitor were stopped
}

}  // namespace
}  // namespace baton::dev
