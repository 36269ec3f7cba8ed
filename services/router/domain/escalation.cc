#include "escalation.h"

namespace baton::router {

time::ChainChoice pool_escalation(const v1::PoolRequest& req, const PoolConfig& pool,
                                  const RoutingConfig& cfg, const Roster& roster,
                                  const time::ZoneDb& zones, TimePoint now) {
  return time::climb_chain(
      req.previous_owner_rep_id(), pool.manager_rep_id, cfg.escalation_max_chain,
      [&](const std::string& id) -> std::optional<time::ChainMember> {
        const v1::Rep* rep = roster.find(id);
        if (!rep) return std::nullopt;
        const RepTime* t = roster.cached_time(*rep, zones, pool.time_zone, &cfg.holiday_calendars);
        return time::ChainMember{
            rep->manager_id(),
            t ? why_unavailable(*rep, *t, now)
              : why_unavailable(*rep, zones, now, pool.time_zone, &cfg.holiday_calendars)};
      });
}

}  // namespace baton::router
