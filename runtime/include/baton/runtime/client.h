// A small Kafka client for tools and tests (the `baton` CLI, integration
// tests): topic administration, a plain idempotent producer and a tailing
// consumer. Services never use this: they run inside run_service().
//
// Every call is bounded by a timeout: an unreachable broker fails with a
// one-line Error whose code is "kafka.unreachable", it never hangs.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "baton/runtime/processor.h"
#include "baton/runtime/status.h"

namespace baton::runtime::client {

// Connection settings shared by every client.
struct ClientConfig {
  std::string bootstrap = "127.0.0.1:9092";
  // Extra librdkafka properties (SASL/TLS, tuning).
  std::map<std::string, std::string> properties;
  // Bound of every blocking call (metadata, admin, flush).
  std::chrono::milliseconds timeout{8000};
};

// Reads BATON_KAFKA_BOOTSTRAP_SERVERS (default 127.0.0.1:9092) and every
// BATON_KAFKA_<PROP> variable as the librdkafka property <prop> (lowercase,
// '_' -> '.'), e.g. BATON_KAFKA_SECURITY_PROTOCOL=SASL_SSL.
ClientConfig bootstrap_from_env();
// The same, over an explicit environment (for tests): "NAME=value" entries.
ClientConfig bootstrap_from_env(const std::vector<std::string>& environment);

// CloudEvents Kafka binding, binary mode: ce_specversion, ce_id, ce_type,
// ce_source, ce_time (RFC 3339, UTC) and content-type application/protobuf.
std::vector<Header> cloudevents_headers(std::string_view event_id, std::string_view ce_type,
                                        std::string_view source, TimePoint time);

struct TopicSpec {
  std::string name;
  int partitions = 6;
  int replication_factor = -1;                // -1: the broker's default
  std::map<std::string, std::string> config;  // e.g. cleanup.policy=compact
};

struct TopicCreated {
  std::string name;
  bool created = false;  // false: it already existed (not an error)
  int partitions = 0;    // partition count now on the broker (0 if unknown)
};

// Topic administration.
class Admin {
 public:
  static Result<std::unique_ptr<Admin>> connect(const ClientConfig& config);
  ~Admin();
  Admin(const Admin&) = delete;
  Admin& operator=(const Admin&) = delete;

  // Checks that a broker answers a metadata request within the timeout.
  Status ping();
  // Creates topics; TOPIC_ALREADY_EXISTS counts as success (created=false).
  Result<std::vector<TopicCreated>> create_topics(const std::vector<TopicSpec>& topics);
  // Every topic name on the cluster (internal "__" topics excluded).
  Result<std::vector<std::string>> list_topics();
  // Deletes topics; one that does not exist counts as deleted. For tools
  // and benchmarks that clean up after themselves: no service deletes.
  Status delete_topics(const std::vector<std::string>& names);
  // Partition count; Error code "kafka.unknown_topic" when it does not exist.
  Result<int> partition_count(const std::string& topic);

 private:
  struct Impl;
  explicit Admin(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// An idempotent producer (acks=all, Java-compatible murmur2 partitioner).
class PlainProducer {
 public:
  static Result<std::unique_ptr<PlainProducer>> open(const ClientConfig& config);
  ~PlainProducer();
  PlainProducer(const PlainProducer&) = delete;
  PlainProducer& operator=(const PlainProducer&) = delete;

  // Enqueues one record (partition -1: by key). Waits, bounded, when the
  // local queue is full.
  Status produce(const std::string& topic, const std::string& key, const std::string& value,
                 const std::vector<Header>& headers = {}, int32_t partition = -1);
  // Serves delivery reports without blocking.
  void poll();
  // Waits for every enqueued record; error if any delivery failed or the
  // timeout (config timeout when zero) passed.
  Status flush(std::chrono::milliseconds timeout = std::chrono::milliseconds{0});
  int64_t delivered() const;
  int64_t failed() const;
  // How often a fatal error (librdkafka 2.0.2's idempotent sequence desync)
  // made the producer rebuild itself and send its records in flight again.
  int64_t recreated() const;
  // Tests: raises a fatal error in the underlying producer, as librdkafka's
  // own tests do (rd_kafka_test_fatal_error).
  void inject_fatal_error_for_test(const std::string& reason);

 private:
  struct Impl;
  explicit PlainProducer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

enum class StartAt { kBeginning, kEnd };

struct TailOptions {
  std::vector<std::string> topics;
  StartAt start = StartAt::kBeginning;
  bool read_committed = true;
};

// Reads every partition of some topics (manual assignment, no group commits).
class TailConsumer {
 public:
  // Error "kafka.unknown_topic" names a missing topic.
  static Result<std::unique_ptr<TailConsumer>> open(const ClientConfig& config,
                                                    const TailOptions& options);
  ~TailConsumer();
  TailConsumer(const TailConsumer&) = delete;
  TailConsumer& operator=(const TailConsumer&) = delete;

  // The next record, or nullopt when none arrived within the timeout.
  Result<std::optional<Record>> poll(std::chrono::milliseconds timeout);
  // True when every assigned partition has been read up to its end (the
  // last stable offset under read_committed) and nothing newer arrived.
  bool at_end() const;

 private:
  struct Impl;
  explicit TailConsumer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace baton::runtime::client
