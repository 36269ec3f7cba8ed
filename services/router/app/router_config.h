// Reads the router's config section into RoutingConfig + topics. Every error
// names its field (recorded on the ConfigNode).
#pragma once

#include <string>
#include <vector>

#include "baton/runtime/config.h"
#include "baton/time/zone.h"
#include "domain/config.h"

namespace baton::router {

struct RouterTopics {
  std::string captured = "baton.leads.captured";
  std::string signals = "baton.leads.signals";
  std::string reassign = "baton.routing.reassign";
  std::string routing = "baton.routing.events";
  // Transitions applied by feedback: won/lost/rejected/recycled free a slot.
  std::string lifecycle = "baton.lifecycle.events";
  std::string erasure = "baton.privacy.erasure";
  std::string roster = "baton.roster.reps";
  std::string accounts = "baton.roster.accounts";
  // Internal (prefixed by the application id), same partition count as
  // the lead topics.
  std::string identity = "baton-router-identity";
  std::string leads = "baton-router-leads";
  std::string pool_requests = "baton-router-pool-requests";
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
