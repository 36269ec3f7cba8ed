#include "engine/engine.h"

#include <optional>
#include <set>

#include "baton/runtime/headers.h"
#include "baton/runtime/log.h"
#include "engine/task.h"

namespace baton::runtime {

Engine::Engine(EngineConfig cfg, std::vector<std::unique_ptr<Processor>> processors,
               RuntimeMetrics& metrics)
    : cfg_(std::move(cfg)),
      procs_(std::move(processors)),
      m_(metrics),
      collector_(cfg_, m_),
      tasks_(cfg_, procs_, globals_, m_),
      timers_(cfg_.timer_tick, cfg_.timers_per_tick, globals_, m_) {}

Engine::~Engine() = default;

Status Engine::start() {
  if (auto s = collector_.create_producer([this] { return stop_.load(); }); !s) return s;
  std::vector<std::string> subscribe;
  std::vector<std::string> global_topics;
  // Internal topics first, sized like the inputs of the processor that owns them.
  std::set<std::string> internal;
  for (const auto& p : procs_)
    for (const auto& t : p->internal_topics()) internal.insert(t);
  for (const auto& p : procs_) {
    if (p->internal_topics().empty()) continue;
    int parts = -1;
    for (const auto& t : p->input_topics()) {
      if (internal.count(t)) continue;
      auto n = kafka::partition_count(collector_.producer().handle(), phys(t), 10000);
      if (!n) return n.error();
      parts = *n;
      break;
    }
    if (parts < 0)
      return Error{"topics.internal",
                   "processor '" + p->name() + "' has internal topics but no external input"};
    for (const auto& t : p->internal_topics())
      if (auto s = kafka::ensure_topic(collector_.producer().handle(), phys(t), parts, {}, 10000);
          !s)
        return s;
  }
  for (size_t i = 0; i < procs_.size(); ++i) {
    int parts = -1;
    for (const auto& logical : procs_[i]->input_topics()) {
      auto t = phys(logical);
      auto n = kafka::partition_count(collector_.producer().handle(), t, 10000);
      if (!n) return n.error();
      if (parts >= 0 && *n != parts)
        return Error{"topics.copartition", "input topics of processor '" + procs_[i]->name() +
                                               "' must have the same partition count; '" + t +
                                               "' has " + std::to_string(*n) + ", expected " +
                                               std::to_string(parts) + " (create it with " +
                                               std::to_string(parts) +
                                               " partitions, or alter the others to match)"};
      parts = *n;
      if (inputs_.count(t))
        return Error{"topics.shared", "topic '" + t + "' is an input of two processors"};
      InputTopic in;
      in.proc = i;
      in.logical = logical;
      in.contract = procs_[i]->input_contract(logical);
      in.internal = internal.count(logical) > 0;
      if (!in.internal) in.repartition_to = cfg_.application_id + "-" + logical + "-repartition";
      // Counters exist from the start, at 0: rate() works before the first move.
      if (!in.internal) m_.input_misplaced(logical);
      inputs_[t] = std::move(in);
      subscribe.push_back(t);
    }
    proc_partitions_[i] = parts;
    // Compacted, in 64 MiB segments so the cleaner can compact all but the
    // newest 64 MiB (restore reads the latest value per key, not history).
    if (auto s = kafka::ensure_topic(
            collector_.producer().handle(), tasks_.changelog_topic(i), parts,
            {{"cleanup.policy", "compact"}, {"segment.bytes", "67108864"}}, 10000);
        !s)
      return s;
    if (auto s = create_repartition_topics(i, parts); !s) return s;
    for (auto& [t, in] : inputs_)
      if (in.proc == i) in.records_in = &m_.records_in(in.repartition ? t : in.logical);
    for (const auto& g : procs_[i]->global_topics()) global_topics.push_back(phys(g));
  }
  // Dead letters keep the raw bad record (it can hold PII that erasure does
  // not reach): a short retention, 7 days unless configured.
  if (auto s = kafka::ensure_topic(collector_.producer().handle(), phys(cfg_.dlq_topic), 1,
                                   {{"retention.ms", std::to_string(cfg_.dlq_retention.count())}},
                                   10000);
      !s)
    return s;
  kafka::Props gp = cfg_.kafka;
  gp["group.id"] = cfg_.application_id;
  if (auto s = globals_.bootstrap(gp, global_topics, cfg_.topic_prefix, 60000); !s) return s;

  kafka::Props cp = cfg_.kafka;
  cp["group.id"] = cfg_.application_id;
  // Eager and range, whatever kafka.properties says: range keeps partition p
  // of every co-partitioned input on one instance (docs/adr/0001).
  cp["partition.assignment.strategy"] = "range";
  cp["isolation.level"] = "read_committed";
  cp["enable.auto.commit"] = "false";
  cp["enable.auto.offset.store"] = "false";
  cp.try_emplace("auto.offset.reset", "earliest");
  cp.try_emplace("session.timeout.ms", "6000");
  cp.try_emplace("heartbeat.interval.ms", "1000");
  cp.try_emplace("max.poll.interval.ms", "300000");
  // Prefetch at most 16 MiB (librdkafka's default is 64 MiB): with a backlog
  // the queue is always full, and it is memory the service holds for nothing
  // (a 1,000-record batch is well under 1 MiB). kafka.properties may raise it.
  cp.try_emplace("queued.max.messages.kbytes", kafka::kPrefetchKbytes);
  auto conf = kafka::make_conf(cp);
  if (!conf) return conf.error();
  std::string err;
  if ((*conf)->set("rebalance_cb", static_cast<RdKafka::RebalanceCb*>(this), err) !=
      RdKafka::Conf::CONF_OK)
    return Error{"kafka.config", err};
  consumer_.reset(RdKafka::KafkaConsumer::create(conf->get(), err));
  if (!consumer_) return Error{"kafka.consumer", err};
  if (auto s = queues_.open(*consumer_, !internal.empty()); !s) return s;
  for (const auto& [topic, in] : inputs_)
    if (in.repartition) subscribe.push_back(topic);
  auto rc = consumer_->subscribe(subscribe);
  if (rc != RdKafka::ERR_NO_ERROR) return Error{"kafka.subscribe", RdKafka::err2str(rc)};
  log::info("engine started", {{"group", cfg_.application_id},
                               {"instance", cfg_.instance_id},
                               {"topics", std::to_string(subscribe.size())}});
  return Status::ok();
}

// Every external input gets a repartition topic with the processor's
// partition count: a record its producer placed on another partition than
// murmur2(key) moves there, inside the transaction that consumes it.
Status Engine::create_repartition_topics(size_t proc, int partitions) {
  std::vector<std::pair<std::string, InputTopic>> made;
  for (const auto& [topic, in] : inputs_) {
    if (in.proc != proc || in.repartition_to.empty()) continue;
    if (auto s = kafka::ensure_topic(collector_.producer().handle(), in.repartition_to, partitions,
                                     {}, 10000);
        !s)
      return s;
    InputTopic r = in;
    r.repartition = true;
    r.repartition_to.clear();
    made.emplace_back(in.repartition_to, std::move(r));
  }
  for (auto& [topic, in] : made) inputs_[topic] = std::move(in);
  return Status::ok();
}

Status Engine::run() {
  while (!stop_.load()) loop_once();
  if (failed()) {
    // Nothing of the open transaction commits; a restart restores.
    log::info("stopping after an unrecoverable error: leaving the group");
    if (collector_.open() && collector_.has_producer()) collector_.abort(5000);
    discard_open();
  } else {
    log::info("shutting down: committing and leaving the group");
    if (collector_.open()) commit();
  }
  consumer_->close();  // revokes (commits nothing left open) and leaves the group
  globals_.close();
  collector_.flush(5000);
  tasks_.mark_not_ready();
  return fatal_;
}

void Engine::loop_once() {
  auto steady = std::chrono::steady_clock::now;
  bool drained = false;
  // One clock reading per batch, taken when its first record arrives: every
  // record of the batch is processed at that `now` (issue 18 point 4).
  std::optional<TimePoint> batch_now;
  std::chrono::steady_clock::time_point batch_at;
  for (int i = 0; i < 1000; ++i) {
    std::unique_ptr<RdKafka::Message> msg = queues_.next(i == 0);
    if (failed()) return;  // a rebalance callback met an unrecoverable error
    auto err = msg->err();
    if (err == RdKafka::ERR__TIMED_OUT || err == RdKafka::ERR__PARTITION_EOF) {
      drained = true;
      break;
    }
    if (err != RdKafka::ERR_NO_ERROR) {
      log::warn("consumer error", {{"error", msg->errstr()}});
      if (err == RdKafka::ERR__FATAL) stop();
      break;
    }
    if (!batch_now) {
      batch_now = cfg_.clock();
      batch_at = steady();
    }
    handle_message(*msg, *batch_now);
    if (failed()) return;
    // Commit on time even inside a large batch (at most 1,000 records, read
    // at one clock reading): a transaction open past the broker's
    // transaction timeout would be aborted and fenced.
    if (collector_.batch_full(batch_at)) break;
  }
  // Timers and purges at the batch's reading too; an idle loop reads the clock.
  const TimePoint now = batch_now ? *batch_now : cfg_.clock();
  globals_.poll();
  timers_.on_tick(
      now, [this](const auto& fn) { for_each_task(fn); }, timer_txn());
  if (now - last_dedup_purge_ >= std::chrono::seconds(1)) {
    last_dedup_purge_ = now;
    tasks_.for_each([&](Task& t) { expire_dedup(*t.overlay, to_millis(now), 1000); });
  }
  if (collector_.batch_full() || (collector_.open() && cfg_.commit_when_idle && drained)) commit();
  if (failed()) return;
  if (steady() - last_lag_ >= std::chrono::seconds(5)) {
    last_lag_ = steady();
    update_lag();
  }
  collector_.poll();
}

}  // namespace baton::runtime
