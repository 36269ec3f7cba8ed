// Who can take an escalation: the one climb up a management chain that the
// SLA monitor (breach escalation) and the router (pool-level escalation to
// the pool's manager) share. It starts at a manager, passes over anyone the
// caller says is unavailable (inactive, or the one Calendar's reason: out of
// office, holiday, off hours) and goes on to that person's manager, at most
// `max_chain` people, stopping at a cycle, at the owner, or at an id the
// roster does not know. What to do when nobody could take it (a fallback) is
// the caller's. Pure: the caller's lookup answers at its `now`.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace baton::time {

// One person of the chain as the caller sees them.
struct ChainMember {
  std::string manager_id;       // the next one up ("" at the top)
  std::string why_unavailable;  // "" when this person can take it now
};
// nullopt: the id is not in the roster (the climb stops there).
using ChainLookup = std::function<std::optional<ChainMember>(const std::string& id)>;

struct ChainChoice {
  std::string to;  // the first available person; "" when nobody was
  std::vector<std::pair<std::string, std::string>> skipped;  // id, reason
};

inline ChainChoice climb_chain(const std::string& owner_id, const std::string& first, int max_chain,
                               const ChainLookup& lookup) {
  ChainChoice out;
  std::vector<std::string> seen{owner_id};
  std::string id = first;
  for (int hop = 0; hop < max_chain && !id.empty(); ++hop) {
    bool again = false;
    for (const auto& s : seen) again = again || s == id;
    if (again) break;  // a cycle in the chain, or back at the owner
    seen.push_back(id);
    auto m = lookup(id);
    if (!m) {
      out.skipped.emplace_back(id, "not_in_roster");
      break;  // nobody known above
    }
    if (m->why_unavailable.empty()) {
      out.to = id;
      return out;
    }
    out.skipped.emplace_back(id, m->why_unavailable);
    id = m->manager_id;
  }
  return out;
}

}  // namespace baton::time
