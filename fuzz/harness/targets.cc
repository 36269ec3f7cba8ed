#include "harness/targets.h"

namespace baton::fuzz {

std::string frame(uint8_t topic, uint8_t flags, const std::string& value) {
  std::string out;
  out.push_back(static_cast<char>(topic));
  out.push_back(static_cast<char>(flags));
  return out + value;
}

const std::vector<Target>& all_targets() {
  static const std::vector<Target> kTargets = {{"router", router_one},
                                               {"sla_monitor", sla_monitor_one},
                                               {"feedback", feedback_one},
                                               {"config", config_one},
                                               {"cli_json", cli_json_one}};
  return kTargets;
}

}  // namespace baton::fuzz
