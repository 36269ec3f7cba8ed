// The transaction and record collector (Kafka Streams' RecordCollector with
// the StreamsProducer): the instance's one transactional producer and the
// open transaction's bookkeeping. Every record the loop writes goes through
// it: processor outputs, changelog records, moved (repartitioned) records and
// dead letters. It remembers the consumed offsets, the inputs' event times,
// the topics written and the callbacks that may run only once the
// transaction has committed; a commit or an abort forgets them.
//
// It owns no task and no consumer: the consumer loop (Engine) decides when to
// commit, writes the changelog of its tasks through it, and recovers.
#pragma once

#include <librdkafka/rdkafkacpp.h>

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "baton/runtime/processor.h"
#include "engine/engine_config.h"
#include "kafka/txn_producer.h"
#include "metrics/runtime_metrics.h"

namespace baton::runtime {

class RecordCollector {
 public:
  // Reads cfg's kafka, application_id, instance_id (the transactional id is
  // <application_id>-<instance_id>), service, topic_prefix, json_topics,
  // dlq_topic, commit_* and clock; cfg outlives the collector.
  RecordCollector(const EngineConfig& cfg, RuntimeMetrics& metrics);
  RecordCollector(const RecordCollector&) = delete;
  RecordCollector& operator=(const RecordCollector&) = delete;

  // A new transactional producer, initialised (init_transactions, retried
  // while retriable and not `stopped`; a security failure is not retried).
  Status create_producer(const std::function<bool()>& stopped);
  // After a fatal producer error: up to 22 new producers, then
  // engine.fatal.producer_recreate. Counted in producer_recreated.
  Status recreate_producer(const std::function<bool()>& stopped);
  bool has_producer() const { return producer_ != nullptr; }
  kafka::TxnProducer& producer() { return *producer_; }

  // Opens a transaction unless one is open.
  kafka::TxnError begin();
  bool open() const { return open_; }
  // The open transaction holds commit_max_records or is commit_interval old
  // at `at` (the engine reads the clock once per batch of records).
  bool batch_full(std::chrono::steady_clock::time_point at) const;
  bool batch_full() const { return batch_full(std::chrono::steady_clock::now()); }
  size_t records() const { return records_; }

  // Bookkeeping of the open transaction.
  // A consumed record: its next offset is committed with the transaction.
  void consumed(const std::string& topic, int32_t partition, int64_t offset);
  // A fired timer: counts toward the batch like a record.
  void counted() { ++records_; }
  void event_time(int64_t ms) { event_times_ms_.push_back(ms); }
  void on_commit(std::function<void()> f) { on_commit_.push_back(std::move(f)); }
  const std::map<std::pair<std::string, int32_t>, int64_t>& next_offsets() const {
    return next_offsets_;
  }

  // Writes, in the open transaction. A failed produce is remembered and
  // fails the commit (the transaction is then recovered).
  void produce(const Output& o);  // topic by logical name; JSON if configured
  void emit_raw(const std::string& topic, int32_t partition, const std::string& key,
                const std::string* value, const std::vector<Header>& headers, int64_t ts_ms);
  // The final value (or tombstone) of every changelogged key of `pending`.
  void changelog(const std::string& topic, int32_t partition,
                 const std::map<std::string, std::optional<std::string>, std::less<>>& pending,
                 int64_t ts_ms);
  // Moves a record to the partition of `repartition_topic` that owns its key,
  // with baton.origin.* headers; counted as misplaced after commit.
  void forward(const Record& r, const std::string& repartition_topic, int32_t partition);
  // The topic's owner dead-letters a bad record; another reader counts and skips.
  void reject(const Record& in, const Rejection& why, bool owner);
  void dead_letter(const Record& in, const Rejection& why);

  // Delivers every record, adds the consumed offsets (the group of
  // `consumer`) and commits (retriable commit errors retried). An error
  // leaves the transaction to recover().
  kafka::TxnError commit(RdKafka::KafkaConsumer& consumer);
  // After commit(): highest changelog offset acknowledged per partition.
  std::map<std::pair<std::string, int32_t>, int64_t> take_acked() {
    return producer_->take_acked();
  }
  // After commit() and the stores' writes: metrics, on_commit callbacks, and
  // the bookkeeping forgotten. `started`: when the commit began.
  void committed(std::chrono::steady_clock::time_point started);
  // Aborts the open transaction (nothing of it is visible to read_committed).
  kafka::TxnError abort(int timeout_ms) { return producer_->abort(timeout_ms); }
  // Forgets the open transaction's bookkeeping (after an abort).
  void discard();
  void poll() { producer_->poll(0); }
  void flush(int timeout_ms);

 private:
  std::string phys(const std::string& logical) const { return cfg_.topic_prefix + logical; }

  const EngineConfig& cfg_;
  RuntimeMetrics& m_;
  std::unique_ptr<kafka::TxnProducer> producer_;

  bool open_ = false;
  kafka::TxnError pending_error_;
  std::chrono::steady_clock::time_point started_{};
  size_t records_ = 0;
  std::map<std::pair<std::string, int32_t>, int64_t> next_offsets_;
  std::vector<int64_t> event_times_ms_;
  std::vector<std::function<void()>> on_commit_;
  std::vector<std::pair<std::string, int>> produced_topics_;
  std::set<std::string> misplaced_logged_;
};

}  // namespace baton::runtime
