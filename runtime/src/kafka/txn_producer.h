// A transactional producer (RAII) whose errors are classified for the
// exactly-once loop: retriable, abortable, or fatal (recreate the producer).
#pragma once

#include <librdkafka/rdkafkacpp.h>

#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "baton/runtime/processor.h"
#include "kafka/conf.h"
#include "kafka/security.h"

namespace baton::runtime::kafka {

enum class TxnErrorKind { none, retriable, abortable, fatal };

struct TxnError {
  TxnErrorKind kind = TxnErrorKind::none;
  std::string message;
  bool ok() const { return kind == TxnErrorKind::none; }
};

class TxnProducer : public RdKafka::DeliveryReportCb, public RdKafka::EventCb {
 public:
  // props must include bootstrap.servers; transactional.id is set here.
  static Result<std::unique_ptr<TxnProducer>> create(const Props& props,
                                                     const std::string& transactional_id);
  ~TxnProducer() override;

  TxnError init(int timeout_ms);
  TxnError begin();
  TxnError produce(const std::string& topic, int32_t partition, const std::string& key,
                   const std::string* value, const std::vector<Header>& headers,
                   int64_t timestamp_ms);
  TxnError send_offsets(const std::vector<RdKafka::TopicPartition*>& offsets,
                        RdKafka::KafkaConsumer& consumer, int timeout_ms);
  // Waits for every record of the open transaction; abortable if any of
  // them failed delivery (commit_transaction must not follow then).
  TxnError flush_and_check(int timeout_ms);
  TxnError commit(int timeout_ms);
  TxnError abort(int timeout_ms);
  void poll(int timeout_ms) { producer_->poll(timeout_ms); }
  RdKafka::Producer& handle() { return *producer_; }

  // Highest offset acknowledged per (topic, partition) since the last take.
  std::map<std::pair<std::string, int32_t>, int64_t> take_acked();
  size_t delivery_errors() const { return delivery_errors_; }

  void dr_cb(RdKafka::Message& m) override;
  // librdkafka's log lines and errors go to the JSON log; SASL and TLS
  // failures are remembered (security_failure).
  void event_cb(RdKafka::Event& e) override;
  // "Kafka authentication failed: ..." etc., or "" (serves queued events).
  std::string security_failure();

 private:
  TxnProducer() = default;
  TxnError classify(RdKafka::Error* e, const char* what);
  std::unique_ptr<RdKafka::Producer> producer_;
  std::map<std::pair<std::string, int32_t>, int64_t> acked_;
  size_t delivery_errors_ = 0;
  uint64_t generation_ = 0;  // of the open transaction, the records' opaque
  size_t txn_failed_ = 0;
  std::string txn_first_failure_;
  SecurityWatch security_;
};

}  // namespace baton::runtime::kafka
