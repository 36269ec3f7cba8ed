// Internal helpers shared by the client wrappers (not a public header).
#pragma once

#include <librdkafka/rdkafkacpp.h>

#include <memory>
#include <mutex>
#include <string>

#include "baton/runtime/client.h"
#include "kafka/security.h"

namespace baton::runtime::client::detail {

// Swallows librdkafka's log lines (no stderr noise) and keeps the last error
// so a failure can be explained in one line.
class EventSink : public RdKafka::EventCb {
 public:
  void event_cb(RdKafka::Event& event) override;
  std::string last_error() const;
  // The first SASL or TLS failure, explained ("" when none).
  std::string security_failure() const { return security_.failure(); }

 private:
  mutable std::mutex mu_;
  std::string last_error_;
  kafka::SecurityWatch security_;
};

// A configuration with bootstrap, extra properties and bounded socket
// timeouts. Error code "kafka.config" names the bad property.
Result<std::unique_ptr<RdKafka::Conf>> make_conf(const ClientConfig& config, EventSink* sink);

// Sets one property or returns a "kafka.config" error.
Status set(RdKafka::Conf& conf, const std::string& name, const std::string& value);

// Maps a librdkafka error to an Error: transport, timeout and all-brokers-down
// become "kafka.unreachable" naming the bootstrap servers.
Error to_error(RdKafka::ErrorCode code, const std::string& what, const ClientConfig& config,
               const EventSink* sink);

bool is_unreachable(RdKafka::ErrorCode code);

// Fetches cluster metadata (all topics), bounded by the config timeout.
Result<std::unique_ptr<RdKafka::Metadata>> fetch_metadata(RdKafka::Handle& handle,
                                                          const ClientConfig& config,
                                                          const EventSink* sink);

}  // namespace baton::runtime::client::detail
