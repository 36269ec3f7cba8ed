// Small builders of contract messages shared by the broker tests.
#pragma once

#include <string>
#include <vector>

#include "baton/v1/roster.pb.h"

namespace baton::test {

// An active rep working 24x7 in UTC (deterministic routing), managed by
// "mgr-<first pool>".
inline v1::Rep always_on_rep(const std::string& id, const std::vector<std::string>& pools) {
  v1::Rep r;
  r.set_id(id);
  r.set_name(id);
  if (!pools.empty()) r.set_manager_id("mgr-" + pools[0]);
  for (const auto& p : pools) r.add_pools(p);
  r.set_time_zone("UTC");
  auto* wh = r.mutable_working_hours();
  for (int d = 1; d <= 7; ++d) wh->add_days(d);
  wh->set_start_minute(0);
  wh->set_end_minute(24 * 60);
  r.set_active(true);
  return r;
}

// The same in one pool.
inline v1::Rep always_on_rep(const std::string& id, const std::string& pool) {
  return always_on_rep(id, std::vector<std::string>{pool});
}

}  // namespace baton::test
