// The Child handle of `baton dev` (tools/baton/dev/child.h): it runs a real
// process with its output in a log, terminates it on destruction, sends
// SIGKILL after the bounded wait when SIGTERM is ignored, and lets go of it
// when released. ctest -R DevSupervisor.
#include "dev/child.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>

#include <filesystem>
#include <stdexcept>

#include "harness.h"
#include "temp_dir.h"

namespace baton::dev {
namespace {

using std::chrono::seconds;

ProcessRef ref_of(const char* name, pid_t pid) {
  return ProcessRef{name, pid, start_time_of(pid).value_or(0)};
}

// A shell that ignores SIGTERM, then says so in its log (so a test never
// signals it before the trap is set) and sleeps.
SpawnOptions ignoring_sigterm(const std::string& log) {
  return {{"/bin/sh", "-c", "trap '' TERM; echo ready; exec /bin/sleep 300"},
          log,
          false,
          {},
          true,
          Millis(200)};
}

bool log_says(const std::string& log, const std::string& word) {
  return test::wait_until([&] { return test::read_file(log).find(word) != std::string::npos; },
                          seconds(20));
}

TEST(DevSupervisorChild, RunsTheCommandWithItsEnvironmentAndLogAndReportsTheExitCode) {
  TempDir tmp("dev-child");
  const std::string log = tmp.file("out.log");
  Child c = Child::spawn({{"/bin/sh", "-c", "echo \"hello $BATON_DEV_TEST\"; exit 3"},
                          log,
                          false,
                          {{"BATON_DEV_TEST", "world"}},
                          true,
                          Millis(1000)});
  EXPECT_EQ(c.wait_for(seconds(20)), 3);
  EXPECT_FALSE(c.running());
  EXPECT_EQ(test::read_file(log), "hello world\n");
}

TEST(DevSupervisorChild, AProgramThatDoesNotExistIsAnErrorNamingIt) {
  try {
    Child::spawn({{"/nonexistent/baton-nothing"}, "", false, {}, true, Millis(1000)});
    FAIL() << "spawn did not throw";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent/baton-nothing"), std::string::npos);
  }
}

TEST(DevSupervisorChild, ItsDestructorTerminatesTheProcess) {
  ProcessRef sleeper;
  {
    Child c = Child::spawn({{"/bin/sleep", "300"}, "", false, {}, true, Millis(5000)});
    sleeper = ref_of("sleep", c.pid());
    ASSERT_TRUE(alive(sleeper));
  }
  EXPECT_FALSE(alive(sleeper));
}

TEST(DevSupervisorChild, AMovedHandleOwnsTheProcessOnce) {
  ProcessRef sleeper;
  {
    Child a = Child::spawn({{"/bin/sleep", "300"}, "", false, {}, true, Millis(5000)});
    sleeper = ref_of("sleep", a.pid());
    Child b = std::move(a);
    EXPECT_EQ(a.pid(), -1);  // NOLINT(bugprone-use-after-move): the moved-from state is the point
    EXPECT_EQ(b.pid(), sleeper.pid);
    EXPECT_TRUE(alive(sleeper));
  }
  EXPECT_FALSE(alive(sleeper));
}

TEST(DevSupervisorChild, SigtermIsEnoughForAProcessThatHonoursIt) {
  Child c = Child::spawn({{"/bin/sleep", "300"}, "", false, {}, true, Millis(5000)});
  EXPECT_FALSE(c.terminate(seconds(30)));  // no SIGKILL needed
  EXPECT_EQ(c.exit_code(), 128 + SIGTERM);
}

TEST(DevSupervisorChild, SigkillAfterTheBoundedWaitWhenSigtermIsIgnored) {
  TempDir tmp("dev-child");
  const std::string log = tmp.file("stubborn.log");
  Child c = Child::spawn(ignoring_sigterm(log));
  ASSERT_TRUE(log_says(log, "ready"));
  EXPECT_TRUE(c.terminate(Millis(200)));
  EXPECT_EQ(c.exit_code(), 128 + SIGKILL);
  EXPECT_FALSE(c.running());
}

TEST(DevSupervisorChild, ItsDestructorKillsAProcessThatIgnoresSigterm) {
  TempDir tmp("dev-child");
  const std::string log = tmp.file("stubborn.log");
  ProcessRef stubborn;
  {
    Child c = Child::spawn(ignoring_sigterm(log));
    ASSERT_TRUE(log_says(log, "ready"));
    stubborn = ref_of("stubborn", c.pid());
  }
  EXPECT_FALSE(alive(stubborn));
}

TEST(DevSupervisorChild, AReleasedProcessKeepsRunningAndStopAllStopsIt) {
  ProcessRef sleeper;
  {
    Child c = Child::spawn({{"/bin/sleep", "300"}, "", false, {}, true, Millis(5000)});
    sleeper = ref_of("sleeper", c.release());
    EXPECT_EQ(c.pid(), -1);
  }
  ASSERT_TRUE(alive(sleeper));
  EXPECT_TRUE(stop_all({sleeper}, seconds(30)).empty());  // SIGTERM was enough
  EXPECT_FALSE(alive(sleeper));
  waitpid(sleeper.pid, nullptr, 0);  // still this test's child: reap it
}

TEST(DevSupervisorChild, StopAllNamesWhatNeededSigkill) {
  TempDir tmp("dev-child");
  const std::string log = tmp.file("stubborn.log");
  Child c = Child::spawn(ignoring_sigterm(log));
  ASSERT_TRUE(log_says(log, "ready"));
  ProcessRef stubborn = ref_of("stubborn", c.pid());
  EXPECT_EQ(stop_all({stubborn}, Millis(200)), std::vector<std::string>{"stubborn"});
  EXPECT_FALSE(alive(stubborn));
  EXPECT_EQ(c.wait_for(seconds(20)), 128 + SIGKILL);
}

TEST(DevSupervisorChild, AReusedPidDoesNotMatch) {
  Child c = Child::spawn({{"/bin/sleep", "300"}, "", false, {}, true, Millis(5000)});
  ProcessRef other = ref_of("sleep", c.pid());
  other.start_time += 1;  // what a later process with the same pid would look like
  EXPECT_FALSE(alive(other));
  EXPECT_TRUE(stop_all({other}, Millis(200)).empty());
  EXPECT_TRUE(c.running());  // untouched
}

}  // namespace
}  // namespace baton::dev
