// The other replicas of this service, found from the consumer group's
// metadata (as Kafka Streams' interactive queries do): every engine's
// consumer carries its query listener's address in its client id
// ("baton@host:port"), and DescribeConsumerGroups lists each member with the
// partitions it owns. Cached for a second; refreshed on demand.
#pragma once

#include <librdkafka/rdkafkacpp.h>

#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "baton/runtime/status.h"
#include "kafka/conf.h"

namespace baton::runtime::query {

struct Peer {
  std::string endpoint;          // host:port of its query listener
  std::set<int32_t> partitions;  // co-partitioned inputs: one set for every topic
};

struct Members {
  std::vector<Peer> peers;  // every member but this one
  int32_t partitions = 0;   // the group's partition count (highest assigned + 1)
};

// The client id that advertises a query endpoint, and back.
std::string client_id_for(const std::string& endpoint);
std::optional<std::string> endpoint_of(const std::string& client_id);

class PeerDirectory {
 public:
  // props: the engine's librdkafka properties (bootstrap, security).
  static Result<std::unique_ptr<PeerDirectory>> open(const kafka::Props& props, std::string group);
  Result<Members> members();
  void set_self(std::string self) {
    std::lock_guard lk(mu_);
    self_ = std::move(self);
  }

 private:
  PeerDirectory(std::unique_ptr<RdKafka::Producer> handle, std::string group)
      : handle_(std::move(handle)), group_(std::move(group)) {}
  std::unique_ptr<RdKafka::Producer> handle_;
  std::string group_, self_;
  std::mutex mu_;
  std::optional<Members> cached_;
  std::chrono::steady_clock::time_point cached_at_{};
};

}  // namespace baton::runtime::query
