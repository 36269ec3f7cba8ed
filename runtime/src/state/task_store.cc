#include "state/task_store.h"

#include <rocksdb/filter_policy.h>
#include <rocksdb/table.h>
#include <rocksdb/write_batch.h>

#include <filesystem>

namespace baton::runtime {

namespace {
constexpr std::string_view kCheckpointKey =
    "\x02"
    "checkpoint";
// Where releases up to 2026-11 kept it: in "\x02checkpoint" the hex escape
// swallowed the 'c' (0x02c is ','). Read as a fallback; the next checkpoint
// written moves it to kCheckpointKey.
constexpr std::string_view kLegacyCheckpointKey = ",heckpoint";

std::string encode_i64(int64_t v) {
  std::string s(8, '\0');
  for (int i = 7; i >= 0; --i) {
    s[i] = static_cast<char>(v & 0xff);
    v >>= 8;
  }
  return s;
}
int64_t decode_i64(std::string_view s) {
  int64_t v = 0;
  for (unsigned char c : s) v = (v << 8) | c;
  return v;
}
}  // namespace

TaskStore::TaskStore(std::unique_ptr<rocksdb::DB> db, std::string dir)
    : db_(std::move(db)), dir_(std::move(dir)) {}

TaskStore::~TaskStore() {
  if (!db_) return;
  // Writes skip the WAL: persist the memtables so that the next start (or
  // the next owner on this disk) restores incrementally from here.
  rocksdb::FlushOptions fo;
  fo.wait = true;
  db_->Flush(fo).PermitUncheckedError();
  db_->Close().PermitUncheckedError();
}

namespace {
// A store's memtable when the stores share a cache: two at most a store.
constexpr size_t kSharedWriteBuffer = size_t{8} << 20;
}  // namespace

StoreMemory StoreMemory::with_cache(size_t bytes) { return {rocksdb::NewLRUCache(bytes)}; }

Result<std::unique_ptr<TaskStore>> TaskStore::open(const std::string& dir,
                                                   const StoreMemory* memory) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return Error{"state.dir", "cannot create state folder " + dir + ": " + ec.message()};
  rocksdb::Options opts;
  opts.create_if_missing = true;
  opts.max_open_files = 64;
  opts.keep_log_file_num = 2;
  opts.write_buffer_size = 16 << 20;
  // Point lookups dominate (a lead's state, a timer's or an event id's
  // index entry), and most misses are for keys never written: bloom filters
  // answer those without reading blocks, in SST files and in the memtable.
  rocksdb::BlockBasedTableOptions table;
  table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
  if (memory) {
    table.block_cache = memory->cache;
    opts.write_buffer_size = kSharedWriteBuffer;
    opts.max_write_buffer_number = 2;  // a third waits for the flush
  }
  opts.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  opts.memtable_whole_key_filtering = true;
  opts.memtable_prefix_bloom_size_ratio = 0.05;
  rocksdb::DB* raw = nullptr;
  auto s = rocksdb::DB::Open(opts, dir, &raw);
  if (!s.ok()) return Error{"state.open", "cannot open RocksDB at " + dir + ": " + s.ToString()};
  return std::unique_ptr<TaskStore>(new TaskStore(std::unique_ptr<rocksdb::DB>(raw), dir));
}

Status TaskStore::destroy(const std::string& dir) {
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
  if (ec) return Error{"state.destroy", ec.message()};
  return Status::ok();
}

std::optional<std::string> TaskStore::get(std::string_view key) const {
  std::string v;
  auto s = db_->Get(rocksdb::ReadOptions(), rocksdb::Slice(key.data(), key.size()), &v);
  if (!s.ok()) return std::nullopt;
  return v;
}

void TaskStore::scan(std::string_view prefix, std::string_view from, const ScanFn& fn) const {
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions()));
  if (from < prefix) from = prefix;
  for (it->Seek(rocksdb::Slice(from.data(), from.size())); it->Valid(); it->Next()) {
    auto k = it->key();
    if (!k.starts_with(rocksdb::Slice(prefix.data(), prefix.size()))) break;
    if (!fn(std::string_view(k.data(), k.size()),
            std::string_view(it->value().data(), it->value().size())))
      break;
  }
}

Status TaskStore::apply(const std::vector<Write>& writes, int64_t checkpoint) {
  rocksdb::WriteBatch batch;
  for (const auto& [k, v] : writes) {
    if (v)
      batch.Put(k, *v);
    else
      batch.Delete(k);
  }
  if (checkpoint >= 0) {
    batch.Put(std::string(kCheckpointKey), encode_i64(checkpoint));
    batch.Delete(std::string(kLegacyCheckpointKey));
  }
  // No write-ahead log, as Kafka Streams' RocksDBStore: the changelog is the
  // log. A batch is applied only after its transaction committed, and it
  // carries the changelog checkpoint, so a crash loses the memtable's writes
  // and their checkpoint together; restore replays the changelog from the
  // older checkpoint that survived (docs/design.md, "WAL").
  rocksdb::WriteOptions wo;
  wo.disableWAL = true;
  auto s = db_->Write(wo, &batch);
  if (!s.ok()) return Error{"state.write", s.ToString()};
  return Status::ok();
}

Status TaskStore::bulk_mode(bool on) {
  auto s = db_->SetOptions({{"disable_auto_compactions", on ? "true" : "false"}});
  if (!s.ok()) return Error{"state.options", s.ToString()};
  return Status::ok();
}

Status TaskStore::flush() {
  rocksdb::FlushOptions fo;
  fo.wait = true;
  auto s = db_->Flush(fo);
  if (!s.ok()) return Error{"state.flush", s.ToString()};
  return Status::ok();
}

uint64_t TaskStore::memtable_bytes() const {
  uint64_t v = 0;
  db_->GetIntProperty(rocksdb::DB::Properties::kSizeAllMemTables, &v);
  return v;
}

int64_t TaskStore::checkpoint() const {
  auto v = get(kCheckpointKey);
  if (!v) v = get(kLegacyCheckpointKey);
  if (!v || v->size() != 8) return -1;
  return decode_i64(*v);
}

}  // namespace baton::runtime
