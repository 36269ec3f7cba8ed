// Reads the router's config section into RoutingConfig + topics. Every error
// names its field (recorded on the ConfigNode).
#pragma once

#include <string>
#include <vector>

#include "baton/runtime/config.h"
#include "baton/time/zone.h"
#include "baton/v1/topics.h"
#include "domain/config.h"

namespace baton::router {

struct RouterTopics {
  std::string captured = v1::topics::kLeadsCaptured;
  std::string signals = v1::topics::kLeadsSignals;
  std::string reassign = v1::topics::kRoutingReassign;
  std::string routing = v1::topics::kRoutingEvents;
  // Transitions applied by feedback: won/lost/rejected/recycled free a slot.
  std::string lifecycle = v1::topics::kLifecycleEvents;
  std::string erasure = v1::topics::kPrivacyErasure;
  std::string roster = v1::topics::kRosterReps;
  std::string accounts = v1::topics::kRosterAccounts;
  // Internal (prefixed by the application id), same partition count as
  // the lead topics.
  std::string identity = v1::topics::kRouterIdentity;
  std::string leads = v1::topics::kRouterLeads;
  std::string pool_requests = v1::topics::kRouterPoolRequests;
};

struct RouterSettings {
  RoutingConfig routing;
  RouterTopics topics;
  // Source label values for metrics (lower case); others are "other".
  // Empty: RouterMetrics' default list.
  std::vector<std::string> metric_sources;
};

// Reads `section` (the "router" node); check section.status() afterwards.
RouterSettings read_router_config(runtime::ConfigNode& section, const time::ZoneDb& zones);

}  // namespace baton::router
