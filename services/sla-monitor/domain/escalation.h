// Who a breach escalates to: up the owner's management chain (the manager,
// then the manager's manager, by roster Rep.manager_id), passing over anyone
// unavailable by the one Calendar (out of office, holiday, off hours) or
// inactive, then the configured fallback. The chain is bounded
// (SlaConfig::escalation_max_chain) and a cycle in manager_id ends it.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "baton/v1/roster.pb.h"
#include "sla_time.h"

namespace baton::sla {

struct SlaConfig;

// The roster as the escalation sees it.
class RepDirectory {
 public:
  virtual ~RepDirectory() = default;
  virtual std::optional<v1::Rep> rep(const std::string& id) const = 0;
  // The rep's calendar with its out-of-office windows (see rep_calendar_spec).
  virtual Calendar calendar(const v1::Rep& rep) const = 0;
};

struct EscalationChoice {
  std::string to;  // empty only when there is no manager and no fallback
  bool to_fallback = false;
  std::vector<std::pair<std::string, std::string>> skipped;  // rep id, reason
};

// The rep's out-of-office windows for a Calendar.
std::vector<time::Absence> rep_absences(const v1::Rep& rep);

// "" when the rep can take an escalation at `now`; else inactive or the
// calendar's reason (out_of_office, holiday, outside_working_hours).
std::string why_unavailable(const v1::Rep& rep, const RepDirectory& reps, TimePoint now);

// Starts at `manager_id` (the clock's manager). Nobody available and no
// fallback configured: the direct manager, as before, with the skips listed.
EscalationChoice choose_escalation(const std::string& owner_id, const std::string& manager_id,
                                   const RepDirectory& reps, const SlaConfig& cfg, TimePoint now);

}  // namespace baton::sla
