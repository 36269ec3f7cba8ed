// The consumer's rebalances (eager: everything is revoked, then assigned),
// the lag gauges, and the admin's reads, handed to the task manager.
#include <set>

#include "baton/runtime/log.h"
#include "engine/engine.h"
#include "engine/task.h"

namespace baton::runtime {

void Engine::rebalance_cb(RdKafka::KafkaConsumer* consumer, RdKafka::ErrorCode err,
                          std::vector<RdKafka::TopicPartition*>& partitions) {
  in_rebalance_ = true;
  if (err == RdKafka::ERR__ASSIGN_PARTITIONS) {
    // Before assign(): a partition fetched before its forward is set would
    // put its first records in the consumer's queue, behind later ones.
    std::vector<RdKafka::TopicPartition*> internal;
    for (auto* p : partitions)
      if (auto it = inputs_.find(p->topic()); it != inputs_.end() && it->second.internal)
        internal.push_back(p);
    queues_.route(internal);
    consumer->assign(partitions);
    on_assigned(partitions);
  } else {
    if (err != RdKafka::ERR__REVOKE_PARTITIONS)
      log::error("rebalance error", {{"error", RdKafka::err2str(err)}});
    on_revoked(consumer->assignment_lost());
    consumer->unassign();
  }
  in_rebalance_ = false;
}

void Engine::on_revoked(bool lost) {
  // Revoke commits what is open, so the next owner starts where we stopped.
  // A lost assignment (the session expired: the partitions may have another
  // owner already) commits nothing: the open transaction is aborted, as Kafka
  // Streams closes its tasks dirty when partitions are lost. (The group
  // coordinator would refuse its offsets anyway: the member id is gone.)
  if (collector_.open()) {
    if (lost) {
      kafka::TxnError why;
      why.kind = kafka::TxnErrorKind::abortable;
      why.message = "partitions lost (the group session expired): nothing of it commits";
      recover(why, false);
    } else {
      commit();
    }
  }
  tasks_.revoke();
  m_.assigned_partitions.Set(0);
  log::info("partitions revoked");
}

void Engine::on_assigned(const std::vector<RdKafka::TopicPartition*>& parts) {
  if (failed()) return;  // stopping: the next owner (or the restart) restores
  std::set<TaskManager::TaskKey> wanted;
  for (const auto* p : parts) {
    auto it = inputs_.find(p->topic());
    if (it != inputs_.end()) wanted.insert({it->second.proc, p->partition()});
  }
  auto opened = tasks_.open(wanted);
  if (!opened) return fail(opened.error());
  std::vector<Task*> fresh = std::move(opened.value());
  m_.assigned_partitions.Set(static_cast<double>(parts.size()));
  log::info("partitions assigned", {{"partitions", std::to_string(parts.size())},
                                    {"tasks", std::to_string(fresh.size())}});
  if (auto s = tasks_.restore(fresh); !s)
    return fail(fatal_error(Fatal::kRestore, "restore failed: " + s.message()));
  tasks_.announce(fresh);
  tasks_.mark_assigned();
  timers_.report_pending([this](const auto& fn) { for_each_task(fn); });
}

void Engine::update_lag() {
  std::vector<RdKafka::TopicPartition*> parts;
  if (consumer_->assignment(parts) != RdKafka::ERR_NO_ERROR) return;
  consumer_->position(parts);
  for (auto* p : parts) {
    int64_t lo = 0, hi = 0;
    if (consumer_->get_watermark_offsets(p->topic(), p->partition(), &lo, &hi) !=
            RdKafka::ERR_NO_ERROR ||
        hi < 0 || p->offset() < 0)
      continue;
    m_.consumer_lag(p->topic(), p->partition()).Set(static_cast<double>(hi - p->offset()));
  }
  RdKafka::TopicPartition::destroy(parts);
  timers_.report_pending([this](const auto& fn) { for_each_task(fn); });
}

std::string Engine::status_json() const { return tasks_.status_json(); }

std::optional<std::string> Engine::lookup(std::string_view processor, std::string_view key) const {
  return tasks_.lookup(processor, key);
}

void Engine::scan(std::string_view processor, std::string_view prefix, const ScanFn& fn) const {
  tasks_.scan(processor, prefix, fn);
}

std::set<int32_t> Engine::scan_tasks(
    std::string_view processor, std::string_view prefix,
    const std::function<void(int32_t, std::string_view, std::string_view)>& fn) const {
  return tasks_.scan_tasks(processor, prefix, fn);
}

}  // namespace baton::runtime
