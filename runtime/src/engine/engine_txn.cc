// Commit and recovery of the exactly-once loop.
#include <thread>

#include "baton/runtime/log.h"
#include "engine/engine.h"
#include "engine/task.h"

namespace baton::runtime {

void Engine::emit_raw(const std::string& topic, int32_t partition, const std::string& key,
                      const std::string* value, const std::vector<Header>& headers, int64_t ts_ms) {
  auto e = producer_->produce(topic, partition, key, value, headers, ts_ms);
  if (!e.ok() && pending_error_.ok()) pending_error_ = e;
}

bool Engine::commit() {
  if (!txn_open_) return true;
  auto started = std::chrono::steady_clock::now();
  {
    // The changelog records: the final value of every key this transaction wrote.
    std::shared_lock lk(tasks_mu_);
    int64_t ts = to_millis(cfg_.clock());
    for (auto& [key, t] : tasks_) {
      for (const auto& [k, v] : t->overlay->pending())
        if (keys::changelogged(k))
          emit_raw(t->changelog, t->partition, k, v ? &*v : nullptr, {}, ts);
    }
  }
  if (!pending_error_.ok()) {
    auto e = pending_error_;
    recover(e, !in_rebalance_);
    return false;
  }
  // Every record of this transaction delivered, or none of it commits: a
  // record lost in a broker failover must not leave its state committed
  // without its output (found by ThreeBroker.KillTransactionCoordinator).
  if (auto e = producer_->flush_and_check(10000); !e.ok()) {
    recover(e, !in_rebalance_);
    return false;
  }
  if (!next_offsets_.empty()) {
    std::vector<RdKafka::TopicPartition*> offs;
    for (const auto& [tp, off] : next_offsets_)
      offs.push_back(RdKafka::TopicPartition::create(tp.first, tp.second, off));
    auto e = producer_->send_offsets(offs, *consumer_, 10000);
    RdKafka::TopicPartition::destroy(offs);
    if (!e.ok()) {
      recover(e, !in_rebalance_);
      return false;
    }
  }
  kafka::TxnError e;
  for (int attempt = 0;; ++attempt) {
    e = producer_->commit(10000);
    if (e.kind != kafka::TxnErrorKind::retriable || attempt >= 5) break;
    log::warn("commit retry", {{"error", e.message}});
  }
  if (!e.ok()) {
    recover(e, !in_rebalance_);
    return false;
  }
  // Committed: the state may now reach RocksDB, with its changelog checkpoint.
  auto acked = producer_->take_acked();
  {
    std::shared_lock lk(tasks_mu_);
    for (auto& [key, t] : tasks_) {
      if (t->overlay->empty()) continue;
      auto writes = t->overlay->take();
      int64_t checkpoint = -1;
      auto a = acked.find({t->changelog, t->partition});
      if (a != acked.end()) checkpoint = a->second + 1;
      if (auto s = t->store->apply(writes, checkpoint); !s) {
        // The changelog holds the truth: a restart restores this task.
        log::error("state write failed; exiting to restore", {{"error", s.message()}});
        std::_Exit(70);
      }
    }
  }
  auto now_ms = to_millis(cfg_.clock());
  m_.committed.Increment();
  m_.commit_seconds.Observe(
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
  for (auto ts : txn_event_times_ms_)
    m_.processing_latency.Observe(std::max<int64_t>(0, now_ms - ts) / 1000.0);
  for (const auto& [topic, n] : produced_topics_) m_.records_out(topic).Increment(n);
  for (auto& f : on_commit_) {
    try {
      f();
    } catch (...) {
    }
  }
  discard_open();
  return true;
}

void Engine::discard_open() {
  txn_open_ = false;
  txn_records_ = 0;
  next_offsets_.clear();
  txn_event_times_ms_.clear();
  on_commit_.clear();
  produced_topics_.clear();
  pending_error_ = {};
  std::shared_lock lk(tasks_mu_);
  for (auto& [key, t] : tasks_) t->overlay->clear();
}

void Engine::recover(kafka::TxnError why, bool rewind) {
  log::warn("transaction failed; recovering",
            {{"error", why.message},
             {"fatal", why.kind == kafka::TxnErrorKind::fatal ? "true" : "false"}});
  m_.aborted.Increment();
  bool recreate = why.kind == kafka::TxnErrorKind::fatal;
  if (!recreate) {
    auto e = producer_->abort(10000);
    if (!e.ok()) {
      log::warn("abort failed; recreating the producer", {{"error", e.message}});
      recreate = true;
    }
  }
  discard_open();
  {
    // The aborted transaction's fired timers and expired ids are back.
    std::shared_lock lk(tasks_mu_);
    for (auto& [key, t] : tasks_) t->overlay->forget_bookkeeping();
  }
  if (recreate) {
    producer_.reset();
    m_.producer_recreated.Increment();
    for (int attempt = 0; !stop_.load(); ++attempt) {
      if (auto s = create_producer(); s)
        break;
      else
        log::error("producer recreate failed", {{"error", s.message()}});
      if (attempt > 20) std::_Exit(71);
    }
    // A commit reported as failed may have landed: catch the stores up.
    std::vector<Task*> all;
    {
      std::shared_lock lk(tasks_mu_);
      for (auto& [k, t] : tasks_) all.push_back(t.get());
    }
    if (auto s = restore(all); !s) {
      log::error("restore after producer recreate failed", {{"error", s.message()}});
      std::_Exit(72);
    }
    announce(all);
    refresh_ready();
  }
  if (rewind) rewind_to_committed();
}

void Engine::rewind_to_committed() {
  std::vector<RdKafka::TopicPartition*> parts;
  if (consumer_->assignment(parts) != RdKafka::ERR_NO_ERROR || parts.empty()) {
    RdKafka::TopicPartition::destroy(parts);
    return;
  }
  // A stalled or failing-over group coordinator answers late: ride through
  // it (up to about two minutes, backing off) before restarting clean.
  auto rc = consumer_->committed(parts, 10000);
  for (int attempt = 0; rc != RdKafka::ERR_NO_ERROR && attempt < 8 && !stop_.load(); ++attempt) {
    log::warn("cannot read committed offsets yet; retrying",
              {{"error", RdKafka::err2str(rc)}, {"attempt", std::to_string(attempt + 1)}});
    std::this_thread::sleep_for(std::chrono::milliseconds(250 << std::min(attempt, 4)));
    rc = consumer_->committed(parts, 10000);
  }
  if (rc != RdKafka::ERR_NO_ERROR) {
    log::error("cannot read committed offsets; exiting to restart clean",
               {{"error", RdKafka::err2str(rc)}});
    std::_Exit(73);
  }
  for (auto* p : parts) {
    int64_t off = p->offset() >= 0 ? p->offset() : RdKafka::Topic::OFFSET_BEGINNING;
    std::unique_ptr<RdKafka::TopicPartition> tp(
        RdKafka::TopicPartition::create(p->topic(), p->partition(), off));
    auto src = consumer_->seek(*tp, 5000);
    if (src != RdKafka::ERR_NO_ERROR)
      log::warn("seek failed", {{"topic", p->topic()}, {"error", RdKafka::err2str(src)}});
  }
  RdKafka::TopicPartition::destroy(parts);
}

}  // namespace baton::runtime
