// Commit and recovery of the exactly-once loop: the record collector commits
// the transaction, then the tasks' state reaches RocksDB with its changelog
// checkpoint; a failed transaction is aborted (or its producer recreated)
// and the consumer rewound to the committed offsets.
#include "baton/runtime/log.h"
#include "baton/runtime/retry.h"
#include "engine/engine.h"
#include "engine/task.h"

namespace baton::runtime {

namespace {
using std::chrono::milliseconds;
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

bool Engine::ensure_txn() {
  if (failed()) return false;
  if (collector_.open()) return true;
  if (auto e = collector_.begin(); !e.ok()) {
    recover(e, true);
    return false;
  }
  return true;
}

bool Engine::commit() {
  if (failed()) return false;
  if (!collector_.open()) return true;
  auto started = std::chrono::steady_clock::now();
  // The changelog records: the final value of every key this transaction wrote.
  const int64_t ts = to_millis(cfg_.clock());
  tasks_.for_each(
      [&](Task& t) { collector_.changelog(t.changelog, t.partition, t.overlay->pending(), ts); });
  if (auto e = collector_.commit(*consumer_); !e.ok()) {
    recover(e, !in_rebalance_);
    return false;
  }
  // Committed: the state may now reach RocksDB, with its changelog checkpoint.
  auto acked = collector_.take_acked();
  bool written = true;
  tasks_.for_each([&](Task& t) {
    if (!written || t.overlay->empty()) return;
    auto writes = t.overlay->take();
    int64_t checkpoint = -1;
    auto a = acked.find({t.changelog, t.partition});
    if (a != acked.end()) checkpoint = a->second + 1;
    if (auto s = t.store->apply(writes, checkpoint); !s) {
      // The changelog holds the truth: a restart restores this task.
      fail(fatal_error(Fatal::kStateWrite, "state write failed: " + s.message()));
      written = false;
    }
  });
  if (!written) return false;
  collector_.committed(started);
  discard_open();
  return true;
}

void Engine::discard_open() {
  collector_.discard();
  tasks_.for_each([](Task& t) { t.overlay->clear(); });
}

void Engine::recover(kafka::TxnError why, bool rewind) {
  log::warn("transaction failed; recovering",
            {{"error", why.message},
             {"fatal", why.kind == kafka::TxnErrorKind::fatal ? "true" : "false"}});
  m_.aborted.Increment();
  bool recreate = why.kind == kafka::TxnErrorKind::fatal;
  if (!recreate) {
    auto e = collector_.abort(10000);
    if (!e.ok()) {
      log::warn("abort failed; recreating the producer", {{"error", e.message}});
      recreate = true;
    }
  }
  discard_open();
  // The aborted transaction's fired timers and expired ids are back.
  tasks_.for_each([](Task& t) { t.overlay->forget_bookkeeping(); });
  if (recreate) {
    if (auto s = recreate_producer(); !s) return fail(s.error());
  }
  if (rewind) {
    if (auto s = rewind_to_committed(); !s) return fail(s.error());
  }
}

Status Engine::recreate_producer() {
  if (auto s = collector_.recreate_producer([this] { return stop_.load(); }); !s) return s;
  // A commit reported as failed may have landed: catch the stores up.
  std::vector<Task*> all = tasks_.all();
  if (auto s = tasks_.restore(all); !s)
    return fatal_error(Fatal::kRestoreAfterRecreate,
                       "restore after producer recreate failed: " + s.message());
  tasks_.announce(all);
  tasks_.refresh_ready();
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
  // A partition not rewound would go on after the aborted records: they
  // would never be processed. Each seek is retried; one that keeps failing
  // stops the service, whose restart reads from the committed offsets.
  Status rewound = Status::ok();
  for (auto* p : parts) {
    int64_t off = p->offset() >= 0 ? p->offset() : RdKafka::Topic::OFFSET_BEGINNING;
    std::unique_ptr<RdKafka::TopicPartition> tp(
        RdKafka::TopicPartition::create(p->topic(), p->partition(), off));
    auto src = Retry(kCommittedRetry, RetryEnv{.stopped = [this] { return stop_.load(); }})
                   .run([&](int) { return consumer_->seek(*tp, 5000); },
                        [](RdKafka::ErrorCode rc) { return rc != RdKafka::ERR_NO_ERROR; },
                        [&](RdKafka::ErrorCode rc, int attempt, milliseconds) {
                          log::warn("seek to the committed offset failed; retrying",
                                    {{"topic", p->topic()},
                                     {"partition", std::to_string(p->partition())},
                                     {"error", RdKafka::err2str(rc)},
                                     {"attempt", std::to_string(attempt)}});
                        });
    if (src != RdKafka::ERR_NO_ERROR) {
      rewound = fatal_error(Fatal::kCommittedOffsets,
                            "cannot rewind " + p->topic() + "[" + std::to_string(p->partition()) +
                                "] to its committed offset: " + RdKafka::err2str(src));
      break;
    }
  }
  RdKafka::TopicPartition::destroy(parts);
  return rewound;
}

}  // namespace baton::runtime
