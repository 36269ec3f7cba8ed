// Global tables: compacted reference topics (rep roster, accounts)
// materialised in memory on every instance, kept current while running.
#pragma once

#include <librdkafka/rdkafkacpp.h>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "baton/runtime/status.h"
#include "kafka/conf.h"
#include "state/task_store.h"

namespace baton::runtime {

class GlobalTables {
 public:
  // Reads every partition of the topics to their end (read_committed).
  // Tables are named by the topic without `prefix`.
  Status bootstrap(const kafka::Props& props, const std::vector<std::string>& topics,
                   const std::string& prefix, int timeout_ms);
  // Applies updates that arrived since; non-blocking.
  void poll();
  void close();
  std::optional<std::string> get(std::string_view topic, std::string_view key) const;
  void scan(std::string_view topic, const ScanFn& fn) const;
  // Bumped (next_global_version) by every record applied to the table.
  uint64_t version(std::string_view topic) const;
  bool empty() const { return topics_.empty(); }

 private:
  void apply(RdKafka::Message& m);
  std::unique_ptr<RdKafka::KafkaConsumer> consumer_;
  std::vector<std::string> topics_;
  std::string prefix_;
  std::map<std::string, std::map<std::string, std::string, std::less<>>, std::less<>> tables_;
  std::map<std::string, uint64_t, std::less<>> versions_;
};

}  // namespace baton::runtime
