#include "rules.h"

#include <algorithm>

#include "identity.h"

namespace baton::router {

RuleOutcome match_rule(const v1::LeadCaptured& lead, const std::vector<RoutingRule>& rules,
                       const std::string& default_pool) {
  for (const auto& r : rules) {
    std::string reason;
    bool ok = true;
    for (const auto& [field, values] : r.when) {
      std::string v = lead_field(lead, field);
      if (v.empty() || std::find(values.begin(), values.end(), v) == values.end()) {
        ok = false;
        break;
      }
      if (!reason.empty()) reason += "; ";
      std::string list;
      for (const auto& x : values) list += (list.empty() ? "" : ",") + x;
      reason += field + "=" + v + " in [" + list + "]";
    }
    if (!ok) continue;
    if (reason.empty()) reason = "rule has no conditions";
    return {r.name, reason, r.pool};
  }
  return {"default", "no rule matched", default_pool};
}

}  // namespace baton::router
