// One CreateTopics request over librdkafka's admin API, bounded by a
// timeout: the plumbing under the engine's ensure_topic and the client
// library's Admin::create_topics, which each map the reply to their errors.
#pragma once

#include <librdkafka/rdkafkacpp.h>

#include <string>
#include <vector>

#include "baton/runtime/status.h"
#include "kafka/conf.h"

namespace baton::runtime::kafka {

struct NewTopic {
  std::string name;
  int partitions = 1;
  int replication_factor = -1;  // -1: the broker's default
  Props config;                 // e.g. cleanup.policy=compact
};

struct CreateTopicsReply {
  struct Topic {
    std::string name;
    RdKafka::ErrorCode err = RdKafka::ERR_NO_ERROR;  // TOPIC_ALREADY_EXISTS is kept as such
    std::string message;
  };
  // The request's own outcome: ERR__TIMED_OUT when no reply came in time.
  RdKafka::ErrorCode err = RdKafka::ERR_NO_ERROR;
  std::string message;
  std::vector<Topic> topics;
};

// Error (code "input.topic") only when librdkafka rejects a topic's spec.
Result<CreateTopicsReply> create_topics(RdKafka::Handle& h, const std::vector<NewTopic>& topics,
                                        int timeout_ms);

}  // namespace baton::runtime::kafka
