// JSON query routes over the committed state of the local feedback tasks:
//   GET /leads/{id}/timeline   404 when unknown or erased
//   GET /funnel?by=source|campaign
//   GET /calibration
// Each instance answers from its own partitions (sum over instances for a
// cluster-wide view; Prometheus metrics are the cluster-wide numbers).
#pragma once

#include <string>

#include "app/config.h"
#include "baton/runtime/query.h"

namespace baton::feedback::app {

inline constexpr const char* kProcessorName = "feedback";

runtime::QueryResponse timeline_query(const runtime::StateLookup& lookup, const std::string& id);
runtime::QueryResponse funnel_query(const runtime::StateScan& scan, const std::string& by,
                                    const FeedbackConfig& config);
runtime::QueryResponse calibration_query(const runtime::StateScan& scan,
                                         const FeedbackConfig& config);

// Registers the routes; router.lookup and router.scan must already be set.
void install_routes(runtime::QueryRouter& router, const FeedbackConfig& config);

}  // namespace baton::feedback::app
