// An idempotent plain producer for tools and tests.
#include <librdkafka/rdkafka.h>

#include <atomic>
#include <memory>
#include <mutex>
#include <thread>

#include "baton/runtime/log.h"
#include "client/client_internal.h"

namespace baton::runtime::client {
namespace {

// A record in flight, kept until its delivery report: a fatal error of the
// idempotent producer (librdkafka 2.0.2's sequence desync, fixed in 2.3.0)
// fails it, and the rebuilt producer sends it again.
struct Pending {
  std::string topic, key, value;
  std::vector<Header> headers;
  int32_t partition = -1;
};

class DeliveryCounter : public RdKafka::DeliveryReportCb {
 public:
  void dr_cb(RdKafka::Message& message) override {
    std::unique_ptr<Pending> p(static_cast<Pending*>(message.msg_opaque()));
    if (message.err() == RdKafka::ERR_NO_ERROR) {
      delivered.fetch_add(1);
      return;
    }
    if (p && (message.err() == RdKafka::ERR__FATAL || fatal.load() ||
              message.err() == RdKafka::ERR__PURGE_QUEUE ||
              message.err() == RdKafka::ERR__PURGE_INFLIGHT)) {
      std::lock_guard lock(mu);
      resend.push_back(std::move(p));  // sent again by the rebuilt producer
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
  std::atomic<bool> fatal{false};
  std::mutex mu;
  std::vector<std::unique_ptr<Pending>> resend;
  RdKafka::ErrorCode first_error = RdKafka::ERR_NO_ERROR;
  std::string first_topic;
};

}  // namespace

struct PlainProducer::Impl {
  ClientConfig config;
  detail::EventSink sink;
  DeliveryCounter deliveries;
  std::unique_ptr<RdKafka::Producer> producer;
  int64_t recreated = 0;

  Status create() {
    auto conf = detail::make_conf(config, &sink);
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
        if (auto s = detail::set(**conf, k, v); !s) return s;
    std::string err;
    if ((*conf)->set("dr_cb", static_cast<RdKafka::DeliveryReportCb*>(&deliveries), err) !=
        RdKafka::Conf::CONF_OK)
      return Error{"kafka.config", "dr_cb: " + err};
    producer.reset(RdKafka::Producer::create(conf->get(), err));
    if (!producer) return Error{"kafka.config", "cannot create producer: " + err};
    return Status::ok();
  }

  RdKafka::ErrorCode send(const Pending& p, Pending* opaque) {
    RdKafka::Headers* hdrs = RdKafka::Headers::create();
    for (const auto& h : p.headers) hdrs->add(h.key, h.value.data(), h.value.size());
    auto code = producer->produce(
        p.topic, p.partition < 0 ? RdKafka::Topic::PARTITION_UA : p.partition,
        RdKafka::Producer::RK_MSG_COPY, const_cast<char*>(p.value.data()), p.value.size(),
        p.key.empty() ? nullptr : p.key.data(), p.key.size(), 0, hdrs, opaque);
    if (code != RdKafka::ERR_NO_ERROR) delete hdrs;  // else the producer owns them
    return code;
  }

  bool is_fatal() const {
    std::string why;
    return producer->fatal_error(why) != RdKafka::ERR_NO_ERROR;
  }

  // A fatal error is not the end: take back every record in flight, build a
  // new producer (a new producer id, fresh sequences) and send them again.
  // A record the broker did persist before the error may be written twice;
  // Baton de-duplicates on (ce_source, ce_id), so the effect is once.
  Status rebuild() {
    std::string why;
    producer->fatal_error(why);
    deliveries.fatal = true;
    producer->purge(RdKafka::Producer::PURGE_QUEUE | RdKafka::Producer::PURGE_INFLIGHT);
    producer->flush(static_cast<int>(config.timeout.count()));
    producer->poll(0);
    producer.reset();
    ++recreated;
    log::warn("producer fatal error: rebuilding the producer and sending its records again",
              {{"cause", why}, {"recreated", std::to_string(recreated)}});
    if (auto s = create(); !s) return s;
    deliveries.fatal = false;
    std::vector<std::unique_ptr<Pending>> again;
    {
      std::lock_guard lock(deliveries.mu);
      again.swap(deliveries.resend);
    }
    for (auto& p : again) {
      Pending* raw = p.release();
      if (auto code = send(*raw, raw); code != RdKafka::ERR_NO_ERROR) {
        delete raw;
        return detail::to_error(code, "produce again after a fatal error", config, &sink);
      }
    }
    return Status::ok();
  }
};

PlainProducer::PlainProducer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

PlainProducer::~PlainProducer() {
  if (!impl_ || !impl_->producer) return;
  impl_->producer->flush(static_cast<int>(impl_->config.timeout.count()));
  // What is still undelivered comes back through its delivery report (freed).
  impl_->producer->purge(RdKafka::Producer::PURGE_QUEUE | RdKafka::Producer::PURGE_INFLIGHT);
  impl_->producer->flush(0);
  impl_->producer->poll(0);
}

Result<std::unique_ptr<PlainProducer>> PlainProducer::open(const ClientConfig& config) {
  auto impl = std::make_unique<Impl>();
  impl->config = config;
  if (auto s = impl->create(); !s) return s.error();
  return std::unique_ptr<PlainProducer>(new PlainProducer(std::move(impl)));
}

Status PlainProducer::produce(const std::string& topic, const std::string& key,
                              const std::string& value, const std::vector<Header>& headers,
                              int32_t partition) {
  const auto deadline = std::chrono::steady_clock::now() + impl_->config.timeout;
  auto p = std::make_unique<Pending>(Pending{topic, key, value, headers, partition});
  for (int rebuilt = 0;;) {
    auto code = impl_->send(*p, p.get());
    if (code == RdKafka::ERR_NO_ERROR) {  // the delivery report owns p now
      p.release();
      impl_->producer->poll(0);
      return Status::ok();
    }
    if (code == RdKafka::ERR__FATAL || impl_->is_fatal()) {
      if (++rebuilt > 3)
        return detail::to_error(code, "produce to " + topic + " (fatal error persists)",
                                impl_->config, &impl_->sink);
      if (auto s = impl_->rebuild(); !s) return s;
      continue;
    }
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
  for (int rebuilt = 0; impl_->is_fatal() && rebuilt < 3; ++rebuilt) {
    if (auto s = impl_->rebuild(); !s) return s;
    code = impl_->producer->flush(static_cast<int>(timeout.count()));
  }
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

void PlainProducer::inject_fatal_error_for_test(const std::string& reason) {
  rd_kafka_test_fatal_error(impl_->producer->c_ptr(),
                            RD_KAFKA_RESP_ERR_OUT_OF_ORDER_SEQUENCE_NUMBER, reason.c_str());
}

int64_t PlainProducer::recreated() const { return impl_->recreated; }

int64_t PlainProducer::delivered() const { return impl_->deliveries.delivered.load(); }
int64_t PlainProducer::failed() const { return impl_->deliveries.failed.load(); }

}  // namespace baton::runtime::client
