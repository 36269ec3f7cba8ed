// One task's durable state: a RocksDB folder (RAII) plus the checkpoint of
// the changelog offset it reflects. Writes reach it only after the Kafka
// transaction that carried their changelog records committed.
#pragma once

#include <rocksdb/cache.h>
#include <rocksdb/db.h>
#include <rocksdb/write_buffer_manager.h>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "baton/runtime/status.h"

namespace baton::runtime {

using Write = std::pair<std::string, std::optional<std::string>>;
using ScanFn = std::function<bool(std::string_view key, std::string_view value)>;

// One memory budget for every store of the process, as Kafka Streams'
// BoundedMemoryRocksDBConfig: one block cache holds the data blocks, the
// index and filter blocks and, charged to it, every store's memtables (a
// write buffer manager of half the budget has the writing store flush when
// they outgrow it). Each store keeps at most two 4 MiB memtables. Without
// it each store takes up to two 16 MiB memtables and its own 8 MiB cache:
// the router's 12 stores, up to 480 MiB.
struct StoreMemory {
  std::shared_ptr<rocksdb::Cache> cache;
  std::shared_ptr<rocksdb::WriteBufferManager> write_buffers;
  // bytes: the whole budget (cache, memtables included).
  static std::shared_ptr<StoreMemory> bounded(size_t bytes);
};

class TaskStore {
 public:
  // memory: the process's shared budget; nullptr gives the store RocksDB's
  // own defaults (tests).
  static Result<std::unique_ptr<TaskStore>> open(const std::string& dir,
                                                 const StoreMemory* memory = nullptr);
  static Status destroy(const std::string& dir);
  ~TaskStore();
  TaskStore(const TaskStore&) = delete;
  TaskStore& operator=(const TaskStore&) = delete;

  std::optional<std::string> get(std::string_view key) const;
  // Keys starting with prefix, from `from` (>= prefix) on, in order.
  void scan(std::string_view prefix, std::string_view from, const ScanFn& fn) const;
  void scan(std::string_view prefix, const ScanFn& fn) const { scan(prefix, prefix, fn); }
  // Applies writes atomically with the new checkpoint (-1 keeps the old one).
  // Writes skip RocksDB's write-ahead log (the changelog is the log); the
  // checkpoint is in the same batch.
  Status apply(const std::vector<Write>& writes, int64_t checkpoint);
  // Persists the memtables (after bulk writes).
  Status flush();
  // Restore: no background compaction while the changelog is loaded.
  Status bulk_mode(bool on);
  // Next changelog offset to restore from; -1 when the store has none.
  int64_t checkpoint() const;
  const std::string& dir() const { return dir_; }

 private:
  TaskStore(std::unique_ptr<rocksdb::DB> db, std::string dir);
  std::unique_ptr<rocksdb::DB> db_;
  std::string dir_;
};

}  // namespace baton::runtime
