// The task manager: assignment, restore from the changelog, revocation and
// the admin's read access.
#include "engine/task_manager.h"

#include <nlohmann/json.hpp>

#include "baton/runtime/log.h"
#include "engine/fatal.h"
#include "kafka/conf.h"

namespace baton::runtime {

TaskManager::TaskManager(const EngineConfig& cfg,
                         const std::vector<std::unique_ptr<Processor>>& procs,
                         const GlobalTables& globals, RuntimeMetrics& metrics)
    : cfg_(cfg),
      procs_(procs),
      globals_(globals),
      m_(metrics),
      memory_(StoreMemory::with_cache(cfg.state_cache_bytes)) {}

TaskManager::~TaskManager() {
  std::unique_lock lk(mu_);
  tasks_.clear();
}

std::string TaskManager::changelog_topic(size_t proc) const {
  return cfg_.application_id + "-" + procs_[proc]->name() + "-changelog";
}

Result<std::vector<Task*>> TaskManager::open(const std::set<TaskKey>& wanted) {
  std::vector<Task*> fresh;
  std::unique_lock lk(mu_);
  for (const auto& key : wanted) {
    if (tasks_.count(key)) continue;
    auto t = std::make_unique<Task>();
    t->proc = key.first;
    t->processor = procs_[key.first].get();
    t->partition = key.second;
    t->changelog = changelog_topic(key.first);
    auto dir = cfg_.state_dir + "/" + procs_[key.first]->name() + "/" + std::to_string(key.second);
    auto store = TaskStore::open(dir, &memory_);
    if (!store)
      return fatal_error(Fatal::kStateOpen,
                         "cannot open state in " + dir + ": " + store.error().message);
    t->store = std::move(store.value());
    t->committed = std::make_unique<StoreState>(t->store.get());
    t->overlay = std::make_unique<Overlay>(*t->committed);
    fresh.push_back(t.get());
    tasks_[key] = std::move(t);
  }
  return fresh;
}

void TaskManager::announce(const std::vector<Task*>& tasks) {
  for (auto* t : tasks) {
    TaskView view = t->view(globals_);
    try {
      t->processor->on_assigned(t->partition, view);
    } catch (const std::exception& e) {
      log::error("on_assigned threw", {{"error", e.what()}});
    }
  }
}

Status TaskManager::restore(const std::vector<Task*>& tasks) {
  if (tasks.empty()) return Status::ok();
  restoring_ = true;
  restore_progress_ = 0.0;
  refresh_ready();
  m_.restoring.Set(1);
  auto started = std::chrono::steady_clock::now();
  auto opened = kafka::open_replay_consumer(cfg_.kafka, cfg_.application_id + "-restore");
  if (!opened) return opened.error();
  std::unique_ptr<RdKafka::KafkaConsumer> c = std::move(opened.value());
  std::vector<RdKafka::TopicPartition*> parts;
  std::map<std::pair<std::string, int32_t>, Task*> by_tp;
  int64_t total = 0;
  for (auto* t : tasks) {
    int64_t start = t->store->checkpoint();
    int64_t lo = 0, hi = 0;
    if (c->query_watermark_offsets(t->changelog, t->partition, &lo, &hi, 10000) ==
        RdKafka::ERR_NO_ERROR)
      total += std::max<int64_t>(0, hi - std::max(start, lo));
    parts.push_back(RdKafka::TopicPartition::create(
        t->changelog, t->partition, start >= 0 ? start : RdKafka::Topic::OFFSET_BEGINNING));
    by_tp[{t->changelog, t->partition}] = t;
  }
  c->assign(parts);
  RdKafka::TopicPartition::destroy(parts);
  std::map<Task*, std::vector<Write>> batch;
  auto flush = [&](Task* t, int64_t next) -> Status {
    auto& b = batch[t];
    auto writes =
        derive_indexes(std::move(b), [t](std::string_view k) { return t->store->get(k); });
    b.clear();
    return t->store->apply(writes, next);
  };
  for (auto* t : tasks)
    if (auto s = t->store->bulk_mode(true); !s) return s;
  std::set<Task*> pending(tasks.begin(), tasks.end());
  int64_t done = 0;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(10);
  // A read_committed reader's end (the last stable offset) stops short of
  // the high watermark while a transaction is open on the partition: a
  // commit whose markers are not written yet (a broker failing over delays
  // them) or a killed previous owner's, which the coordinator will abort.
  // Stopping there would miss a committed transaction's writes while the
  // group's offsets already count its inputs as done: the restore waits for
  // the high watermark (of the last fetch), up to restore_open_txn_wait,
  // then takes what is committed.
  const auto open_txn_deadline = std::chrono::steady_clock::now() + cfg_.restore_open_txn_wait;
  // Tasks at their read_committed end, short of the high watermark: that end.
  std::map<Task*, int64_t> held;
  auto finish = [&](Task* t, int64_t next) -> Status {
    if (!pending.erase(t)) return Status::ok();
    held.erase(t);
    m_.restore_held.Set(static_cast<double>(held.size()));
    return flush(t, next);
  };
  while (!pending.empty()) {
    const auto now = std::chrono::steady_clock::now();
    if (now > deadline)
      return Error{"restore.timeout", "changelog restore did not reach the end in 10 min"};
    if (now >= open_txn_deadline && !held.empty()) {
      for (auto [t, next] : std::map<Task*, int64_t>(held)) {
        log::warn("changelog end still held by an open transaction; restored what is committed",
                  {{"topic", t->changelog},
                   {"partition", std::to_string(t->partition)},
                   {"committed_end", std::to_string(next)}});
        if (auto s = finish(t, next); !s) return s;
      }
      continue;
    }
    std::unique_ptr<RdKafka::Message> m(c->consume(200));
    if (m->err() == RdKafka::ERR__TIMED_OUT) continue;
    auto it = by_tp.find({m->topic_name(), m->partition()});
    if (it == by_tp.end()) continue;
    Task* t = it->second;
    if (m->err() == RdKafka::ERR__PARTITION_EOF) {
      int64_t lo = 0, hi = -1;
      c->get_watermark_offsets(t->changelog, t->partition, &lo, &hi);
      if (m->offset() < hi && now < open_txn_deadline) {
        if (!held.count(t))
          log::info("changelog end held by an open transaction; restoring up to it once it ends",
                    {{"topic", t->changelog},
                     {"partition", std::to_string(t->partition)},
                     {"committed_end", std::to_string(m->offset())},
                     {"end", std::to_string(hi)}});
        held[t] = m->offset();
        m_.restore_held.Set(static_cast<double>(held.size()));
        continue;
      }
      if (auto s = finish(t, m->offset()); !s) return s;
      continue;
    }
    if (m->err() != RdKafka::ERR_NO_ERROR) {
      log::warn("restore consumer error", {{"error", m->errstr()}});
      continue;
    }
    if (held.erase(t)) m_.restore_held.Set(static_cast<double>(held.size()));  // moving again
    std::string key = m->key() ? *m->key() : std::string();
    if (m->payload())
      batch[t].emplace_back(key, std::string(static_cast<const char*>(m->payload()), m->len()));
    else
      batch[t].emplace_back(key, std::nullopt);
    ++done;
    if (batch[t].size() >= 20000)
      if (auto s = flush(t, m->offset() + 1); !s) return s;
    if (total > 0 && done % 1000 == 0) {
      restore_progress_ = std::min(1.0, static_cast<double>(done) / static_cast<double>(total));
      m_.restore_progress.Set(restore_progress_.load());
    }
  }
  c->close();
  // Persist the restored state with its checkpoint now (writes skip the WAL),
  // so a crash soon after restarts the restore from here, not from scratch.
  for (auto* t : tasks) {
    if (auto s = t->store->flush(); !s) return s;
    if (auto s = t->store->bulk_mode(false); !s) return s;
  }
  auto secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  m_.restore_seconds.Set(secs);
  m_.restored_records.Increment(static_cast<double>(done));
  m_.restore_progress.Set(1);
  m_.restoring.Set(0);
  restore_progress_ = 1.0;
  restoring_ = false;
  log::info("restore finished", {{"tasks", std::to_string(tasks.size())},
                                 {"records", std::to_string(done)},
                                 {"seconds", std::to_string(secs)}});
  return Status::ok();
}

void TaskManager::mark_assigned() {
  assigned_once_ = true;
  refresh_ready();
}

void TaskManager::revoke() {
  mark_not_ready();
  std::unique_lock lk(mu_);
  for (auto& [key, t] : tasks_) {
    for (const auto& tp : t->processor->input_topics())
      m_.remove_lag(cfg_.topic_prefix + tp, t->partition);
    t->processor->on_revoked(t->partition);
  }
  tasks_.clear();
}

void TaskManager::mark_not_ready() {
  ready_ = false;
  m_.ready.Set(0);
}

void TaskManager::refresh_ready() {
  bool r = assigned_once_.load() && !restoring_.load();
  ready_ = r;
  m_.ready.Set(r ? 1 : 0);
}

Task* TaskManager::find(size_t proc, int32_t partition) const {
  std::shared_lock lk(mu_);
  auto it = tasks_.find({proc, partition});
  return it == tasks_.end() ? nullptr : it->second.get();
}

std::vector<Task*> TaskManager::all() const {
  std::vector<Task*> out;
  std::shared_lock lk(mu_);
  for (const auto& [k, t] : tasks_) out.push_back(t.get());
  return out;
}

void TaskManager::for_each(const std::function<void(Task&)>& fn) const {
  std::shared_lock lk(mu_);
  for (const auto& [k, t] : tasks_) fn(*t);
}

size_t TaskManager::size() const {
  std::shared_lock lk(mu_);
  return tasks_.size();
}

std::string TaskManager::status_json() const {
  nlohmann::json j;
  j["ready"] = ready_.load();
  j["restoring"] = restoring_.load();
  j["restore_progress"] = restore_progress_.load();
  j["assigned"] = assigned_once_.load();
  j["tasks"] = size();
  return j.dump();
}

std::optional<std::string> TaskManager::lookup(std::string_view processor,
                                               std::string_view key) const {
  std::shared_lock lk(mu_);
  for (const auto& [k, t] : tasks_) {
    if (t->processor->name() != processor) continue;
    if (auto v = t->store->get(key)) return state::read_as(*t->processor, key, *v);
  }
  return std::nullopt;
}

void TaskManager::scan(std::string_view processor, std::string_view prefix,
                       const ScanFn& fn) const {
  std::shared_lock lk(mu_);
  bool go = true;
  for (const auto& [k, t] : tasks_) {
    if (!go) return;
    if (t->processor->name() != processor) continue;
    const Processor& p = *t->processor;
    t->store->scan(prefix, [&](std::string_view a, std::string_view b) {
      const std::string value = state::read_as(p, a, b);
      return go = fn(a, value);
    });
  }
}

std::set<int32_t> TaskManager::scan_tasks(
    std::string_view processor, std::string_view prefix,
    const std::function<void(int32_t, std::string_view, std::string_view)>& fn) const {
  std::set<int32_t> visited;
  std::shared_lock lk(mu_);
  for (const auto& [k, t] : tasks_) {
    if (t->processor->name() != processor) continue;
    visited.insert(t->partition);
    const int32_t p = t->partition;
    const Processor& proc = *t->processor;
    t->store->scan(prefix, [&](std::string_view a, std::string_view b) {
      fn(p, a, state::read_as(proc, a, b));
      return true;
    });
  }
  return visited;
}

}  // namespace baton::runtime
