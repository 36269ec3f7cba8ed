// An idempotent plain producer for tools and tests.
#include <atomic>
#include <thread>

#include "client/client_internal.h"

namespace baton::runtime::client {
namespace {

class DeliveryCounter : public RdKafka::DeliveryReportCb {
 public:
  void dr_cb(RdKafka::Message& message) override {
    if (message.err() == RdKafka::ERR_NO_ERROR) {
      delivered.fetch_add(1);
      return;
    }
    if (failed.fetch_add(1) == 0) {
      std::lock_guard lock(mu);
      first_error = message.err();
      first_topic = message.topic_name();
    }
  }
  std::atomic<int64_t> delivered{0};
  std::atomic<int64_t> failed{0};
  std::mutex mu;
  RdKafka::ErrorCode first_error = RdKafka::ERR_NO_ERROR;
  std::string first_topic;
};

}  // namespace

struct PlainProducer::Impl {
  ClientConfig config;
  detail::EventSink sink;
  DeliveryCounter deliveries;
  std::unique_ptr<RdKafka::Producer> producer;
};

PlainProducer::PlainProducer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

PlainProducer::~PlainProducer() {
  if (impl_ && impl_->producer)
    impl_->producer->flush(static_cast<int>(impl_->config.timeout.count()));
}

Result<std::unique_ptr<PlainProducer>> PlainProducer::open(const ClientConfig& config) {
  auto impl = std::make_unique<Impl>();
  impl->config = config;
  auto conf = detail::make_conf(config, &impl->sink);
  if (!conf) return conf.error();
  // Delivery bounded: a record that cannot be delivered fails, never waits forever.
  const std::pair<std::string, std::string> props[] = {
      {"enable.idempotence", "true"},
      {"acks", "all"},
      {"partitioner", "murmur2_random"},
      {"linger.ms", "5"},
      {"message.timeout.ms", std::to_string(std::max<int64_t>(config.timeout.count() * 2, 5000))},
  };
  for (const auto& [k, v] : props)
    if (!config.properties.count(k))
      if (auto s = detail::set(**conf, k, v); !s) return s.error();
  std::string err;
  if ((*conf)->set("dr_cb", static_cast<RdKafka::DeliveryReportCb*>(&impl->deliveries), err) !=
      RdKafka::Conf::CONF_OK)
    return Error{"kafka.config", "dr_cb: " + err};
  impl->producer.reset(RdKafka::Producer::create(conf->get(), err));
  if (!impl->producer) return Error{"kafka.config", "cannot create producer: " + err};
  return std::unique_ptr<PlainProducer>(new PlainProducer(std::move(impl)));
}

Status PlainProducer::produce(const std::string& topic, const std::string& key,
                              const std::string& value, const std::vector<Header>& headers,
                              int32_t partition) {
  const auto deadline = std::chrono::steady_clock::now() + impl_->config.timeout;
  while (true) {
    RdKafka::Headers* hdrs = RdKafka::Headers::create();
    for (const auto& h : headers) hdrs->add(h.key, h.value.data(), h.value.size());
    auto code = impl_->producer->produce(
        topic, partition < 0 ? RdKafka::Topic::PARTITION_UA : partition,
        RdKafka::Producer::RK_MSG_COPY, const_cast<char*>(value.data()), value.size(),
        key.empty() ? nullptr : key.data(), key.size(), 0, hdrs, nullptr);
    if (code == RdKafka::ERR_NO_ERROR) {  // the producer owns hdrs now
      impl_->producer->poll(0);
      return Status::ok();
    }
    delete hdrs;
    if (code != RdKafka::ERR__QUEUE_FULL)
      return detail::to_error(code, "produce to " + topic, impl_->config, &impl_->sink);
    if (std::chrono::steady_clock::now() > deadline)
      return detail::to_error(RdKafka::ERR__TIMED_OUT, "produce to " + topic + " (queue full)",
                              impl_->config, &impl_->sink);
    impl_->producer->poll(100);
  }
}

void PlainProducer::poll() { impl_->producer->poll(0); }

Status PlainProducer::flush(std::chrono::milliseconds timeout) {
  if (timeout.count() == 0)
    timeout = std::chrono::milliseconds(std::max<int64_t>(impl_->config.timeout.count() * 2, 5000) +
                                        1000);
  auto code = impl_->producer->flush(static_cast<int>(timeout.count()));
  auto& d = impl_->deliveries;
  if (d.failed.load() > 0) {
    std::lock_guard lock(d.mu);
    return detail::to_error(
        d.first_error,
        std::to_string(d.failed.load()) + " record(s) not delivered to " + d.first_topic,
        impl_->config, &impl_->sink);
  }
  if (code != RdKafka::ERR_NO_ERROR)
    return detail::to_error(code, "flush", impl_->config, &impl_->sink);
  return Status::ok();
}

int64_t PlainProducer::delivered() const { return impl_->deliveries.delivered.load(); }
int64_t PlainProducer::failed() const { return impl_->deliveries.failed.load(); }

}  // namespace baton::runtime::client
