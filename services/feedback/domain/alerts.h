// Real-time alerts to reps (seed 002, issue 19 point 7): which routing and
// SLA events alert which rep, with what one line. Pure: no I/O, no clock.
//
// Rules:
// - Assignment with an owner -> ASSIGNED to the owner, with the handoff's
//   why (or tier and pool when the router gave no why).
// - Assignment whose previous_owner_rep_id is set (and differs from the
//   owner) -> also REASSIGNED_AWAY to the previous owner.
// - SlaWarning with an owner -> SLA_WARNING to the owner, due at the deadline.
// - Nothing else alerts. The adapter drops the alerts of a duplicate input
//   (the lead already saw its event id) and of an erased lead, and derives
//   each alert's id from the source event, so a replay yields the same ids.
//
// Alerts carry ids, tier, pool, company name and the why: nothing the
// handoff package does not already carry (no email, name or phone).
#pragma once

#include <string>
#include <vector>

#include "baton/v1/notification.pb.h"
#include "baton/v1/routing.pb.h"
#include "baton/v1/sla.pb.h"
#include "timepoint.h"

namespace baton::feedback {

// Alert ids are left empty: the adapter derives them (alert_purpose()).
std::vector<v1::RepAlert> rep_alerts(const v1::RoutingEvent& in, TimePoint now);
std::vector<v1::RepAlert> rep_alerts(const v1::SlaEvent& in, TimePoint now);
// Other inputs alert nobody.
template <typename M>
std::vector<v1::RepAlert> rep_alerts(const M&, TimePoint) {
  return {};
}

// What the adapter derives an alert's id from, with the source event id.
std::string alert_purpose(const v1::RepAlert& alert);

}  // namespace baton::feedback
