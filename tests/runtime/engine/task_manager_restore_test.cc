// The task manager's restore against the real broker (ctest -R TaskManager):
// a task's changelog is replayed into its RocksDB store from the store's
// checkpoint, the timer index is rebuilt, the checkpoint moves to the end,
// and a second restore replays only what was written since; a transaction
// open on the changelog holds the restore until it ends (or for at most
// restore_open_txn_wait, after which what is committed is restored).
#include <gtest/gtest.h>

#include <filesystem>
#include <future>

#include "engine/task_manager.h"
#include "parts.h"
#include "state/overlay.h"

namespace baton::test {
namespace {

using namespace std::chrono_literals;
using runtime::TaskManager;

// "" for no error, else its text (the error is freed).
std::string failure(RdKafka::Error* e) {
  std::unique_ptr<RdKafka::Error> owned(e);
  return e ? e->str() : std::string();
}

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
  // "lead/a" on the changelog's partition 1: A1 committed, then A2 in a
  // transaction left open (its producer returned).
  std::unique_ptr<RdKafka::Producer> a1_committed_then_a2_open() {
    write(1, "lead/a", "A1");
    flush();
    return open_transaction("lead/a", "A2");
  }
  // A transactional producer with one record written to the changelog's
  // partition 1 in a transaction it leaves open.
  std::unique_ptr<RdKafka::Producer> open_transaction(const std::string& key,
                                                      const std::string& value) {
    auto props = cfg_.kafka;
    props["transactional.id"] = cfg_.application_id + "-writer";
    auto conf = runtime::kafka::make_conf(props);
    EXPECT_TRUE(conf);
    std::string err;
    std::unique_ptr<RdKafka::Producer> p(RdKafka::Producer::create(conf->get(), err));
    EXPECT_TRUE(p) << err;
    EXPECT_EQ(failure(p->init_transactions(30000)), "");
    EXPECT_EQ(failure(p->begin_transaction()), "");
    EXPECT_EQ(
        p->produce(changelog(), 1, RdKafka::Producer::RK_MSG_COPY, const_cast<char*>(value.data()),
                   value.size(), key.data(), key.size(), 0, nullptr),
        RdKafka::ERR_NO_ERROR);
    EXPECT_EQ(p->flush(30000), RdKafka::ERR_NO_ERROR);
    return p;
  }

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

// The previous owner's last commit, its markers not yet written (a broker
// failing over delays them): the restore must not stop at the last stable
// offset, or the committed writes would be missing while the group's offsets
// count their inputs as done.
TEST_F(TaskManagerRestoreTest, WaitsForAnOpenTransactionOnTheChangelogToEnd) {
  auto txn = a1_committed_then_a2_open();
  TaskManager tm(cfg_, procs_, globals_, metrics_.m);
  auto fresh = tm.open({{0, 1}});
  ASSERT_TRUE(fresh);
  auto restored = std::async(std::launch::async, [&] { return tm.restore(fresh.value()); });
  ASSERT_TRUE(wait_until([&] { return metrics_.m.restore_held.Value() == 1; }, 60s, 10ms))
      << "the restore did not wait for the open transaction";
  EXPECT_EQ(restored.wait_for(0s), std::future_status::timeout);
  EXPECT_EQ(failure(txn->commit_transaction(30000)), "");
  auto s = restored.get();
  ASSERT_TRUE(s) << s.message();
  EXPECT_EQ(tm.lookup("alpha", "lead/a"), std::optional<std::string>("A2"));
  EXPECT_EQ(metrics_.m.restore_held.Value(), 0);
  EXPECT_EQ(fresh.value()[0]->store->checkpoint(), 3) << "past the commit marker";
}

// A transaction that stays open (a killed owner's, until the coordinator
// aborts it) holds the restore for restore_open_txn_wait at most.
TEST_F(TaskManagerRestoreTest, RestoresWhatIsCommittedWhenATransactionStaysOpen) {
  cfg_.restore_open_txn_wait = std::chrono::milliseconds(1500);
  auto txn = a1_committed_then_a2_open();
  TaskManager tm(cfg_, procs_, globals_, metrics_.m);
  auto fresh = tm.open({{0, 1}});
  ASSERT_TRUE(fresh);
  auto s = tm.restore(fresh.value());
  ASSERT_TRUE(s) << s.message();
  EXPECT_EQ(tm.lookup("alpha", "lead/a"), std::optional<std::string>("A1"));
  EXPECT_EQ(fresh.value()[0]->store->checkpoint(), 1) << "the last stable offset";
  EXPECT_EQ(metrics_.m.restore_held.Value(), 0);
  EXPECT_EQ(failure(txn->abort_transaction(30000)), "");
}

}  // namespace
}  // namespace baton::test
