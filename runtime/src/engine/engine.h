// The exactly-once loop (Kafka Streams' exactly_once_v2, KIP-447): one
// read_committed consumer in a group with an eager assignor, one
// transactional producer per instance. Each transaction carries the outputs,
// the changelog records of the state changes and the consumed offsets; state
// reaches RocksDB only after the commit, with its changelog checkpoint.
//
// The Engine is the consumer loop (Kafka Streams' StreamThread). It composes
// the parts, each of which can be named and tested alone:
// - TaskManager (task_manager.h): the tasks, assignment, restore, readiness,
//   the admin's reads;
// - Task (task.h): one processor on one partition, with its store;
// - RecordCollector (record_collector.h): the transactional producer and the
//   open transaction's bookkeeping; every record written;
// - TimerService (timer_service.h): due timers, fired on the tick.
#pragma once

#include <librdkafka/rdkafkacpp.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "baton/runtime/processor.h"
#include "baton/runtime/step_arena.h"
#include "engine/engine_config.h"
#include "engine/fatal.h"
#include "engine/globals.h"
#include "engine/input_queues.h"
#include "engine/record_collector.h"
#include "engine/task_manager.h"
#include "engine/timer_service.h"
#include "kafka/txn_producer.h"
#include "metrics/runtime_metrics.h"

namespace baton::runtime {

class Engine : public RdKafka::RebalanceCb {
 public:
  Engine(EngineConfig cfg, std::vector<std::unique_ptr<Processor>> processors,
         RuntimeMetrics& metrics);
  ~Engine() override;

  // Connects, checks input topics, creates changelogs, loads global tables,
  // subscribes. An error names the cause (unreachable broker, missing topic).
  Status start();
  // Runs until stop() is called; then commits, leaves the group, returns.
  // An unrecoverable error (engine/fatal.h) stops the loop too: nothing more
  // commits, the group is left, and run() returns the error for the caller
  // to exit with its code (the engine never ends the process).
  Status run();
  void stop() noexcept { stop_.store(true); }

  // For the admin thread.
  bool ready() const { return tasks_.ready(); }
  std::string status_json() const;
  std::optional<std::string> lookup(std::string_view processor, std::string_view key) const;
  void scan(std::string_view processor, std::string_view prefix, const ScanFn& fn) const;
  // As scan, with each entry's partition; returns the partitions visited.
  std::set<int32_t> scan_tasks(
      std::string_view processor, std::string_view prefix,
      const std::function<void(int32_t, std::string_view, std::string_view)>& fn) const;
  // The consumer's client.id (before start()): it advertises this instance's
  // query listener to the other replicas through the group's metadata.
  void set_client_id(std::string id) { cfg_.kafka["client.id"] = std::move(id); }

  void rebalance_cb(RdKafka::KafkaConsumer* consumer, RdKafka::ErrorCode err,
                    std::vector<RdKafka::TopicPartition*>& partitions) override;

 private:
  void loop_once();
  // now: the batch's clock reading (one per batch, not per record).
  void handle_message(RdKafka::Message& m, TimePoint now);
  // Opens a transaction unless one is open; false (after recovering) if none.
  bool ensure_txn();
  // Applies a processor's effects: state to the task, writes to the collector.
  void apply(Task& t, Effects&& fx, const Record* in, TimePoint now);
  TimerService::Txn timer_txn();
  void for_each_task(const std::function<void(Task&)>& fn) const { tasks_.for_each(fn); }
  // One input topic: an external one, or Baton's repartition topic of it.
  struct InputTopic {
    size_t proc = 0;
    std::string logical;  // the processor's name for the topic
    InputContract contract;
    bool internal = false;       // written by this service: passed as it is
    bool repartition = false;    // carries records moved from `logical`
    std::string repartition_to;  // physical repartition topic of an external one
    // baton_records_in_total{topic}: the logical name, or the repartition
    // topic's own (it is named by the application id, not the prefix).
    prometheus::Counter* records_in = nullptr;
  };
  Status create_repartition_topics(size_t proc, int partitions);
  Record to_record(RdKafka::Message& m, const InputTopic& in) const;
  bool commit();  // false: transaction failed and was recovered
  void recover(kafka::TxnError why, bool rewind);
  Status recreate_producer();
  Status rewind_to_committed();
  // Records the first unrecoverable error and stops the loop.
  void fail(Error e);
  bool failed() const { return !fatal_.is_ok(); }
  // Forgets the open transaction: the collector's bookkeeping, the overlays.
  void discard_open();
  void on_assigned(const std::vector<RdKafka::TopicPartition*>& parts);
  void on_revoked(bool lost);
  void update_lag();
  std::string phys(const std::string& logical) const { return cfg_.topic_prefix + logical; }

  EngineConfig cfg_;
  std::vector<std::unique_ptr<Processor>> procs_;
  std::map<std::string, InputTopic> inputs_;  // by physical topic
  std::map<size_t, int> proc_partitions_;
  RuntimeMetrics& m_;
  GlobalTables globals_;
  RecordCollector collector_;
  TaskManager tasks_;
  TimerService timers_;
  // Last: destroyed first, while the parts its rebalance callback uses live.
  std::unique_ptr<RdKafka::KafkaConsumer> consumer_;
  // After the consumer: destroyed before it. Internal topics are read first.
  InputQueues queues_;

  bool in_rebalance_ = false;
  Status fatal_;  // the first unrecoverable error; only the loop's thread
  std::atomic<bool> stop_{false};
  std::chrono::steady_clock::time_point last_lag_{};
  TimePoint last_dedup_purge_{};
  // Where admission decodes a public record, reused record after record.
  StepArena admission_arena_;
};

}  // namespace baton::runtime
