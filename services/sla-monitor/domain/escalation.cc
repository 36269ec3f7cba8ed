#include "escalation.h"

#include <set>

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
  EscalationChoice out;
  std::set<std::string> seen{owner_id};
  std::string id = manager_id;
  for (int hop = 0; hop < cfg.escalation_max_chain && !id.empty() && seen.insert(id).second;
       ++hop) {
    auto rep = reps.rep(id);
    if (!rep) {
      out.skipped.emplace_back(id, "not_in_roster");
      break;  // nobody known above
    }
    std::string why = why_unavailable(*rep, reps, now);
    if (why.empty()) {
      out.to = id;
      return out;
    }
    out.skipped.emplace_back(id, std::move(why));
    id = rep->manager_id();
  }
  if (!cfg.escalation_fallback.empty()) {
    out.to = cfg.escalation_fallback;
    out.to_fallback = true;
  } else {
    out.to = manager_id;
  }
  return out;
}

}  // namespace baton::sla
