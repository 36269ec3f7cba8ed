// Consumed records into the exactly-once loop: admission by the topic's
// contract (admission.h), the move of a record to the partition that owns its
// key, processing by the task, and dead letters (or a skip, for a shared
// topic another service owns) through the record collector.
#include <librdkafka/rdkafka.h>

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
  // Read in place through the C API: the C++ Headers copy every header twice.
  rd_kafka_headers_t* hs = nullptr;
  if (rd_kafka_message_headers(m.c_ptr(), &hs) == RD_KAFKA_RESP_ERR_NO_ERROR && hs) {
    const char* name = nullptr;
    const void* value = nullptr;
    size_t size = 0;
    for (size_t i = 0;
         rd_kafka_header_get_all(hs, i, &name, &value, &size) == RD_KAFKA_RESP_ERR_NO_ERROR; ++i)
      r.headers.push_back(
          Header{name, value ? std::string(static_cast<const char*>(value), size) : std::string()});
  }
  return r;
}

void Engine::handle_message(RdKafka::Message& m, TimePoint now) {
  auto pit = inputs_.find(m.topic_name());
  if (pit == inputs_.end()) return;
  const InputTopic& topic = pit->second;
  if (!ensure_txn()) return;
  Record r = to_record(m, topic);
  // Repartition topics are named by the application id, not the prefix.
  topic.records_in->Increment();
  collector_.consumed(m.topic_name(), m.partition(), m.offset());
  // A JSON record is handed on as protobuf; its dead letter keeps what was sent.
  std::optional<Record> sent;
  if (const auto* ct = r.header("content-type"); ct && ct->find("json") != std::string::npos)
    sent = r;
  if (auto bad = admit(r, topic.contract, now, {}, &admission_arena_)) {
    collector_.reject(r, *bad, topic.contract.owner);
    return;
  }
  const size_t proc = topic.proc;
  if (!topic.internal && !topic.repartition && !r.key.empty()) {
    const int32_t owner = partition_of(r.key, proc_partitions_[proc]);
    if (owner != m.partition()) {
      if (sent) sent->key = r.key;  // moved as sent: a later dead letter keeps the JSON
      collector_.forward(sent ? *sent : r, topic.repartition_to, owner);
      return;
    }
  }
  Task* t = tasks_.find(proc, m.partition());
  if (!t) {
    // Cannot happen with co-partitioned inputs under one eager assignment.
    collector_.reject(
        r, Rejection{"no_task", "no task for partition " + std::to_string(m.partition())},
        topic.contract.owner);
    return;
  }
  TaskView view = t->view(globals_);
  try {
    auto res = t->processor->on_record(r, view, now);
    if (!res)
      collector_.reject(sent ? *sent : r, res.error(), topic.contract.owner);
    else
      apply(*t, std::move(res.value()), &r, now);
  } catch (const std::exception& e) {
    collector_.reject(sent ? *sent : r, Rejection{"processor_exception", e.what()},
                      topic.contract.owner);
  }
  if (r.timestamp_ms > 0) collector_.event_time(r.timestamp_ms);
}

void Engine::apply(Task& t, Effects&& fx, const Record* in, TimePoint now) {
  if (!t.apply_state(fx, in, to_millis(now), cfg_.dedup_window)) {
    m_.duplicates.Increment();
    return;
  }
  for (auto& o : fx.outputs) {
    if (o.event_time == TimePoint{}) o.event_time = now;
    collector_.produce(o);
  }
  for (auto& f : fx.on_commit) collector_.on_commit(std::move(f));
}

TimerService::Txn Engine::timer_txn() {
  return {.begin = [this] { return ensure_txn(); },
          .apply = [this](Task& t, Effects&& fx,
                          TimePoint now) { apply(t, std::move(fx), nullptr, now); },
          .fired = [this] { collector_.counted(); }};
}

}  // namespace baton::runtime
