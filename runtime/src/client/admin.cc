// Topic administration over librdkafka's admin API (bounded by timeouts).
#include <librdkafka/rdkafka.h>

#include <algorithm>

#include "client/client_internal.h"

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
  rd_kafka_t* rk = impl_->handle->c_ptr();
  const int timeout_ms = static_cast<int>(impl_->config.timeout.count());
  char errstr[512];

  std::vector<rd_kafka_NewTopic_t*> new_topics;
  auto cleanup = [&] {
    for (auto* nt : new_topics) rd_kafka_NewTopic_destroy(nt);
  };
  for (const auto& spec : topics) {
    auto* nt = rd_kafka_NewTopic_new(spec.name.c_str(), spec.partitions, spec.replication_factor,
                                     errstr, sizeof errstr);
    if (nt == nullptr) {
      cleanup();
      return Error{"input.topic", "topic " + spec.name + ": " + errstr};
    }
    new_topics.push_back(nt);
    for (const auto& [k, v] : spec.config) {
      if (auto e = rd_kafka_NewTopic_set_config(nt, k.c_str(), v.c_str())) {
        std::string msg = rd_kafka_err2str(e);
        cleanup();
        return Error{"input.topic", "topic " + spec.name + " config " + k + ": " + msg};
      }
    }
  }

  rd_kafka_AdminOptions_t* options = rd_kafka_AdminOptions_new(rk, RD_KAFKA_ADMIN_OP_CREATETOPICS);
  rd_kafka_AdminOptions_set_request_timeout(options, timeout_ms, errstr, sizeof errstr);
  rd_kafka_AdminOptions_set_operation_timeout(options, timeout_ms, errstr, sizeof errstr);
  rd_kafka_queue_t* queue = rd_kafka_queue_new(rk);
  rd_kafka_CreateTopics(rk, new_topics.data(), new_topics.size(), options, queue);
  rd_kafka_event_t* event = rd_kafka_queue_poll(queue, timeout_ms + 2000);
  rd_kafka_AdminOptions_destroy(options);
  cleanup();

  std::vector<TopicCreated> results;
  Status failure;
  if (event == nullptr) {
    failure =
        detail::to_error(RdKafka::ERR__TIMED_OUT, "create topics", impl_->config, &impl_->sink);
  } else if (auto top = rd_kafka_event_error(event); top != RD_KAFKA_RESP_ERR_NO_ERROR) {
    failure = detail::to_error(static_cast<RdKafka::ErrorCode>(top), "create topics", impl_->config,
                               &impl_->sink);
  } else {
    const auto* res = rd_kafka_event_CreateTopics_result(event);
    size_t count = 0;
    const rd_kafka_topic_result_t** trs = rd_kafka_CreateTopics_result_topics(res, &count);
    for (size_t i = 0; i < count && failure.is_ok(); ++i) {
      auto err = rd_kafka_topic_result_error(trs[i]);
      std::string name = rd_kafka_topic_result_name(trs[i]);
      if (err == RD_KAFKA_RESP_ERR_NO_ERROR || err == RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS) {
        results.push_back({name, err == RD_KAFKA_RESP_ERR_NO_ERROR, 0});
        continue;
      }
      const char* detail = rd_kafka_topic_result_error_string(trs[i]);
      failure = Error{
          detail::is_unreachable(static_cast<RdKafka::ErrorCode>(err)) ? "kafka.unreachable"
                                                                       : "kafka.error",
          "create topic " + name + ": " + (detail != nullptr ? detail : rd_kafka_err2str(err))};
    }
  }
  if (event != nullptr) rd_kafka_event_destroy(event);
  rd_kafka_queue_destroy(queue);
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

}  // namespace baton::runtime::client
