// The exactly-once loop (Kafka Streams' exactly_once_v2, KIP-447): one
// read_committed consumer in a group with an eager assignor, one
// transactional producer per instance. Each transaction carries the outputs,
// the changelog records of the state changes and the consumed offsets; state
// reaches RocksDB only after the commit, with its changelog checkpoint.
#pragma once

#include <librdkafka/rdkafkacpp.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <shared_mutex>
#include <string>
#include <vector>

#include "baton/runtime/processor.h"
#include "baton/v1/topics.h"
#include "engine/fatal.h"
#include "engine/globals.h"
#include "kafka/conf.h"
#include "kafka/txn_producer.h"
#include "metrics/runtime_metrics.h"
#include "state/overlay.h"
#include "state/task_store.h"

namespace baton::runtime {

struct EngineConfig {
  std::string service;
  std::string application_id;  // consumer group; prefix of changelog topics
  std::string instance_id;     // stable per instance: transactional.id suffix
  kafka::Props kafka;          // librdkafka properties incl. bootstrap.servers
  std::string state_dir;
  std::chrono::milliseconds commit_interval{100};
  size_t commit_max_records = 20000;
  // Commit as soon as the input is drained instead of waiting out the
  // interval: low latency when the load is light, and batches of up to
  // commit_interval / commit_max_records when it is heavy (group commit).
  bool commit_when_idle = true;
  std::string dlq_topic = v1::topics::kDeadLetters;
  // retention.ms of the dead-letter topic when the engine creates it.
  std::chrono::milliseconds dlq_retention{std::chrono::hours(24 * 7)};
  // Prepended to every topic name the processors use (namespaces a deployment).
  std::string topic_prefix;
  std::chrono::milliseconds dedup_window{std::chrono::hours(24 * 7)};
  // Output topics (logical names) written as JSON instead of protobuf.
  std::set<std::string> json_topics;
  std::chrono::milliseconds timer_tick{50};
  size_t timers_per_tick = 2000;
  int changelog_replication = -1;  // broker default
  std::function<TimePoint()> clock = [] { return Clock::now(); };
};

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
  bool ready() const { return ready_.load(); }
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
  struct Task;
  using TaskKey = std::pair<size_t, int32_t>;  // (processor index, partition)

  Status create_producer();
  void loop_once();
  void handle_message(RdKafka::Message& m);
  void fire_timers(TimePoint now);
  bool ensure_txn();
  // The open transaction holds commit_max_records or is commit_interval old.
  bool batch_full() const;
  void apply(Task& t, Effects&& fx, const Record* in, TimePoint now);
  // One input topic: an external one, or Baton's repartition topic of it.
  struct InputTopic {
    size_t proc = 0;
    std::string logical;  // the processor's name for the topic
    InputContract contract;
    bool internal = false;       // written by this service: passed as it is
    bool repartition = false;    // carries records moved from `logical`
    std::string repartition_to;  // physical repartition topic of an external one
  };
  Status create_repartition_topics(size_t proc, int partitions);
  Record to_record(RdKafka::Message& m, const InputTopic& in) const;
  // Moves a record to the partition that owns its key (same transaction).
  void forward(const Record& r, const InputTopic& in, int32_t partition);
  // The owner of the topic dead-letters it; another reader counts and skips.
  void reject(const Record& in, const Rejection& why, const InputTopic& topic);
  void dead_letter(const Record& in, const Rejection& why);
  void produce(const Output& o);
  void emit_raw(const std::string& topic, int32_t partition, const std::string& key,
                const std::string* value, const std::vector<Header>& headers, int64_t ts_ms);
  bool commit();  // false: transaction failed and was recovered
  void recover(kafka::TxnError why, bool rewind);
  Status recreate_producer();
  Status rewind_to_committed();
  // Records the first unrecoverable error and stops the loop.
  void fail(Error e);
  bool failed() const { return !fatal_.is_ok(); }
  void discard_open();
  void on_assigned(const std::vector<RdKafka::TopicPartition*>& parts);
  void on_revoked();
  Status restore(std::vector<Task*>& tasks);
  // Tells each task's processor it holds the task's (restored) state.
  void announce(const std::vector<Task*>& tasks);
  void update_lag();
  void report_timers_pending();
  void refresh_ready();
  std::string changelog_topic(size_t proc) const;
  std::string phys(const std::string& logical) const { return cfg_.topic_prefix + logical; }

  EngineConfig cfg_;
  std::vector<std::unique_ptr<Processor>> procs_;
  std::map<std::string, InputTopic> inputs_;  // by physical topic
  std::set<std::string> misplaced_logged_;
  std::map<size_t, int> proc_partitions_;
  RuntimeMetrics& m_;
  std::unique_ptr<RdKafka::KafkaConsumer> consumer_;
  std::unique_ptr<kafka::TxnProducer> producer_;
  GlobalTables globals_;

  mutable std::shared_mutex tasks_mu_;  // admin readers vs. rebalance
  std::map<TaskKey, std::unique_ptr<Task>> tasks_;

  bool txn_open_ = false;
  bool in_rebalance_ = false;
  kafka::TxnError pending_error_;
  std::chrono::steady_clock::time_point txn_started_{};
  size_t txn_records_ = 0;
  std::map<std::pair<std::string, int32_t>, int64_t> next_offsets_;
  std::vector<int64_t> txn_event_times_ms_;
  std::vector<std::function<void()>> on_commit_;
  std::vector<std::pair<std::string, int>> produced_topics_;

  Status fatal_;  // the first unrecoverable error; only the loop's thread
  std::atomic<bool> stop_{false};
  std::atomic<bool> ready_{false};
  std::atomic<bool> assigned_once_{false};
  std::atomic<bool> restoring_{false};
  std::atomic<double> restore_progress_{1.0};
  TimePoint last_timer_scan_{};
  std::chrono::steady_clock::time_point last_lag_{};
  TimePoint last_dedup_purge_{};
};

}  // namespace baton::runtime
