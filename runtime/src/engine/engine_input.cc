// Consumed records into the exactly-once loop: admission by the topic's
// contract (admission.h), the move of a record to the partition that owns its
// key, processing by the task, and dead letters (or a skip, for a shared
// topic another service owns).
#include "baton/runtime/headers.h"
#include "baton/runtime/log.h"
#include "engine/admission.h"
#include "engine/engine.h"
#include "engine/task.h"

namespace baton::runtime {

Record Engine::to_record(RdKafka::Message& m, const InputTopic& in) const {
  Record r;
  r.topic = in.logical;
  r.partition = m.partition();
  r.offset = m.offset();
  if (m.key()) r.key = *m.key();
  if (m.payload()) r.value.assign(static_cast<const char*>(m.payload()), m.len());
  r.timestamp_ms = m.timestamp().timestamp;
  // A moved record keeps the baton.origin.* headers naming where its producer
  // put it: its dead letter reports that place (dead_letter_headers).
  if (auto* hs = m.headers()) {
    for (const auto& h : hs->get_all())
      r.headers.push_back(Header{h.key(), std::string(static_cast<const char*>(h.value()),
                                                      h.value() ? h.value_size() : 0)});
  }
  return r;
}

void Engine::handle_message(RdKafka::Message& m) {
  auto pit = inputs_.find(m.topic_name());
  if (pit == inputs_.end()) return;
  const InputTopic& topic = pit->second;
  if (!ensure_txn()) return;
  Record r = to_record(m, topic);
  // Repartition topics are named by the application id, not the prefix.
  m_.records_in(topic.repartition ? m.topic_name()
                                  : m.topic_name().substr(cfg_.topic_prefix.size()))
      .Increment();
  next_offsets_[{m.topic_name(), m.partition()}] = m.offset() + 1;
  ++txn_records_;
  auto now = cfg_.clock();
  // A JSON record is handed on as protobuf; its dead letter keeps what was sent.
  std::optional<Record> sent;
  if (const auto* ct = r.header("content-type"); ct && ct->find("json") != std::string::npos)
    sent = r;
  if (auto bad = admit(r, topic.contract, now)) {
    reject(r, *bad, topic);
    return;
  }
  const size_t proc = topic.proc;
  if (!topic.internal && !topic.repartition && !r.key.empty()) {
    const int32_t owner = partition_of(r.key, proc_partitions_[proc]);
    if (owner != m.partition()) {
      if (sent) sent->key = r.key;  // moved as sent: a later dead letter keeps the JSON
      forward(sent ? *sent : r, topic, owner);
      return;
    }
  }
  Task* t = nullptr;
  {
    std::shared_lock lk(tasks_mu_);
    auto it = tasks_.find({proc, m.partition()});
    if (it != tasks_.end()) t = it->second.get();
  }
  if (!t) {
    // Cannot happen with co-partitioned inputs under one eager assignment.
    reject(r, Rejection{"no_task", "no task for partition " + std::to_string(m.partition())},
           topic);
    return;
  }
  TaskView view(*t->overlay, globals_, *procs_[t->proc]);
  try {
    auto res = procs_[t->proc]->on_record(r, view, now);
    if (!res)
      reject(sent ? *sent : r, res.error(), topic);
    else
      apply(*t, std::move(res.value()), &r, now);
  } catch (const std::exception& e) {
    reject(sent ? *sent : r, Rejection{"processor_exception", e.what()}, topic);
  }
  if (r.timestamp_ms > 0) txn_event_times_ms_.push_back(r.timestamp_ms);
}

void Engine::forward(const Record& r, const InputTopic& in, int32_t partition) {
  std::vector<Header> hs = r.headers;
  hs.push_back({std::string(kOriginPartition), std::to_string(r.partition)});
  hs.push_back({std::string(kOriginOffset), std::to_string(r.offset)});
  emit_raw(in.repartition_to, partition, r.key, &r.value, hs, r.timestamp_ms);
  if (misplaced_logged_.insert(r.topic).second)
    log::info(
        "input placed by another partitioner than murmur2: moving its records to the "
        "partition that owns their key (one extra hop; see docs/integrating.md)",
        {{"topic", r.topic}, {"repartition_topic", in.repartition_to}});
  auto topic = r.topic;
  on_commit_.push_back([this, topic] { m_.input_misplaced(topic).Increment(); });
}

void Engine::reject(const Record& in, const Rejection& why, const InputTopic& topic) {
  if (topic.contract.owner) {
    dead_letter(in, why);
    return;
  }
  auto t = in.topic;
  auto reason = why.reason;
  on_commit_.push_back([this, t, reason] { m_.input_skipped(t, reason).Increment(); });
}

void Engine::dead_letter(const Record& in, const Rejection& why) {
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
  on_commit_.push_back([this, reason, topic] { m_.dead_letters(reason, topic).Increment(); });
}

}  // namespace baton::runtime
