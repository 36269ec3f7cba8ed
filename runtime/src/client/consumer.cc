// A tailing consumer: every partition of some topics, manually assigned,
// read_committed, from the beginning or the end; knows when it caught up.
#include <unistd.h>

#include <random>
#include <set>

#include "client/client_internal.h"

namespace baton::runtime::client {

struct TailConsumer::Impl {
  ClientConfig config;
  detail::EventSink sink;
  std::unique_ptr<RdKafka::KafkaConsumer> consumer;
  std::set<std::pair<std::string, int32_t>> partitions;
  std::set<std::pair<std::string, int32_t>> at_end;
};

TailConsumer::TailConsumer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

TailConsumer::~TailConsumer() {
  if (impl_ && impl_->consumer) impl_->consumer->close();
}

Result<std::unique_ptr<TailConsumer>> TailConsumer::open(const ClientConfig& config,
                                                         const TailOptions& options) {
  auto impl = std::make_unique<Impl>();
  impl->config = config;
  auto conf = detail::make_conf(config, &impl->sink);
  if (!conf) return conf.error();
  std::random_device rd;
  const std::pair<std::string, std::string> props[] = {
      {"group.id", "baton-tail-" + std::to_string(::getpid()) + "-" + std::to_string(rd())},
      {"enable.auto.commit", "false"},
      {"enable.auto.offset.store", "false"},
      {"enable.partition.eof", "true"},
      {"isolation.level", options.read_committed ? "read_committed" : "read_uncommitted"},
      {"auto.offset.reset", options.start == StartAt::kBeginning ? "earliest" : "latest"},
  };
  for (const auto& [k, v] : props)
    if (auto s = detail::set(**conf, k, v); !s) return s.error();
  std::string err;
  impl->consumer.reset(RdKafka::KafkaConsumer::create(conf->get(), err));
  if (!impl->consumer) return Error{"kafka.config", "cannot create consumer: " + err};

  auto md = detail::fetch_metadata(*impl->consumer, config, &impl->sink);
  if (!md) return md.error();
  std::vector<RdKafka::TopicPartition*> assignment;
  auto release = [&] { RdKafka::TopicPartition::destroy(assignment); };
  for (const auto& topic : options.topics) {
    const RdKafka::TopicMetadata* found = nullptr;
    for (const auto* t : *(*md)->topics())
      if (t->topic() == topic && t->err() != RdKafka::ERR_UNKNOWN_TOPIC_OR_PART) found = t;
    if (found == nullptr || found->partitions()->empty()) {
      release();
      return Error{"kafka.unknown_topic",
                   "topic " + topic + " does not exist (run `baton topics create`)"};
    }
    for (const auto* p : *found->partitions()) {
      int64_t offset = RdKafka::Topic::OFFSET_BEGINNING;
      if (options.start == StartAt::kEnd) {
        // Resolve the end now so records produced after open() are never missed.
        int64_t low = 0, high = 0;
        auto code = impl->consumer->query_watermark_offsets(
            topic, p->id(), &low, &high, static_cast<int>(config.timeout.count()));
        if (code != RdKafka::ERR_NO_ERROR) {
          release();
          return detail::to_error(code, "watermarks of " + topic, config, &impl->sink);
        }
        offset = high;
      }
      assignment.push_back(RdKafka::TopicPartition::create(topic, p->id(), offset));
      impl->partitions.insert({topic, p->id()});
    }
  }
  auto code = impl->consumer->assign(assignment);
  release();
  if (code != RdKafka::ERR_NO_ERROR) return detail::to_error(code, "assign", config, &impl->sink);
  return std::unique_ptr<TailConsumer>(new TailConsumer(std::move(impl)));
}

Result<std::optional<Record>> TailConsumer::poll(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() < 0) left = std::chrono::milliseconds(0);
    std::unique_ptr<RdKafka::Message> msg(impl_->consumer->consume(static_cast<int>(left.count())));
    switch (msg->err()) {
      case RdKafka::ERR_NO_ERROR: {
        Record r;
        r.topic = msg->topic_name();
        r.partition = msg->partition();
        r.offset = msg->offset();
        if (msg->key() != nullptr) r.key = *msg->key();
        if (msg->payload() != nullptr)
          r.value.assign(static_cast<const char*>(msg->payload()), msg->len());
        r.timestamp_ms = msg->timestamp().timestamp;
        if (auto* hdrs = msg->headers()) {
          for (const auto& h : hdrs->get_all())
            r.headers.push_back(
                {h.key(), h.value() != nullptr
                              ? std::string(static_cast<const char*>(h.value()), h.value_size())
                              : std::string{}});
        }
        impl_->at_end.erase({r.topic, r.partition});
        return std::optional<Record>(std::move(r));
      }
      case RdKafka::ERR__PARTITION_EOF:
        impl_->at_end.insert({msg->topic_name(), msg->partition()});
        break;
      case RdKafka::ERR__TIMED_OUT:
        return std::optional<Record>{};
      case RdKafka::ERR__FATAL:
        return detail::to_error(msg->err(), "consume", impl_->config, &impl_->sink);
      default:
        // Transient (transport, leader change): librdkafka retries by itself.
        break;
    }
    if (std::chrono::steady_clock::now() >= deadline) return std::optional<Record>{};
  }
}

bool TailConsumer::at_end() const { return impl_->at_end.size() >= impl_->partitions.size(); }

}  // namespace baton::runtime::client
