// The task manager's restore against the real broker (ctest -R TaskManager):
// a task's changelog is replayed into its RocksDB store from the store's
// checkpoint, the timer index is rebuilt, the checkpoint moves to the end,
// and a second restore replays only what was written since.
#include <gtest/gtest.h>

#include <filesystem>

#include "engine/task_manager.h"
#include "parts.h"
#include "state/overlay.h"

namespace baton::test {
namespace {

using runtime::TaskManager;

class TaskManagerRestoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = temp_dir("task-manager-restore");
    cfg_.application_id = unique_name("tm-restore");
    cfg_.state_dir = dir_ + "/state";
    cfg_.kafka = {{"bootstrap.servers", bootstrap()}};
    procs_.push_back(std::make_unique<Recorder>("alpha"));
    auto conf = runtime::kafka::make_conf(cfg_.kafka);
    ASSERT_TRUE(conf);
    std::string err;
    producer_.reset(RdKafka::Producer::create(conf->get(), err));
    ASSERT_TRUE(producer_) << err;
    auto s = runtime::kafka::ensure_topic(*producer_, changelog(), 2, {}, 30000);
    ASSERT_TRUE(s) << s.message();
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string changelog() const { return cfg_.application_id + "-alpha-changelog"; }
  void write(int32_t partition, const std::string& key, const std::optional<std::string>& value) {
    auto rc = producer_->produce(changelog(), partition, RdKafka::Producer::RK_MSG_COPY,
                                 value ? const_cast<char*>(value->data()) : nullptr,
                                 value ? value->size() : 0, key.data(), key.size(), 0, nullptr);
    ASSERT_EQ(rc, RdKafka::ERR_NO_ERROR);
  }
  void flush() { ASSERT_EQ(producer_->flush(30000), RdKafka::ERR_NO_ERROR); }

  std::string dir_;
  runtime::EngineConfig cfg_;
  std::vector<std::unique_ptr<runtime::Processor>> procs_;
  runtime::GlobalTables globals_;
  Metrics metrics_;
  std::unique_ptr<RdKafka::Producer> producer_;
};

TEST_F(TaskManagerRestoreTest, ReplaysTheChangelogFromTheCheckpoint) {
  const std::string timer = runtime::keys::timer_due(5000, "t1");
  write(1, "lead/a", "A1");
  write(1, "lead/b", "B");
  write(1, "lead/a", "A2");  // the latest value wins
  write(1, "lead/b", std::nullopt);
  write(1, timer, "payload");
  write(0, "lead/z", "other partition");
  flush();
  {
    TaskManager tm(cfg_, procs_, globals_, metrics_.m);
    auto fresh = tm.open({{0, 1}});
    ASSERT_TRUE(fresh);
    ASSERT_EQ(fresh.value().size(), 1u);
    auto* t = fresh.value()[0];
    EXPECT_EQ(t->store->checkpoint(), -1);
    auto s = tm.restore(fresh.value());
    ASSERT_TRUE(s) << s.message();
    EXPECT_EQ(t->store->get("lead/a"), std::optional<std::string>("A2"));
    EXPECT_EQ(t->store->get("lead/b"), std::nullopt);
    EXPECT_EQ(t->store->get("lead/z"), std::nullopt) << "partition 0 is another task's";
    EXPECT_EQ(t->store->get(timer), std::optional<std::string>("payload"));
    EXPECT_TRUE(t->store->get(runtime::keys::timer_id("t1")))
        << "the timer index is rebuilt from the changelog";
    EXPECT_EQ(t->store->checkpoint(), 5) << "the next changelog offset";
    EXPECT_EQ(metrics_.m.restored_records.Value(), 5);
    EXPECT_EQ(metrics_.m.restoring.Value(), 0);
    tm.announce(fresh.value());
    tm.mark_assigned();
    EXPECT_TRUE(tm.ready());
    EXPECT_EQ(tm.lookup("alpha", "lead/a"), std::optional<std::string>("A2"));
    tm.revoke();
  }
  // Back after more was written: only the new records are replayed.
  write(1, "lead/c", "C");
  flush();
  TaskManager tm(cfg_, procs_, globals_, metrics_.m);
  auto again = tm.open({{0, 1}});
  ASSERT_TRUE(again);
  auto s = tm.restore(again.value());
  ASSERT_TRUE(s) << s.message();
  EXPECT_EQ(metrics_.m.restored_records.Value(), 6) << "one more record, not six";
  EXPECT_EQ(tm.lookup("alpha", "lead/c"), std::optional<std::string>("C"));
  EXPECT_EQ(tm.lookup("alpha", "lead/a"), std::optional<std::string>("A2"));
  EXPECT_EQ(again.value()[0]->store->checkpoint(), 6);
}

}  // namespace
}  // namespace baton::test
