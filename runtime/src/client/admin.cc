// Topic administration over librdkafka's admin API (bounded by timeouts).
#include <algorithm>

#include "client/client_internal.h"
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

}  // namespace baton::runtime::client
