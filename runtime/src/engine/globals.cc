#include "engine/globals.h"

#include <chrono>
#include <set>

#include "baton/runtime/log.h"
#include "baton/runtime/processor.h"

namespace baton::runtime {

Status GlobalTables::bootstrap(const kafka::Props& props, const std::vector<std::string>& topics,
                               const std::string& prefix, int timeout_ms) {
  topics_ = topics;
  prefix_ = prefix;
  if (topics.empty()) return Status::ok();
  auto group = props.count("group.id") ? props.at("group.id") : std::string();
  auto opened = kafka::open_replay_consumer(props, group + "-global");
  if (!opened) return opened.error();
  consumer_ = std::move(opened.value());
  std::vector<RdKafka::TopicPartition*> parts;
  std::set<std::pair<std::string, int>> pending;
  for (const auto& t : topics) {
    auto n = kafka::partition_count(*consumer_, t, timeout_ms);
    if (!n) return n.error();
    for (int i = 0; i < *n; ++i) {
      parts.push_back(RdKafka::TopicPartition::create(t, i, RdKafka::Topic::OFFSET_BEGINNING));
      pending.insert({t, i});
    }
  }
  auto rc = consumer_->assign(parts);
  RdKafka::TopicPartition::destroy(parts);
  if (rc != RdKafka::ERR_NO_ERROR) return Error{"kafka.assign", RdKafka::err2str(rc)};
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (!pending.empty()) {
    if (std::chrono::steady_clock::now() > deadline)
      return Error{"kafka.global_bootstrap", "global tables did not reach their end in time"};
    std::unique_ptr<RdKafka::Message> m(consumer_->consume(100));
    if (m->err() == RdKafka::ERR__PARTITION_EOF)
      pending.erase({m->topic_name(), m->partition()});
    else if (m->err() == RdKafka::ERR_NO_ERROR)
      apply(*m);
  }
  log::info("global tables loaded", {{"topics", std::to_string(topics.size())}});
  return Status::ok();
}

void GlobalTables::poll() {
  if (!consumer_) return;
  for (int i = 0; i < 500; ++i) {
    std::unique_ptr<RdKafka::Message> m(consumer_->consume(0));
    if (m->err() == RdKafka::ERR_NO_ERROR)
      apply(*m);
    else if (m->err() != RdKafka::ERR__PARTITION_EOF)
      break;
  }
}

void GlobalTables::close() {
  if (consumer_) consumer_->close();
  consumer_.reset();
}

void GlobalTables::apply(RdKafka::Message& m) {
  const std::string name = m.topic_name().substr(prefix_.size());
  auto& table = tables_[name];
  versions_[name] = next_global_version();
  std::string key = m.key() ? *m.key() : std::string();
  if (m.payload() == nullptr)
    table.erase(key);
  else
    table[key] = std::string(static_cast<const char*>(m.payload()), m.len());
}

std::optional<std::string> GlobalTables::get(std::string_view topic, std::string_view key) const {
  auto t = tables_.find(topic);
  if (t == tables_.end()) return std::nullopt;
  auto it = t->second.find(key);
  if (it == t->second.end()) return std::nullopt;
  return it->second;
}

uint64_t GlobalTables::version(std::string_view topic) const {
  auto it = versions_.find(topic);
  return it == versions_.end() ? 0 : it->second;
}

void GlobalTables::scan(std::string_view topic, const ScanFn& fn) const {
  auto t = tables_.find(topic);
  if (t == tables_.end()) return;
  for (const auto& [k, v] : t->second)
    if (!fn(k, v)) return;
}

}  // namespace baton::runtime
