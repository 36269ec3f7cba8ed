// Ordered routing rules: first match wins, a default pool catches the rest.
#pragma once

#include <string>
#include <vector>

#include "baton/v1/lead.pb.h"
#include "config.h"

namespace baton::router {

struct RuleOutcome {
  std::string rule;    // rule name, "default" when none matched
  std::string reason;  // e.g. "country=de in [de,at,ch]; source=webinar"
  std::string pool;
};

RuleOutcome match_rule(const v1::LeadCaptured& lead, const std::vector<RoutingRule>& rules,
                       const std::string& default_pool);

}  // namespace baton::router
