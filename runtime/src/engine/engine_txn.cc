// Commit and recovery of the exactly-once loop.
#include "baton/runtime/log.h"
#include "baton/runtime/retry.h"
#include "engine/engine.h"
#include "engine/task.h"

namespace baton::runtime {

void Engine::emit_raw(const std::string& topic, int32_t partition, const std::string& key,
                      const std::string* value, const std::vector<Header>& headers, int64_t ts_ms) {
  auto e = producer_->produce(topic, partition, key, value, headers, ts_ms);
  if (!e.ok() && pending_error_.ok()) pending_error_ = e;
}

namespace {
using std::chrono::milliseconds;
// Retriable commit errors (a slow coordinator) are retried in place.
constexpr RetryPolicy kCommitRetry{
    .max_attempts = 6, .base = milliseconds(50), .max_delay = milliseconds(1000)};
// Up to 22 producers, each with its own init_transactions retries.
constexpr RetryPolicy kRecreateRetry{.max_attempts = 22,
                                     .base = milliseconds(200),
                                     .max_delay = milliseconds(5000),
                                     .jitter = Jitter::kDecorrelated};
// A stalled or failing-over group coordinator answers late: ride through it
// (9 reads of up to 10 s each, backing off to 4 s) before restarting clean.
constexpr RetryPolicy kCommittedRetry{.max_attempts = 9,
                                      .base = milliseconds(250),
                                      .max_delay = milliseconds(4000),
                                      .jitter = Jitter::kDecorrelated};
}  // namespace

void Engine::fail(Error e) {
  log::error("unrecoverable error; stopping to restart and restore",
             {{"code", e.code}, {"error", e.message}});
  if (fatal_.is_ok()) fatal_ = std::move(e);
  stop_.store(true);
}

bool Engine::commit() {
  if (failed()) return false;
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
  auto e =
      Retry(kCommitRetry)
          .run([&](int) { return producer_->commit(10000); },
               [](const kafka::TxnError& e) { return e.kind == kafka::TxnErrorKind::retriable; },
               [](const kafka::TxnError& e, int, milliseconds) {
                 log::warn("commit retry", {{"error", e.message}});
               });
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
        fail(fatal_error(Fatal::kStateWrite, "state write failed: " + s.message()));
        return false;
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
    if (auto s = recreate_producer(); !s) return fail(s.error());
  }
  if (rewind) {
    if (auto s = rewind_to_committed(); !s) return fail(s.error());
  }
}

Status Engine::recreate_producer() {
  producer_.reset();
  m_.producer_recreated.Increment();
  auto made = Retry(kRecreateRetry, RetryEnv{.stopped = [this] { return stop_.load(); }})
                  .run([&](int) { return create_producer(); }, [](const Status& s) { return !s; },
                       [](const Status& s, int attempt, milliseconds) {
                         log::error("producer recreate failed",
                                    {{"error", s.message()}, {"attempt", std::to_string(attempt)}});
                       });
  if (!made)
    return fatal_error(Fatal::kProducerRecreate, "producer not recreated: " + made.message());
  // A commit reported as failed may have landed: catch the stores up.
  std::vector<Task*> all;
  {
    std::shared_lock lk(tasks_mu_);
    for (auto& [k, t] : tasks_) all.push_back(t.get());
  }
  if (auto s = restore(all); !s)
    return fatal_error(Fatal::kRestoreAfterRecreate,
                       "restore after producer recreate failed: " + s.message());
  announce(all);
  refresh_ready();
  return Status::ok();
}

Status Engine::rewind_to_committed() {
  std::vector<RdKafka::TopicPartition*> parts;
  if (consumer_->assignment(parts) != RdKafka::ERR_NO_ERROR || parts.empty()) {
    RdKafka::TopicPartition::destroy(parts);
    return Status::ok();
  }
  auto rc =
      Retry(kCommittedRetry, RetryEnv{.stopped = [this] { return stop_.load(); }})
          .run([&](int) { return consumer_->committed(parts, 10000); },
               [](RdKafka::ErrorCode rc) { return rc != RdKafka::ERR_NO_ERROR; },
               [](RdKafka::ErrorCode rc, int attempt, milliseconds) {
                 log::warn("cannot read committed offsets yet; retrying",
                           {{"error", RdKafka::err2str(rc)}, {"attempt", std::to_string(attempt)}});
               });
  if (rc != RdKafka::ERR_NO_ERROR) {
    RdKafka::TopicPartition::destroy(parts);
    return fatal_error(Fatal::kCommittedOffsets,
                       "cannot read committed offsets: " + RdKafka::err2str(rc));
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
  return Status::ok();
}

}  // namespace baton::runtime
