// The engine's configuration (read from the service's YAML by app/).
#pragma once

#include <chrono>
#include <functional>
#include <set>
#include <string>

#include "baton/runtime/processor.h"
#include "baton/v1/topics.h"
#include "kafka/conf.h"

namespace baton::runtime {

struct EngineConfig {
  std::string service;
  std::string application_id;  // consumer group; prefix of changelog topics
  std::string instance_id;     // stable per instance: transactional.id suffix
  kafka::Props kafka;          // librdkafka properties incl. bootstrap.servers
  std::string state_dir;
  // RocksDB's block cache, one for every store of the process
  // (runtime.state_cache_mb); memtables are 2 x 8 MiB at most a store.
  size_t state_cache_bytes = size_t{64} << 20;
  std::chrono::milliseconds commit_interval{100};
  // How long a restore waits for an open transaction on a changelog partition
  // to end (task_manager.cc): longer than transaction.timeout.ms (10 s) plus
  // the coordinator's sweep for timed-out transactions (10 s). Not in YAML.
  std::chrono::milliseconds restore_open_txn_wait{45000};
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

}  // namespace baton::runtime
