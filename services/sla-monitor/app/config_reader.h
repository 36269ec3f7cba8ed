// Reads the "sla-monitor" config section into the domain's SlaConfig.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "baton/runtime/config.h"
#include "baton/time/zone.h"
#include "sla_config.h"

namespace baton::sla::app {

struct Topics {
  std::string routing_events = "baton.routing.events";
  std::string activities = "baton.sales.activities";
  std::string crm_stage_changes = "baton.crm.stage-changes";
  std::string roster_reps = "baton.roster.reps";
  std::string sla_events = "baton.sla.events";
  std::string reassign = "baton.routing.reassign";
  std::string lifecycle = "baton.lifecycle.stage-changes";
  std::string erasure = "baton.privacy.erasure";
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
