// The task manager alone, without a broker (ctest -R TaskManager): tasks on
// real RocksDB stores under the state folder, the state-open fatal error,
// announcement of restored state, readiness, revocation, and the admin's
// reads of committed state. Restore from a changelog needs the broker:
// task_manager_restore_test.cc.
#include "engine/task_manager.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "engine/fatal.h"
#include "nlohmann/json.hpp"
#include "parts.h"
#include "state/versioned.h"

namespace baton::test {
namespace {

using runtime::Task;
using runtime::TaskManager;

class TaskManagerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = temp_dir("task-manager");
    cfg_.application_id = "tm-app";
    cfg_.state_dir = dir_ + "/state";
    procs_.push_back(std::make_unique<Recorder>("alpha"));
    procs_.push_back(std::make_unique<Recorder>("beta", /*version=*/2));
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  Recorder& proc(size_t i) { return static_cast<Recorder&>(*procs_[i]); }
  std::vector<Task*> open(TaskManager& tm, const std::set<TaskManager::TaskKey>& wanted) {
    auto r = tm.open(wanted);
    EXPECT_TRUE(r) << (r ? "" : r.error().message);
    return r ? r.value() : std::vector<Task*>{};
  }
  nlohmann::json status(const TaskManager& tm) { return nlohmann::json::parse(tm.status_json()); }

  std::string dir_;
  runtime::EngineConfig cfg_;
  std::vector<std::unique_ptr<runtime::Processor>> procs_;
  runtime::GlobalTables globals_;
  Metrics metrics_;
};

TEST_F(TaskManagerTest, OpensOneStorePerTaskUnderTheStateFolder) {
  TaskManager tm(cfg_, procs_, globals_, metrics_.m);
  auto fresh = open(tm, {{0, 0}, {0, 1}, {1, 0}});
  ASSERT_EQ(fresh.size(), 3u);
  EXPECT_EQ(tm.size(), 3u);
  for (const char* d : {"/alpha/0", "/alpha/1", "/beta/0"})
    EXPECT_TRUE(std::filesystem::is_directory(cfg_.state_dir + d)) << d;
  Task* t = tm.find(0, 1);
  ASSERT_NE(t, nullptr);
  EXPECT_EQ(t->processor, procs_[0].get());
  EXPECT_EQ(t->partition, 1);
  EXPECT_EQ(t->changelog, "tm-app-alpha-changelog");
  EXPECT_EQ(tm.changelog_topic(1), "tm-app-beta-changelog");
  EXPECT_EQ(tm.find(1, 1), nullptr);
  // Held tasks are kept, only the new one is made.
  auto again = open(tm, {{0, 0}, {1, 1}});
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0], tm.find(1, 1));
  EXPECT_EQ(tm.all().size(), 4u);
}

TEST_F(TaskManagerTest, AStoreThatCannotOpenIsTheStateOpenFatalError) {
  std::filesystem::create_directories(cfg_.state_dir);
  write_file(cfg_.state_dir + "/beta", "not a folder");
  TaskManager tm(cfg_, procs_, globals_, metrics_.m);
  auto r = tm.open({{0, 0}, {1, 0}});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "engine.fatal.state_open") << r.error().message;
  EXPECT_EQ(runtime::fatal_exit_code(r.error()), 74);
}

TEST_F(TaskManagerTest, RestoringNoTaskNeedsNoBroker) {
  cfg_.kafka = {{"bootstrap.servers", "127.0.0.1:1"}};
  TaskManager tm(cfg_, procs_, globals_, metrics_.m);
  EXPECT_TRUE(tm.restore({}));
  EXPECT_FALSE(status(tm)["restoring"].get<bool>());
}

TEST_F(TaskManagerTest, AnnounceShowsEachProcessorItsCommittedState) {
  TaskManager tm(cfg_, procs_, globals_, metrics_.m);
  auto fresh = open(tm, {{0, 0}, {0, 1}});
  ASSERT_TRUE(fresh[0]->store->apply({{"k", "stored"}}, -1));
  proc(0).throw_on_assigned = true;  // logged; the next task is still told
  tm.announce(fresh);
  EXPECT_EQ(proc(0).assigned,
            (std::vector<std::pair<int32_t, std::string>>{{0, "stored"}, {1, "<none>"}}));
}

TEST_F(TaskManagerTest, ReadyOnceAssignedUntilRevoked) {
  TaskManager tm(cfg_, procs_, globals_, metrics_.m);
  EXPECT_FALSE(tm.ready());
  EXPECT_FALSE(status(tm)["assigned"].get<bool>());
  open(tm, {{0, 0}, {1, 2}});
  EXPECT_FALSE(tm.ready()) << "not before the assignment completes";
  tm.mark_assigned();
  EXPECT_TRUE(tm.ready());
  EXPECT_EQ(metrics_.m.ready.Value(), 1);
  auto j = status(tm);
  EXPECT_TRUE(j["ready"].get<bool>());
  EXPECT_TRUE(j["assigned"].get<bool>());
  EXPECT_EQ(j["tasks"].get<int>(), 2);
  EXPECT_EQ(j["restore_progress"].get<double>(), 1.0);

  tm.revoke();
  EXPECT_FALSE(tm.ready());
  EXPECT_EQ(metrics_.m.ready.Value(), 0);
  EXPECT_EQ(tm.size(), 0u);
  EXPECT_EQ(proc(0).revoked, std::vector<int32_t>{0});
  EXPECT_EQ(proc(1).revoked, std::vector<int32_t>{2});
  EXPECT_TRUE(status(tm)["assigned"].get<bool>()) << "assigned once stays";
  tm.refresh_ready();
  EXPECT_TRUE(tm.ready()) << "assigned once and not restoring";
  tm.mark_not_ready();
  EXPECT_FALSE(tm.ready());
}

TEST_F(TaskManagerTest, ARevokedTasksStateIsThereWhenItComesBack) {
  {
    TaskManager tm(cfg_, procs_, globals_, metrics_.m);
    auto fresh = open(tm, {{0, 4}});
    ASSERT_EQ(fresh.size(), 1u);
    ASSERT_TRUE(fresh[0]->store->apply({{"lead/1", "one"}}, 17));
    tm.revoke();  // closes (and flushes) the store
  }
  TaskManager tm(cfg_, procs_, globals_, metrics_.m);
  auto back = open(tm, {{0, 4}});
  ASSERT_EQ(back.size(), 1u);
  EXPECT_EQ(back[0]->store->checkpoint(), 17);
  EXPECT_EQ(tm.lookup("alpha", "lead/1"), std::optional<std::string>("one"));
}

TEST_F(TaskManagerTest, AdminReadsSeeCommittedStateOfTheNamedProcessor) {
  TaskManager tm(cfg_, procs_, globals_, metrics_.m);
  auto fresh = open(tm, {{0, 0}, {0, 1}, {1, 0}, {1, 5}});
  ASSERT_EQ(fresh.size(), 4u);
  ASSERT_TRUE(tm.find(0, 0)->store->apply({{"lead/a", "A"}, {"other/x", "X"}}, -1));
  ASSERT_TRUE(tm.find(0, 1)->store->apply({{"lead/b", "B"}}, -1));
  // beta writes schema version 2: reads strip the version prefix.
  ASSERT_TRUE(tm.find(1, 0)->store->apply({{"lead/a", runtime::state::seal(2, "beta-A")}}, -1));
  // An open transaction's write is not committed state.
  tm.find(0, 1)->overlay->put("lead/c", "pending");

  EXPECT_EQ(tm.lookup("alpha", "lead/a"), std::optional<std::string>("A"));
  EXPECT_EQ(tm.lookup("beta", "lead/a"), std::optional<std::string>("beta-A"));
  EXPECT_EQ(tm.lookup("alpha", "lead/c"), std::nullopt);
  EXPECT_EQ(tm.lookup("gamma", "lead/a"), std::nullopt);

  std::vector<std::string> seen;
  tm.scan("alpha", "lead/", [&](std::string_view k, std::string_view v) {
    seen.push_back(std::string(k) + "=" + std::string(v));
    return true;
  });
  EXPECT_EQ(seen, (std::vector<std::string>{"lead/a=A", "lead/b=B"}));
  int visits = 0;
  tm.scan("alpha", "lead/", [&](std::string_view, std::string_view) { return ++visits < 1; });
  EXPECT_EQ(visits, 1) << "false stops the scan";

  std::vector<std::string> by_partition;
  auto visited =
      tm.scan_tasks("beta", "lead/", [&](int32_t p, std::string_view k, std::string_view v) {
        by_partition.push_back(std::to_string(p) + ":" + std::string(k) + "=" + std::string(v));
      });
  EXPECT_EQ(visited, (std::set<int32_t>{0, 5})) << "every task of the processor, even empty";
  EXPECT_EQ(by_partition, std::vector<std::string>{"0:lead/a=beta-A"});
}

}  // namespace
}  // namespace baton::test
