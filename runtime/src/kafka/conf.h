// Building librdkafka configurations from property maps, and small admin
// helpers (topic creation, partition counts) with bounded timeouts.
#pragma once

#include <librdkafka/rdkafkacpp.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "baton/runtime/status.h"

namespace baton::runtime::kafka {

using Props = std::map<std::string, std::string>;

Result<std::unique_ptr<RdKafka::Conf>> make_conf(const Props& props);

// The runtime's consumers prefetch at most this much (librdkafka's
// queued.max.messages.kbytes; its default, 64 MiB a consumer, dominated the
// router's RSS at 1M leads). A user's BATON_KAFKA_QUEUED_MAX_MESSAGES_KBYTES wins.
inline constexpr const char* kPrefetchKbytes = "16384";

// A consumer that replays topics it is assigned (restore, global tables):
// committed data only, from the beginning, partition EOF reported, and no
// offsets ever committed under `group_id`.
Result<std::unique_ptr<RdKafka::KafkaConsumer>> open_replay_consumer(Props props,
                                                                     const std::string& group_id);

// Partition count of a topic; error if it does not exist.
Result<int> partition_count(RdKafka::Handle& h, const std::string& topic, int timeout_ms);

// Creates a topic if absent (existing is fine).
Status ensure_topic(RdKafka::Handle& h, const std::string& topic, int partitions,
                    const Props& configs, int timeout_ms);

// librdkafka properties from the environment: BATON_KAFKA_SASL_USERNAME ->
// sasl.username. Secrets may come from files: BATON_KAFKA_SASL_PASSWORD_FILE.
// A *_FILE that cannot be read is reported in `errors` (and left out).
// Variables of scripts/kafka (BATON_KAFKA_VERSION, _SECURITY,
// _START_TIMEOUT, _STOP_GRACE) are no properties and are skipped.
Props props_from_env(std::vector<std::string>* errors = nullptr);
// The same over explicit "NAME=value" entries.
Props props_from_env(const std::vector<std::string>& environment, std::vector<std::string>* errors);

}  // namespace baton::runtime::kafka
