// One task's RocksDB store: writes with their changelog checkpoint, kept
// across a reopen, gone after destroy.
#include "state/task_store.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <random>

namespace baton::runtime {
namespace {

namespace fs = std::filesystem;

class TaskStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = (fs::temp_directory_path() / ("baton-task-store-" + std::to_string(getpid()) + "-" +
                                         std::to_string(std::random_device{}())))
               .string();
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::unique_ptr<TaskStore> open() {
    auto s = TaskStore::open(dir_);
    EXPECT_TRUE(s) << (s ? "" : s.error().message);
    return s ? std::move(s.value()) : nullptr;
  }
  std::string dir_;
};

TEST_F(TaskStoreTest, FreshStoreHasNoCheckpoint) {
  auto s = open();
  ASSERT_TRUE(s);
  EXPECT_EQ(s->checkpoint(), -1);
  EXPECT_EQ(s->get("a"), std::nullopt);
  EXPECT_EQ(s->dir(), dir_);
}

TEST_F(TaskStoreTest, ApplyWritesAndCheckpointTogether) {
  auto s = open();
  ASSERT_TRUE(s);
  ASSERT_TRUE(s->apply({{"a", "1"}, {"b", "2"}}, 42));
  EXPECT_EQ(s->get("a"), std::optional<std::string>("1"));
  EXPECT_EQ(s->checkpoint(), 42);
  ASSERT_TRUE(s->apply({{"a", std::nullopt}, {"c", "3"}}, -1));
  EXPECT_EQ(s->get("a"), std::nullopt);
  EXPECT_EQ(s->get("c"), std::optional<std::string>("3"));
  EXPECT_EQ(s->checkpoint(), 42) << "-1 keeps the old checkpoint";
  ASSERT_TRUE(s->apply({}, 1LL << 40));
  EXPECT_EQ(s->checkpoint(), 1LL << 40);
}

TEST_F(TaskStoreTest, CheckpointOfAnOlderReleaseIsReadAndMoved) {
  auto s = open();
  ASSERT_TRUE(s);
  // Releases up to 2026-11 wrote the checkpoint under ",heckpoint".
  const std::string legacy = ",heckpoint";
  ASSERT_TRUE(s->apply({{legacy, std::string("\0\0\0\0\0\0\0\x2a", 8)}}, -1));
  EXPECT_EQ(s->checkpoint(), 42) << "an upgrade keeps its place in the changelog";
  ASSERT_TRUE(s->apply({}, 43));
  EXPECT_EQ(s->checkpoint(), 43);
  EXPECT_EQ(s->get(legacy), std::nullopt) << "the next checkpoint moves it";
  EXPECT_EQ(s->get(std::string("\x02") + "checkpoint").has_value(), true);
}

TEST_F(TaskStoreTest, ScanIsOrderedWithinPrefixAndStops) {
  auto s = open();
  ASSERT_TRUE(s);
  ASSERT_TRUE(s->apply({{"p/b", "B"}, {"p/a", "A"}, {"p/c", "C"}, {"q/a", "X"}, {"o", "O"}}, 1));
  std::vector<std::string> keys;
  s->scan("p/", [&](std::string_view k, std::string_view) {
    keys.emplace_back(k);
    return true;
  });
  EXPECT_EQ(keys, (std::vector<std::string>{"p/a", "p/b", "p/c"}));
  keys.clear();
  s->scan("p/", [&](std::string_view k, std::string_view) {
    keys.emplace_back(k);
    return keys.size() < 2;
  });
  EXPECT_EQ(keys, (std::vector<std::string>{"p/a", "p/b"}));
}

TEST_F(TaskStoreTest, ReopenKeepsDataAndCheckpoint) {
  {
    auto s = open();
    ASSERT_TRUE(s);
    std::string binary("\x01t\0\xff", 4);
    ASSERT_TRUE(s->apply({{"a", "1"}, {binary, std::string("v\0w", 3)}}, 7));
  }
  auto s = open();
  ASSERT_TRUE(s);
  EXPECT_EQ(s->get("a"), std::optional<std::string>("1"));
  EXPECT_EQ(s->get(std::string("\x01t\0\xff", 4)),
            std::optional<std::string>(std::string("v\0w", 3)));
  EXPECT_EQ(s->checkpoint(), 7);
}

TEST_F(TaskStoreTest, DestroyRemovesEverything) {
  {
    auto s = open();
    ASSERT_TRUE(s);
    ASSERT_TRUE(s->apply({{"a", "1"}}, 9));
  }
  ASSERT_TRUE(TaskStore::destroy(dir_));
  EXPECT_FALSE(fs::exists(dir_));
  auto s = open();
  ASSERT_TRUE(s);
  EXPECT_EQ(s->get("a"), std::nullopt);
  EXPECT_EQ(s->checkpoint(), -1);
}

TEST_F(TaskStoreTest, OpenFailsWithAReasonWhenTheFolderIsAFile) {
  fs::create_directories(fs::path(dir_).parent_path());
  { std::ofstream(dir_) << "not a folder"; }
  auto s = TaskStore::open(dir_);
  ASSERT_FALSE(s);
  EXPECT_NE(s.error().message.find(dir_), std::string::npos) << s.error().message;
}

// The stores' shared memory (ctest -R StoreMemory): twelve stores, as the
// router's two processors on six partitions have, take 40 MiB of writes
// each, as fast as they go, and are read back through one cache. Each keeps
// at most two 8 MiB memtables (RocksDB's defaults: two of 16 MiB), the one
// cache stays within its capacity, and every value is still there.
TEST_F(TaskStoreTest, StoreMemorySharesOneCacheAndBoundsTheMemtables) {
  constexpr size_t kCache = size_t{16} << 20;
  auto memory = StoreMemory::with_cache(kCache);
  std::vector<std::unique_ptr<TaskStore>> stores;
  for (int i = 0; i < 12; ++i) {
    auto s = TaskStore::open(dir_ + "/" + std::to_string(i), &memory);
    ASSERT_TRUE(s) << s.error().message;
    stores.push_back(std::move(s.value()));
  }
  const std::string value(1000, 'v');
  uint64_t peak = 0;
  for (int batch = 0; batch < 40; ++batch) {
    for (auto& st : stores) {
      std::vector<Write> writes;
      writes.reserve(1000);
      for (int k = 0; k < 1000; ++k)
        writes.emplace_back("lead/" + std::to_string(batch) + "/" + std::to_string(k), value);
      ASSERT_TRUE(st->apply(writes, batch));
      peak = std::max(peak, st->memtable_bytes());
    }
  }
  EXPECT_LE(peak, uint64_t{2 * 9} << 20) << "a store's memtables: two of 8 MiB, plus arena slack";
  for (const auto& st : stores) {
    ASSERT_TRUE(st->flush());
    for (int batch = 0; batch < 40; batch += 3)
      EXPECT_EQ(st->get("lead/" + std::to_string(batch) + "/7"), value);
    EXPECT_EQ(st->checkpoint(), 39);
  }
  EXPECT_GT(memory.cache->GetUsage(), 0u) << "the stores read through the shared cache";
  EXPECT_LE(memory.cache->GetUsage(), kCache + (size_t{1} << 20));
}

}  // namespace
}  // namespace baton::runtime
