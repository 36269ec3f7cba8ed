// The feedback service's configuration section ("feedback:" in the YAML).
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

#include "baton/runtime/config.h"
#include "baton/v1/topics.h"
#include "domain/lead.h"

namespace baton::feedback::app {

struct Topics {
  std::string leads_captured = v1::topics::kLeadsCaptured;
  std::string routing_events = v1::topics::kRoutingEvents;
  std::string sla_events = v1::topics::kSlaEvents;
  std::string sales_activities = v1::topics::kSalesActivities;
  std::string stage_changes = v1::topics::kLifecycleStageChanges;
  std::string erasure = v1::topics::kPrivacyErasure;
  std::string lifecycle_events = v1::topics::kLifecycleEvents;
  std::string outcomes = v1::topics::kOutcomes;
  // Alerts to reps (RepAlert, keyed by rep id); empty: no alerts.
  std::string notifications = v1::topics::kNotifications;
};

struct FeedbackConfig {
  Topics topics;
  FeedbackPolicy policy;
  // Funnel rows / metric labels kept apart before folding into "other".
  size_t top_campaigns = 20;
  size_t top_sources = 20;
  // Campaigns that always keep their own metric label.
  std::vector<std::string> pinned_campaigns;
  // Closed leads (Won, Lost, Rejected, Recycled) with no input for this long
  // are erased from every service (retention.closed_leads; 0 = kept forever).
  std::chrono::milliseconds closed_lead_retention{std::chrono::hours(24 * 730)};
};

// Reads the section; errors are recorded on the node with their field paths.
FeedbackConfig read_config(runtime::ConfigNode& section);

}  // namespace baton::feedback::app
