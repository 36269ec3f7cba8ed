// The transaction and record collector: the transactional producer, the
// open transaction's bookkeeping, and every record the loop writes.
#include "engine/record_collector.h"

#include "baton/runtime/events.h"
#include "baton/runtime/headers.h"
#include "baton/runtime/log.h"
#include "baton/runtime/retry.h"
#include "engine/admission.h"
#include "engine/fatal.h"
#include "state/overlay.h"

namespace baton::runtime {

namespace {
using std::chrono::milliseconds;
constexpr RetryPolicy kInitRetry{
    .max_attempts = 4, .base = milliseconds(100), .max_delay = milliseconds(1000)};
// Retriable commit errors (a slow coordinator) are retried in place.
constexpr RetryPolicy kCommitRetry{
    .max_attempts = 6, .base = milliseconds(50), .max_delay = milliseconds(1000)};
// Up to 22 producers, each with its own init_transactions retries.
constexpr RetryPolicy kRecreateRetry{.max_attempts = 22,
                                     .base = milliseconds(200),
                                     .max_delay = milliseconds(5000),
                                     .jitter = Jitter::kDecorrelated};

double seconds_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}
}  // namespace

RecordCollector::RecordCollector(const EngineConfig& cfg, RuntimeMetrics& metrics)
    : cfg_(cfg), m_(metrics) {}

Status RecordCollector::create_producer(const std::function<bool()>& stopped) {
  auto p = kafka::TxnProducer::create(cfg_.kafka, cfg_.application_id + "-" + cfg_.instance_id);
  if (!p) return p.error();
  producer_ = std::move(p.value());
  // A refused password or an untrusted certificate never heals: no retry.
  auto e = Retry(kInitRetry, RetryEnv{.stopped = stopped})
               .run([&](int) { return producer_->init(15000); },
                    [&](const kafka::TxnError& e) {
                      return e.kind == kafka::TxnErrorKind::retriable &&
                             producer_->security_failure().empty();
                    },
                    [](const kafka::TxnError& e, int, milliseconds) {
                      log::warn("init_transactions retry", {{"error", e.message}});
                    });
  if (e.ok()) return Status::ok();
  if (auto why = producer_->security_failure(); !why.empty()) return Error{"kafka.security", why};
  return Error{"kafka.init_transactions",
               e.message + " (check bootstrap servers, credentials and TLS settings)"};
}

Status RecordCollector::recreate_producer(const std::function<bool()>& stopped) {
  producer_.reset();
  m_.producer_recreated.Increment();
  auto made =
      Retry(kRecreateRetry, RetryEnv{.stopped = stopped})
          .run([&](int) { return create_producer(stopped); }, [](const Status& s) { return !s; },
               [](const Status& s, int attempt, milliseconds) {
                 log::error("producer recreate failed",
                            {{"error", s.message()}, {"attempt", std::to_string(attempt)}});
               });
  if (!made)
    return fatal_error(Fatal::kProducerRecreate, "producer not recreated: " + made.message());
  return Status::ok();
}

kafka::TxnError RecordCollector::begin() {
  if (open_) return {};
  auto e = producer_->begin();
  if (!e.ok()) return e;
  open_ = true;
  started_ = std::chrono::steady_clock::now();
  return {};
}

bool RecordCollector::batch_full(std::chrono::steady_clock::time_point at) const {
  return open_ && (records_ >= cfg_.commit_max_records || at - started_ >= cfg_.commit_interval);
}

void RecordCollector::consumed(const std::string& topic, int32_t partition, int64_t offset) {
  next_offsets_[{topic, partition}] = offset + 1;
  ++records_;
}

void RecordCollector::emit_raw(const std::string& topic, int32_t partition, const std::string& key,
                               const std::string* value, const std::vector<Header>& headers,
                               int64_t ts_ms) {
  auto e = producer_->produce(topic, partition, key, value, headers, ts_ms);
  if (!e.ok() && pending_error_.ok()) pending_error_ = e;
}

void RecordCollector::produce(const Output& o) {
  if (o.type && cfg_.json_topics.count(o.topic)) {
    if (auto json = to_json(*o.type, o.value)) {
      emit_raw(phys(o.topic), o.partition, o.key, &*json,
               cloudevents_headers(o, cfg_.service, /*json=*/true), to_millis(o.event_time));
      produced_topics_.emplace_back(o.topic, 1);
      return;
    }
  }
  emit_raw(phys(o.topic), o.partition, o.key, &o.value, cloudevents_headers(o, cfg_.service),
           to_millis(o.event_time));
  produced_topics_.emplace_back(o.topic, 1);
}

void RecordCollector::changelog(
    const std::string& topic, int32_t partition,
    const std::map<std::string, std::optional<std::string>, std::less<>>& pending, int64_t ts_ms) {
  for (const auto& [k, v] : pending)
    if (keys::changelogged(k)) emit_raw(topic, partition, k, v ? &*v : nullptr, {}, ts_ms);
}

void RecordCollector::forward(const Record& r, const std::string& repartition_topic,
                              int32_t partition) {
  std::vector<Header> hs = r.headers;
  hs.push_back({std::string(kOriginPartition), std::to_string(r.partition)});
  hs.push_back({std::string(kOriginOffset), std::to_string(r.offset)});
  emit_raw(repartition_topic, partition, r.key, &r.value, hs, r.timestamp_ms);
  if (misplaced_logged_.insert(r.topic).second)
    log::info(
        "input placed by another partitioner than murmur2: moving its records to the "
        "partition that owns their key (one extra hop; see docs/integrating.md)",
        {{"topic", r.topic}, {"repartition_topic", repartition_topic}});
  auto topic = r.topic;
  on_commit_.emplace_back([this, topic] { m_.input_misplaced(topic).Increment(); });
}

void RecordCollector::reject(const Record& in, const Rejection& why, bool owner) {
  if (owner) {
    dead_letter(in, why);
    return;
  }
  auto t = in.topic;
  auto reason = why.reason;
  on_commit_.emplace_back([this, t, reason] { m_.input_skipped(t, reason).Increment(); });
}

void RecordCollector::dead_letter(const Record& in, const Rejection& why) {
  log::warn("dead letter", {{"reason", why.reason},
                            {"topic", in.topic},
                            {"partition", std::to_string(in.partition)},
                            {"offset", std::to_string(in.offset)}});
  Record source = in;
  source.topic = phys(in.topic);
  emit_raw(phys(cfg_.dlq_topic), -1, in.key, &in.value,
           dead_letter_headers(source, why, cfg_.service), in.timestamp_ms);
  auto reason = why.reason;
  auto topic = in.topic;
  on_commit_.emplace_back([this, reason, topic] { m_.dead_letters(reason, topic).Increment(); });
}

kafka::TxnError RecordCollector::commit(RdKafka::KafkaConsumer& consumer) {
  if (!pending_error_.ok()) return pending_error_;
  // Every record of this transaction delivered, or none of it commits: a
  // record lost in a broker failover must not leave its state committed
  // without its output (found by ThreeBroker.KillTransactionCoordinator).
  const auto flush_start = std::chrono::steady_clock::now();
  if (auto e = producer_->flush_and_check(10000); !e.ok()) return e;
  m_.flush_seconds.Observe(seconds_since(flush_start));
  if (!next_offsets_.empty()) {
    const auto offsets_start = std::chrono::steady_clock::now();
    std::vector<RdKafka::TopicPartition*> offs;
    for (const auto& [tp, off] : next_offsets_)
      offs.push_back(RdKafka::TopicPartition::create(tp.first, tp.second, off));
    auto e = producer_->send_offsets(offs, consumer, 10000);
    RdKafka::TopicPartition::destroy(offs);
    if (!e.ok()) return e;
    m_.offsets_seconds.Observe(seconds_since(offsets_start));
  }
  const auto end_start = std::chrono::steady_clock::now();
  auto ended =
      Retry(kCommitRetry)
          .run([&](int) { return producer_->commit(10000); },
               [](const kafka::TxnError& e) { return e.kind == kafka::TxnErrorKind::retriable; },
               [](const kafka::TxnError& e, int, milliseconds) {
                 log::warn("commit retry", {{"error", e.message}});
               });
  if (ended.ok()) m_.end_seconds.Observe(seconds_since(end_start));
  return ended;
}

void RecordCollector::committed(std::chrono::steady_clock::time_point started) {
  auto now_ms = to_millis(cfg_.clock());
  m_.committed.Increment();
  m_.commit_seconds.Observe(seconds_since(started));
  for (auto ts : event_times_ms_)
    m_.processing_latency.Observe(std::max<int64_t>(0, now_ms - ts) / 1000.0);
  for (const auto& [topic, n] : produced_topics_) m_.records_out(topic).Increment(n);
  for (auto& f : on_commit_) {
    try {
      f();
    } catch (...) {
    }
  }
  discard();
}

void RecordCollector::discard() {
  open_ = false;
  records_ = 0;
  next_offsets_.clear();
  event_times_ms_.clear();
  on_commit_.clear();
  produced_topics_.clear();
  pending_error_ = {};
}

void RecordCollector::flush(int timeout_ms) {
  if (producer_) producer_->handle().flush(timeout_ms);
}

}  // namespace baton::runtime
