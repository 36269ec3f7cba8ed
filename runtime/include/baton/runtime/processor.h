// The contract between the runtime and a service: a pure processor.
//
// A processor gets an input (a record or a due timer), a read view of its
// state and `now`; it returns Effects (state writes, outputs, timers) or a
// Rejection (the record goes to the dead-letter topic). It performs no I/O:
// the runtime applies the effects inside one Kafka transaction.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "baton/runtime/status.h"
#include "baton/time/time.h"

namespace google::protobuf {
class Descriptor;
}  // namespace google::protobuf

namespace baton::runtime {

using Clock = ::baton::time::Clock;
using TimePoint = ::baton::time::TimePoint;
using ::baton::time::from_millis;
using ::baton::time::to_millis;

struct Header {
  std::string key;
  std::string value;
};

// One consumed record.
struct Record {
  std::string topic;
  int32_t partition = 0;
  int64_t offset = 0;
  std::string key;
  std::string value;
  int64_t timestamp_ms = 0;
  std::vector<Header> headers;
  // CloudEvents source of the input: the ce_source header, else the
  // envelope's source_system (set by the runtime before on_record). Event ids
  // are unique within their source only.
  std::string source;
  const std::string* header(std::string_view k) const {
    for (const auto& h : headers)
      if (h.key == k) return &h.value;
    return nullptr;
  }
  // The record's ce_type header is `type` (records of several kinds share a topic).
  bool is_type(std::string_view type) const {
    const std::string* t = header("ce_type");
    return t && *t == type;
  }
};

// One record to produce, with its CloudEvents attributes.
struct Output {
  std::string topic;
  std::string key;
  std::string value;  // serialized protobuf
  // The message type of value (set by make_output): lets the runtime write
  // a topic configured as JSON (runtime.json_output_topics).
  const google::protobuf::Descriptor* type = nullptr;
  std::string event_id;  // ce_id; derived deterministically from the input
  std::string ce_type;   // e.g. "baton.v1.Assignment"
  TimePoint event_time{};
  // Partition to write to; -1 = by key (murmur2, like the Java client).
  int32_t partition = -1;
};

// A durable timer as the processor sees it when it fires.
struct Timer {
  std::string id;  // unique within the task (e.g. "sla/<lead>/breach")
  TimePoint due{};
  std::string payload;
  // The partition of the task the timer belongs to (set by the runtime when
  // it fires; not stored).
  int32_t partition = 0;
};

// What a processor wants done. Applied atomically or not at all.
struct Effects {
  // Event id of the input, used by the runtime's de-duplication window.
  // Empty: no de-duplication for this input.
  std::string dedup_id;
  // State writes: value = nullopt deletes the key. Later entries win.
  std::vector<std::pair<std::string, std::optional<std::string>>> writes;
  std::vector<Output> outputs;
  std::vector<Timer> set_timers;
  std::vector<std::string> cancel_timers;
  // Runs after the transaction commits (metrics). Never throws.
  std::vector<std::function<void()>> on_commit;

  void put(std::string key, std::string value) {
    writes.emplace_back(std::move(key), std::move(value));
  }
  void del(std::string key) { writes.emplace_back(std::move(key), std::nullopt); }
  void emit(Output o) { outputs.push_back(std::move(o)); }
  void set_timer(std::string id, TimePoint due, std::string payload = {}) {
    set_timers.push_back(Timer{std::move(id), due, std::move(payload)});
  }
  void cancel_timer(std::string id) { cancel_timers.push_back(std::move(id)); }
  void after_commit(std::function<void()> f) { on_commit.push_back(std::move(f)); }
};

// Why an input cannot be used; the record goes to the dead-letter topic.
struct Rejection {
  std::string reason;  // bounded vocabulary: "decode", "invalid", "unknown_enum", ...
  std::string detail;  // human detail, no PII
};

using ProcessResult = Result<Effects, Rejection>;

// Read view of a task's state: committed state plus the open transaction's
// writes (read-your-writes).
class StateView {
 public:
  virtual ~StateView() = default;
  virtual std::optional<std::string> get(std::string_view key) const = 0;
  // Visits keys starting with prefix in key order; stop by returning false.
  virtual void scan(
      std::string_view prefix,
      const std::function<bool(std::string_view key, std::string_view value)>& fn) const = 0;
  // Global tables (compacted reference topics, e.g. the rep roster), read on
  // every instance. nullopt if absent.
  virtual std::optional<std::string> global(std::string_view topic, std::string_view key) const = 0;
  virtual void scan_global(
      std::string_view topic,
      const std::function<bool(std::string_view key, std::string_view value)>& fn) const = 0;
  // Changes whenever a record of the global table `topic` is applied (0: no
  // record yet), so a processor can keep what it derives from the table (an
  // index, a parsed roster) until the next change. Versions come from
  // next_global_version(): never reused in the process.
  virtual uint64_t global_version(std::string_view topic) const = 0;
};

// A fresh global table version, unique in the process: a cache keyed by it
// never mistakes one view's (or one table's) contents for another's.
inline uint64_t next_global_version() {
  static std::atomic<uint64_t> last{0};
  return ++last;
}

// What one input topic carries, as the runtime admits it (docs/integrating.md).
struct InputContract {
  // The message type on the topic. The runtime decodes JSON
  // (content-type: application/json) into it, refuses another ce_type
  // ("unexpected_type"), checks sizes, times and enums, and takes a missing
  // key from the envelope. nullptr: an internal topic, passed as it is.
  const google::protobuf::Descriptor* type = nullptr;
  // This service dead-letters the topic's bad records. Other readers of a
  // shared topic count them (baton_input_skipped_total) and skip them, so a
  // bad record gets one dead letter.
  bool owner = true;
};

// A service's processor. Input topics of one processor must have the same
// partition count (co-partitioned); a task is (processor, partition).
class Processor {
 public:
  virtual ~Processor() = default;
  // Stable name: names the state folder and the changelog topic.
  virtual std::string name() const = 0;
  virtual std::vector<std::string> input_topics() const = 0;
  // Internal (repartition) topics this processor writes; the runtime
  // creates them with this processor's partition count (from its other inputs).
  virtual std::vector<std::string> internal_topics() const { return {}; }
  // Compacted topics materialised on every instance before processing.
  virtual std::vector<std::string> global_topics() const { return {}; }
  // The contract of one input topic (default: internal, owned).
  virtual InputContract input_contract(std::string_view /*topic*/) const { return {}; }
  virtual ProcessResult on_record(const Record& in, const StateView& state, TimePoint now) = 0;
  virtual ProcessResult on_timer(const Timer& timer, const StateView& state, TimePoint now) = 0;

  // Ownership hooks, for what an instance reports about the state it holds
  // (gauges: held leads, open clocks), as Kafka Streams' task lifecycle.
  // on_assigned: the task's committed state is restored, before its first
  // input; called again for a task still held after a later restore (a
  // recreated producer), so recompute, never add. on_revoked: the task left
  // this instance (rebalance, shutdown); forget what it contributed. Both run
  // on the engine thread, between transactions.
  virtual void on_assigned(int32_t /*partition*/, const StateView& /*state*/) {}
  virtual void on_revoked(int32_t /*partition*/) noexcept {}

  // Work a task has with neither an input nor a timer (Kafka Streams'
  // wall-clock punctuation): asked at every timer tick (runtime.timer_tick)
  // for every task, on the engine thread; the effects go into the open
  // transaction. nullopt, the default: nothing to do. Keep it a lookup when
  // idle (e.g. the router's hand-over of an earlier build's records).
  virtual std::optional<Effects> on_tick(int32_t /*partition*/, const StateView& /*state*/,
                                         TimePoint /*now*/) {
    return std::nullopt;
  }

  // State schema, for rolling upgrades (docs/design.md, "State versions").
  // With a version > 0 every value this processor writes carries it. A
  // value from an older version (0: written before versions) is passed to
  // migrate() when read, and the next write stores the new version. A value
  // from a newer version (a task back on an old build mid-rollout) is read
  // as it is: keep one release of forward compatibility (protobuf: add
  // fields, never reuse them).
  virtual uint32_t state_version() const { return 0; }
  virtual std::string migrate(std::string_view /*key*/, std::string value,
                              uint32_t /*from_version*/) const {
    return value;
  }
};

}  // namespace baton::runtime
