// One DescribeConsumerGroups request (librdkafka's admin API): the members
// of a consumer group with their client ids and assigned partitions. The
// query listener finds which replica owns a partition from it, as Kafka
// Streams' interactive queries read the group's metadata.
#pragma once

#include <librdkafka/rdkafkacpp.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "baton/runtime/status.h"

namespace baton::runtime::kafka {

struct GroupMember {
  std::string client_id;
  std::string host;
  std::vector<std::pair<std::string, int32_t>> partitions;  // (topic, partition)
};

Result<std::vector<GroupMember>> describe_group(RdKafka::Handle& h, const std::string& group,
                                                int timeout_ms);

}  // namespace baton::runtime::kafka
