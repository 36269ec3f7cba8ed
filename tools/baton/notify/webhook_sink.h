// The webhook sink of `baton notify webhook`: posts each RepAlert read from
// baton.notifications to a Slack-compatible webhook, at most once per alert
// id as far as the sink can tell (see below), and dead-letters what it
// cannot deliver. No Kafka here: the command feeds records in and commits
// offsets after handle() returns (cmd_notify.cc), so this is testable
// against a local HTTP server.
//
// Exactly once per alert id:
// - a delivered (or dead-lettered) alert's id is appended to a file in the
//   state dir and fsynced before handle() returns, so before the offset is
//   committed; after a restart or a replay the id is skipped;
// - every POST carries `Idempotency-Key: <alert_id>`. The window left: a
//   crash after the receiver's 2xx and before the fsync resends the alert
//   once; a receiver that honours the key drops it.
//
// Retries: a connection error, a timeout, 408, 429 and 5xx are retried with
// exponential backoff and full jitter (the runtime's one retry helper,
// baton/runtime/retry.h), up to max_attempts. Then (or at once
// for any other 4xx) the record is dead-lettered with headers naming the
// reason and the source topic/partition/offset, counted and logged.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <fstream>
#include <functional>
#include <memory>
#include <random>
#include <string>
#include <unordered_set>

#include "baton/runtime/processor.h"
#include "baton/runtime/retry.h"
#include "baton/runtime/status.h"
#include "baton/v1/notification.pb.h"

namespace baton::notify {

using runtime::Error;
using runtime::Result;
using runtime::RetryPolicy;
using runtime::Status;

// Slack-compatible body: {"text": ..., "alert_id": ..., "blocks": [...]}.
std::string slack_payload(const v1::RepAlert& alert);

// Alert ids already handled, durable: one id per line, appended and fsynced.
class DeliveredStore {
 public:
  ~DeliveredStore();
  // Creates `dir` if needed and loads <dir>/delivered-alerts.
  static Result<std::unique_ptr<DeliveredStore>> open(const std::string& dir);
  bool contains(const std::string& alert_id) const { return ids_.count(alert_id) > 0; }
  // Durable when it returns ok.
  Status add(const std::string& alert_id);
  size_t size() const { return ids_.size(); }

 private:
  std::string path_;
  int fd_ = -1;
  std::unordered_set<std::string> ids_;
};

// A record the sink could not deliver, for the dead-letter topic.
struct DeadLetter {
  std::string reason;  // decode, webhook_rejected, webhook_retries_exhausted
  std::string detail;  // no PII: status codes and error names only
  runtime::Record record;
};

struct SinkCounters {
  std::atomic<int64_t> delivered{0};
  std::atomic<int64_t> skipped{0};  // already delivered (replay, restart)
  std::atomic<int64_t> retries{0};
  std::atomic<int64_t> dead_lettered{0};
};

struct SinkOptions {
  std::string url;  // http(s)://host[:port]/path
  // POSTs per alert, the first included (at least 1), and full jitter.
  RetryPolicy retry{.max_attempts = 8,
                    .base = std::chrono::milliseconds(500),
                    .max_delay = std::chrono::milliseconds(30000),
                    .jitter = runtime::Jitter::kFull};
  std::chrono::milliseconds request_timeout{10000};
  uint64_t seed = std::random_device{}();
};

enum class Handled { kDelivered, kSkipped, kDeadLettered };

class WebhookSink {
 public:
  using DeadLetterFn = std::function<Status(const DeadLetter&)>;
  using SleepFn = runtime::SleepFn;

  // Error "input.url" for a URL it cannot use.
  static Result<std::unique_ptr<WebhookSink>> create(SinkOptions options, DeliveredStore& store,
                                                     DeadLetterFn dead_letter, SleepFn sleep);
  // Delivers or dead-letters one record. An error (the store or the dead
  // letter could not be written) means: do not commit, stop.
  Result<Handled> handle(const runtime::Record& record);
  const SinkCounters& counters() const { return counters_; }

 private:
  WebhookSink(SinkOptions options, DeliveredStore& store, DeadLetterFn dead_letter, SleepFn sleep);
  Result<Handled> dead_letter(const runtime::Record& record, const std::string& alert_id,
                              std::string reason, std::string detail);

  SinkOptions options_;
  std::string scheme_host_port_;
  std::string path_;
  DeliveredStore& store_;
  DeadLetterFn dead_letter_;
  SleepFn sleep_;
  std::mt19937_64 rng_;
  SinkCounters counters_;
};

// Headers of a dead letter: the runtime's one builder
// (baton/runtime/headers.h), service "notify-webhook".
std::vector<runtime::Header> dead_letter_headers(const DeadLetter& d);

}  // namespace baton::notify
