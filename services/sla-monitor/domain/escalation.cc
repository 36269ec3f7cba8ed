#include "escalation.h"

#include "baton/time/escalation_chain.h"
#include "sla_config.h"

namespace baton::sla {

std::vector<time::Absence> rep_absences(const v1::Rep& rep) {
  std::vector<time::Absence> out;
  for (const auto& ooo : rep.out_of_office())
    out.push_back({time::timestamp_millis(ooo.from()),
                   ooo.has_until() ? time::timestamp_millis(ooo.until()) : INT64_MAX});
  return out;
}

std::string why_unavailable(const v1::Rep& rep, const RepDirectory& reps, TimePoint now) {
  if (!rep.active()) return "inactive";
  return reps.calendar(rep).why_not_working(now);
}

EscalationChoice choose_escalation(const std::string& owner_id, const std::string& manager_id,
                                   const RepDirectory& reps, const SlaConfig& cfg, TimePoint now) {
  time::ChainChoice climb = time::climb_chain(
      owner_id, manager_id, cfg.escalation_max_chain,
      [&](const std::string& id) -> std::optional<time::ChainMember> {
        auto rep = reps.rep(id);
        if (!rep) return std::nullopt;
        return time::ChainMember{rep->manager_id(), why_unavailable(*rep, reps, now)};
      });
  EscalationChoice out;
  out.skipped = std::move(climb.skipped);
  if (!climb.to.empty()) {
    out.to = std::move(climb.to);
  } else if (!cfg.escalation_fallback.empty()) {
    out.to = cfg.escalation_fallback;
    out.to_fallback = true;
  } else {
    out.to = manager_id;
  }
  return out;
}

}  // namespace baton::sla
