#include "kafka/txn_producer.h"

#include "baton/runtime/log.h"

namespace baton::runtime::kafka {

Result<std::unique_ptr<TxnProducer>> TxnProducer::create(const Props& props,
                                                         const std::string& transactional_id) {
  Props p = props;
  p["transactional.id"] = transactional_id;
  // Same key -> partition as Java clients, whatever kafka.properties says:
  // placement of internal topics is never checked (docs/adr/0004).
  p["partitioner"] = "murmur2_random";
  p.try_emplace("linger.ms", "5");
  p.try_emplace("transaction.timeout.ms", "10000");
  p.try_emplace("message.timeout.ms", "10000");
  auto conf = make_conf(p);
  if (!conf) return conf.error();
  std::unique_ptr<TxnProducer> self(new TxnProducer());
  std::string err;
  if ((*conf)->set("dr_cb", static_cast<RdKafka::DeliveryReportCb*>(self.get()), err) !=
      RdKafka::Conf::CONF_OK)
    return Error{"kafka.config", err};
  if ((*conf)->set("event_cb", static_cast<RdKafka::EventCb*>(self.get()), err) !=
      RdKafka::Conf::CONF_OK)
    return Error{"kafka.config", err};
  self->producer_.reset(RdKafka::Producer::create(conf->get(), err));
  if (!self->producer_) return Error{"kafka.producer", "cannot create producer: " + err};
  return self;
}

TxnProducer::~TxnProducer() {
  if (producer_) producer_->flush(2000);
}

TxnError TxnProducer::classify(RdKafka::Error* e, const char* what) {
  if (!e) return {};
  std::unique_ptr<RdKafka::Error> g(e);
  TxnError out;
  out.message = std::string(what) + ": " + e->str();
  if (e->is_fatal())
    out.kind = TxnErrorKind::fatal;
  else if (e->txn_requires_abort())
    out.kind = TxnErrorKind::abortable;
  else if (e->is_retriable() || e->code() == RdKafka::ERR__TIMED_OUT)
    out.kind = TxnErrorKind::retriable;
  else
    out.kind = TxnErrorKind::abortable;
  return out;
}

TxnError TxnProducer::init(int timeout_ms) {
  return classify(producer_->init_transactions(timeout_ms), "init_transactions");
}
TxnError TxnProducer::begin() {
  // Delivery reports carry the transaction they belong to: a late report of
  // an aborted transaction never counts against the next one.
  ++generation_;
  txn_failed_ = 0;
  txn_first_failure_.clear();
  return classify(producer_->begin_transaction(), "begin_transaction");
}

TxnError TxnProducer::flush_and_check(int timeout_ms) {
  auto rc = producer_->flush(timeout_ms);
  TxnError e;
  if (txn_failed_ > 0) {
    e.kind = TxnErrorKind::abortable;
    e.message = std::to_string(txn_failed_) +
                " record(s) of this transaction failed delivery: " + txn_first_failure_;
  } else if (rc != RdKafka::ERR_NO_ERROR) {
    e.kind = TxnErrorKind::abortable;
    e.message = "flush before commit: " + RdKafka::err2str(rc);
  }
  return e;
}

TxnError TxnProducer::produce(const std::string& topic, int32_t partition, const std::string& key,
                              const std::string* value, const std::vector<Header>& headers,
                              int64_t timestamp_ms) {
  for (int attempt = 0;; ++attempt) {
    RdKafka::Headers* hs = nullptr;
    if (!headers.empty()) {
      hs = RdKafka::Headers::create();
      for (const auto& h : headers) hs->add(h.key, h.value.data(), h.value.size());
    }
    auto rc = producer_->produce(topic, partition < 0 ? RdKafka::Topic::PARTITION_UA : partition,
                                 RdKafka::Producer::RK_MSG_COPY,
                                 value ? const_cast<char*>(value->data()) : nullptr,
                                 value ? value->size() : 0, key.data(), key.size(), timestamp_ms,
                                 hs, reinterpret_cast<void*>(static_cast<uintptr_t>(generation_)));
    if (rc == RdKafka::ERR_NO_ERROR) return {};
    delete hs;
    if (rc == RdKafka::ERR__QUEUE_FULL && attempt < 600) {
      producer_->poll(50);
      continue;
    }
    TxnError e;
    e.message = "produce to " + topic + ": " + RdKafka::err2str(rc);
    e.kind = rc == RdKafka::ERR__FATAL ? TxnErrorKind::fatal : TxnErrorKind::abortable;
    return e;
  }
}

TxnError TxnProducer::send_offsets(const std::vector<RdKafka::TopicPartition*>& offsets,
                                   RdKafka::KafkaConsumer& consumer, int timeout_ms) {
  std::unique_ptr<RdKafka::ConsumerGroupMetadata> meta(consumer.groupMetadata());
  auto e = classify(producer_->send_offsets_to_transaction(offsets, meta.get(), timeout_ms),
                    "send_offsets_to_transaction");
  // Any error here means abort: this call cannot be resumed (librdkafka docs).
  if (e.kind == TxnErrorKind::retriable) e.kind = TxnErrorKind::abortable;
  return e;
}

TxnError TxnProducer::commit(int timeout_ms) {
  auto e = classify(producer_->commit_transaction(timeout_ms), "commit_transaction");
  producer_->poll(0);  // serve the remaining delivery reports
  return e;
}

TxnError TxnProducer::abort(int timeout_ms) {
  auto e = classify(producer_->abort_transaction(timeout_ms), "abort_transaction");
  producer_->poll(0);
  acked_.clear();
  return e;
}

std::map<std::pair<std::string, int32_t>, int64_t> TxnProducer::take_acked() {
  auto out = std::move(acked_);
  acked_.clear();
  return out;
}

void TxnProducer::event_cb(RdKafka::Event& e) {
  switch (e.type()) {
    case RdKafka::Event::EVENT_ERROR:
      security_.observe(e.err(), e.str());
      log::warn("kafka error", {{"error", RdKafka::err2str(e.err()) + ": " + e.str()}});
      break;
    case RdKafka::Event::EVENT_LOG: {
      security_.observe(RdKafka::ERR_NO_ERROR, e.str());
      auto sev = e.severity();
      auto level = sev <= RdKafka::Event::EVENT_SEVERITY_ERROR     ? log::Level::error
                   : sev <= RdKafka::Event::EVENT_SEVERITY_WARNING ? log::Level::warn
                   : sev <= RdKafka::Event::EVENT_SEVERITY_INFO    ? log::Level::info
                                                                   : log::Level::debug;
      log::write(level, "librdkafka", {{"facility", e.fac()}, {"message", e.str()}});
      break;
    }
    default:
      break;
  }
}

std::string TxnProducer::security_failure() {
  producer_->poll(0);  // error events are served by poll
  return security_.failure();
}

void TxnProducer::dr_cb(RdKafka::Message& m) {
  if (m.err() != RdKafka::ERR_NO_ERROR) {
    ++delivery_errors_;
    const bool this_txn = reinterpret_cast<uintptr_t>(m.msg_opaque()) == generation_;
    if (this_txn && txn_failed_++ == 0) txn_first_failure_ = m.topic_name() + ": " + m.errstr();
    log::warn("record delivery failed", {{"topic", m.topic_name()},
                                         {"error", m.errstr()},
                                         {"transaction", this_txn ? "open" : "earlier"}});
    return;
  }
  auto& slot = acked_[{m.topic_name(), m.partition()}];
  slot = std::max(slot, m.offset());
}

}  // namespace baton::runtime::kafka
