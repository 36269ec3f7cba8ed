// Small builders of contract messages shared by the broker tests.
#pragma once

#include <string>

#include "baton/v1/roster.pb.h"

namespace baton::test {

// An active rep in one pool, working 24x7 in UTC (deterministic routing).
inline v1::Rep always_on_rep(const std::string& id, const std::string& pool) {
  v1::Rep r;
  r.set_id(id);
  r.set_name(id);
  r.set_manager_id("mgr-" + pool);
  r.add_pools(pool);
  r.set_time_zone("UTC");
  auto* wh = r.mutable_working_hours();
  for (int d = 1; d <= 7; ++d) wh->add_days(d);
  wh->set_start_minute(0);
  wh->set_end_minute(24 * 60);
  r.set_active(true);
  return r;
}

}  // namespace baton::test
