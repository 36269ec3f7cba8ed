#include "kafka/describe_group.h"

#include <librdkafka/rdkafka.h>

#include "kafka/admin_handles.h"

namespace baton::runtime::kafka {

Result<std::vector<GroupMember>> describe_group(RdKafka::Handle& h, const std::string& group,
                                                int timeout_ms) {
  rd_kafka_t* rk = h.c_ptr();
  const char* groups[] = {group.c_str()};
  EventPtr event = admin_request(rk, RD_KAFKA_ADMIN_OP_DESCRIBECONSUMERGROUPS, timeout_ms,
                                 [&](auto* options, auto* queue) {
                                   rd_kafka_DescribeConsumerGroups(rk, groups, 1, options, queue);
                                 });
  if (!event)
    return Error{"kafka.describe_group",
                 "no DescribeConsumerGroups reply within " + std::to_string(timeout_ms) + " ms"};
  if (auto e = rd_kafka_event_error(event.get()); e != RD_KAFKA_RESP_ERR_NO_ERROR) {
    const char* text = rd_kafka_event_error_string(event.get());
    return Error{"kafka.describe_group", text ? text : rd_kafka_err2str(e)};
  }
  const auto* res = rd_kafka_event_DescribeConsumerGroups_result(event.get());
  size_t n = 0;
  const rd_kafka_ConsumerGroupDescription_t** descs =
      rd_kafka_DescribeConsumerGroups_result_groups(res, &n);
  std::vector<GroupMember> out;
  for (size_t i = 0; i < n; ++i) {
    if (const rd_kafka_error_t* e = rd_kafka_ConsumerGroupDescription_error(descs[i]))
      return Error{"kafka.describe_group", rd_kafka_error_string(e)};
    const size_t members = rd_kafka_ConsumerGroupDescription_member_count(descs[i]);
    for (size_t m = 0; m < members; ++m) {
      const auto* md = rd_kafka_ConsumerGroupDescription_member(descs[i], m);
      GroupMember gm;
      if (const char* c = rd_kafka_MemberDescription_client_id(md)) gm.client_id = c;
      if (const char* hst = rd_kafka_MemberDescription_host(md)) gm.host = hst;
      const auto* assignment = rd_kafka_MemberDescription_assignment(md);
      const auto* parts = assignment ? rd_kafka_MemberAssignment_partitions(assignment) : nullptr;
      for (int p = 0; parts && p < parts->cnt; ++p)
        gm.partitions.emplace_back(parts->elems[p].topic, parts->elems[p].partition);
      out.push_back(std::move(gm));
    }
  }
  return out;
}

}  // namespace baton::runtime::kafka
