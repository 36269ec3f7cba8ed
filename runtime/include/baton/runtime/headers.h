// Kafka record headers the engine writes: CloudEvents attributes on every
// output, and the provenance of a dead letter. Pure functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "baton/runtime/processor.h"

namespace baton::runtime {

// Where the producer put a record that the runtime moved to the partition
// that owns its key (headers of a repartition record).
inline constexpr std::string_view kOriginPartition = "baton.origin.partition";
inline constexpr std::string_view kOriginOffset = "baton.origin.offset";

// The one CloudEvents builder (Kafka binding, binary mode): ce_specversion
// 1.0, ce_id, ce_type, ce_source, ce_time (time::format_rfc3339: UTC with
// milliseconds) and content-type. The engine's outputs and the clients'
// records (client::cloudevents_headers) both come from here.
std::vector<Header> cloudevents_headers(std::string_view event_id, std::string_view ce_type,
                                        std::string_view source, TimePoint time,
                                        std::string_view content_type);

// An engine output's headers: ce_source "baton/<service>", content-type
// application/protobuf, or application/json.
std::vector<Header> cloudevents_headers(const Output& o, std::string_view service,
                                        bool json = false);

// The input's own headers followed by baton.error.reason, baton.error.detail
// (at most 1024 bytes), baton.source.topic, baton.source.partition,
// baton.source.offset and baton.service. A moved record (baton.origin.*
// headers) names the partition and offset its producer wrote it to.
std::vector<Header> dead_letter_headers(const Record& in, const Rejection& why,
                                        std::string_view service);

}  // namespace baton::runtime
