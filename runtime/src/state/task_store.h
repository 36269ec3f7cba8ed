// One task's durable state: a RocksDB folder (RAII) plus the checkpoint of
// the changelog offset it reflects. Writes reach it only after the Kafka
// transaction that carried their changelog records committed.
#pragma once

#include <rocksdb/cache.h>
#include <rocksdb/db.h>

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

// The stores' shared memory: one block cache for every store of the process
// (runtime.state_cache_mb), and memtables of 8 MiB, two at most a store.
// RocksDB's defaults give each store its own 8 MiB cache and two 16 MiB
// memtables: the router's 12 stores, up to 480 MiB (its 452 MB peak at 1M
// leads). Charging the memtables to the cache through a write buffer manager
// (Kafka Streams' BoundedMemoryRocksDBConfig) halved the router's rate at 1M
// leads here: small flushes of whichever store was writing.
struct StoreMemory {
  std::shared_ptr<rocksdb::Cache> cache;
  static StoreMemory with_cache(size_t bytes);
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
  // Bytes held by the store's memtables (mutable and immutable).
  uint64_t memtable_bytes() const;
  // Next changelog offset to restore from; -1 when the store has none.
  int64_t checkpoint() const;
  const std::string& dir() const { return dir_; }

 private:
  TaskStore(std::unique_ptr<rocksdb::DB> db, std::string dir);
  std::unique_ptr<rocksdb::DB> db_;
  std::string dir_;
};

}  // namespace baton::runtime
