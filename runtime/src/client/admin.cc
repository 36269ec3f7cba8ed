// Topic administration over librdkafka's admin API (bounded by timeouts).
#include <algorithm>

#include "client/client_internal.h"
#include "kafka/admin_handles.h"
#include "kafka/create_topics.h"

namespace baton::runtime::client {

struct Admin::Impl {
  ClientConfig config;
  detail::EventSink sink;
  std::unique_ptr<RdKafka::Producer> handle;
};

Admin::Admin(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Admin::~Admin() = default;

Result<std::unique_ptr<Admin>> Admin::connect(const ClientConfig& config) {
  auto impl = std::make_unique<Impl>();
  impl->config = config;
  auto conf = detail::make_conf(config, &impl->sink);
  if (!conf) return conf.error();
  std::string err;
  impl->handle.reset(RdKafka::Producer::create(conf->get(), err));
  if (!impl->handle) return Error{"kafka.config", "cannot create admin client: " + err};
  return std::unique_ptr<Admin>(new Admin(std::move(impl)));
}

Status Admin::ping() {
  auto md = detail::fetch_metadata(*impl_->handle, impl_->config, &impl_->sink);
  if (!md) return md.error();
  if ((*md)->brokers()->empty())
    return Error{"kafka.unreachable",
                 "no broker listed in metadata from " + impl_->config.bootstrap};
  return Status::ok();
}

Result<std::vector<std::string>> Admin::list_topics() {
  auto md = detail::fetch_metadata(*impl_->handle, impl_->config, &impl_->sink);
  if (!md) return md.error();
  std::vector<std::string> names;
  for (const auto* t : *(*md)->topics()) {
    if (t->topic().rfind("__", 0) == 0) continue;
    names.push_back(t->topic());
  }
  std::sort(names.begin(), names.end());
  return names;
}

Result<int> Admin::partition_count(const std::string& topic) {
  auto md = detail::fetch_metadata(*impl_->handle, impl_->config, &impl_->sink);
  if (!md) return md.error();
  for (const auto* t : *(*md)->topics()) {
    if (t->topic() != topic) continue;
    if (t->err() == RdKafka::ERR_UNKNOWN_TOPIC_OR_PART) break;
    if (t->err() != RdKafka::ERR_NO_ERROR && t->partitions()->empty())
      return Error{"kafka.error", "topic " + topic + ": " + RdKafka::err2str(t->err())};
    return static_cast<int>(t->partitions()->size());
  }
  return Error{"kafka.unknown_topic",
               "topic " + topic + " does not exist (run `baton topics create`)"};
}

Result<std::vector<TopicCreated>> Admin::create_topics(const std::vector<TopicSpec>& topics) {
  if (topics.empty()) return std::vector<TopicCreated>{};
  const int timeout_ms = static_cast<int>(impl_->config.timeout.count());
  std::vector<kafka::NewTopic> specs;
  specs.reserve(topics.size());
  for (const auto& t : topics)
    specs.push_back(
        {t.name, t.partitions, t.replication_factor, {t.config.begin(), t.config.end()}});
  auto reply = kafka::create_topics(*impl_->handle, specs, timeout_ms);
  if (!reply) return reply.error();

  std::vector<TopicCreated> results;
  Status failure;
  if (reply->err != RdKafka::ERR_NO_ERROR) {
    failure = detail::to_error(reply->err, "create topics", impl_->config, &impl_->sink);
  } else {
    for (const auto& t : reply->topics) {
      if (t.err == RdKafka::ERR_NO_ERROR || t.err == RdKafka::ERR_TOPIC_ALREADY_EXISTS) {
        results.push_back({t.name, t.err == RdKafka::ERR_NO_ERROR, 0});
        continue;
      }
      failure = Error{detail::is_unreachable(t.err) ? "kafka.unreachable" : "kafka.error",
                      "create topic " + t.name + ": " + t.message};
      break;
    }
  }
  if (!failure) return failure.error();

  // Report the partition count now on the broker (existing topics keep theirs).
  auto md = detail::fetch_metadata(*impl_->handle, impl_->config, &impl_->sink);
  if (md) {
    for (auto& r : results)
      for (const auto* t : *(*md)->topics())
        if (t->topic() == r.name) r.partitions = static_cast<int>(t->partitions()->size());
  }
  return results;
}

Status Admin::delete_topics(const std::vector<std::string>& names) {
  if (names.empty()) return Status::ok();
  struct DeleteTopicFree {
    void operator()(rd_kafka_DeleteTopic_t* t) const { rd_kafka_DeleteTopic_destroy(t); }
  };
  rd_kafka_t* rk = impl_->handle->c_ptr();
  const int timeout_ms = static_cast<int>(impl_->config.timeout.count());
  std::vector<std::unique_ptr<rd_kafka_DeleteTopic_t, DeleteTopicFree>> owned;
  std::vector<rd_kafka_DeleteTopic_t*> raw;
  owned.reserve(names.size());
  raw.reserve(names.size());
  for (const auto& n : names) {
    owned.emplace_back(rd_kafka_DeleteTopic_new(n.c_str()));
    raw.push_back(owned.back().get());
  }
  kafka::EventPtr event = kafka::admin_request(
      rk, RD_KAFKA_ADMIN_OP_DELETETOPICS, timeout_ms, [&](auto* options, auto* queue) {
        rd_kafka_DeleteTopics(rk, raw.data(), raw.size(), options, queue);
      });
  if (!event)
    return Error{"kafka.timeout", "no DeleteTopics reply within " + std::to_string(timeout_ms) +
                                      " ms from " + impl_->config.bootstrap};
  if (auto top = rd_kafka_event_error(event.get()); top != RD_KAFKA_RESP_ERR_NO_ERROR)
    return detail::to_error(static_cast<RdKafka::ErrorCode>(top), "delete topics", impl_->config,
                            &impl_->sink);
  size_t n = 0;
  const rd_kafka_topic_result_t** trs =
      rd_kafka_DeleteTopics_result_topics(rd_kafka_event_DeleteTopics_result(event.get()), &n);
  for (size_t i = 0; i < n; ++i) {
    const auto e = rd_kafka_topic_result_error(trs[i]);
    if (e == RD_KAFKA_RESP_ERR_NO_ERROR || e == RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART) continue;
    const char* text = rd_kafka_topic_result_error_string(trs[i]);
    return Error{"kafka.error", std::string("delete topic ") + rd_kafka_topic_result_name(trs[i]) +
                                    ": " + (text ? text : rd_kafka_err2str(e))};
  }
  return Status::ok();
}

}  // namespace baton::runtime::client
