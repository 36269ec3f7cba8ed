// The router's two runtime processors: LeadDesk (keyed by lead, plus the
// identity hop keyed by person) and PoolDesk (keyed by pool).
#pragma once

#include <memory>
#include <string>

#include "baton/runtime/processor.h"
#include "baton/time/zone.h"
#include "metrics.h"
#include "router_config.h"

namespace baton::router {

inline constexpr const char* kLeadDeskName = "router-leads";
inline constexpr const char* kPoolDeskName = "router-pools";

// Stable, non-PII key for an identity (FNV-1a 64, hex).
std::string identity_hash(const std::string& identity_key);

std::unique_ptr<runtime::Processor> make_lead_desk(std::shared_ptr<const RouterSettings> settings,
                                                   std::shared_ptr<RouterMetrics> metrics);
std::unique_ptr<runtime::Processor> make_pool_desk(std::shared_ptr<const RouterSettings> settings,
                                                   std::shared_ptr<RouterMetrics> metrics,
                                                   const time::ZoneDb& zones);

}  // namespace baton::router
