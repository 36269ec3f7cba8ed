#include "kafka/create_topics.h"

#include <librdkafka/rdkafka.h>

#include <memory>

#include "kafka/admin_handles.h"

namespace baton::runtime::kafka {

namespace {
struct NewTopicFree {
  void operator()(rd_kafka_NewTopic_t* t) const { rd_kafka_NewTopic_destroy(t); }
};
}  // namespace

Result<CreateTopicsReply> create_topics(RdKafka::Handle& h, const std::vector<NewTopic>& topics,
                                        int timeout_ms) {
  CreateTopicsReply reply;
  if (topics.empty()) return reply;
  rd_kafka_t* rk = h.c_ptr();
  char errstr[512];
  std::vector<std::unique_ptr<rd_kafka_NewTopic_t, NewTopicFree>> owned;
  std::vector<rd_kafka_NewTopic_t*> raw;
  for (const auto& spec : topics) {
    owned.emplace_back(rd_kafka_NewTopic_new(spec.name.c_str(), spec.partitions,
                                             spec.replication_factor, errstr, sizeof errstr));
    if (!owned.back()) return Error{"input.topic", "topic " + spec.name + ": " + errstr};
    for (const auto& [k, v] : spec.config) {
      if (auto e = rd_kafka_NewTopic_set_config(owned.back().get(), k.c_str(), v.c_str()))
        return Error{"input.topic",
                     "topic " + spec.name + " config " + k + ": " + rd_kafka_err2str(e)};
    }
    raw.push_back(owned.back().get());
  }
  EventPtr event = admin_request(
      rk, RD_KAFKA_ADMIN_OP_CREATETOPICS, timeout_ms, [&](auto* options, auto* queue) {
        rd_kafka_CreateTopics(rk, raw.data(), raw.size(), options, queue);
      });
  if (!event) {
    reply.err = RdKafka::ERR__TIMED_OUT;
    reply.message = "no CreateTopics reply within " + std::to_string(timeout_ms) + " ms";
    return reply;
  }
  if (auto top = rd_kafka_event_error(event.get()); top != RD_KAFKA_RESP_ERR_NO_ERROR) {
    reply.err = static_cast<RdKafka::ErrorCode>(top);
    const char* text = rd_kafka_event_error_string(event.get());
    reply.message = text ? text : rd_kafka_err2str(top);
    return reply;
  }
  const auto* res = rd_kafka_event_CreateTopics_result(event.get());
  size_t n = 0;
  const rd_kafka_topic_result_t** trs = rd_kafka_CreateTopics_result_topics(res, &n);
  for (size_t i = 0; i < n; ++i) {
    auto e = rd_kafka_topic_result_error(trs[i]);
    const char* text = rd_kafka_topic_result_error_string(trs[i]);
    reply.topics.push_back({rd_kafka_topic_result_name(trs[i]), static_cast<RdKafka::ErrorCode>(e),
                            text ? text : rd_kafka_err2str(e)});
  }
  return reply;
}

}  // namespace baton::runtime::kafka
