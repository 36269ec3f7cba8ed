// Reads the "sla-monitor" config section into the domain's SlaConfig.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "baton/runtime/config.h"
#include "baton/time/zone.h"
#include "baton/v1/topics.h"
#include "sla_config.h"

namespace baton::sla::app {

struct Topics {
  std::string routing_events = v1::topics::kRoutingEvents;
  std::string activities = v1::topics::kSalesActivities;
  std::string crm_stage_changes = v1::topics::kCrmStageChanges;
  std::string roster_reps = v1::topics::kRosterReps;
  std::string sla_events = v1::topics::kSlaEvents;
  std::string reassign = v1::topics::kRoutingReassign;
  std::string lifecycle = v1::topics::kLifecycleStageChanges;
  std::string erasure = v1::topics::kPrivacyErasure;
};

struct AppConfig {
  SlaConfig sla;
  Topics topics;
  std::shared_ptr<const time::ZoneDb> zones;
  size_t max_rep_labels = 500;
};

// Every bad field is recorded on `section` with its path; nullopt then.
std::optional<AppConfig> read_config(runtime::ConfigNode& section);

}  // namespace baton::sla::app
