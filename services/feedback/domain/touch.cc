// SLA events and sales touches: proof of first response on the timeline,
// the response time marketing sees, and the derived Contacted stage.
#include <cstdio>
#include <optional>

#include "lead.h"
#include "lead_internal.h"
#include "lifecycle.h"
#include "timeline.h"

namespace baton::feedback {

using namespace detail;

namespace {

std::string secs(const char* what, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s=%.0fs", what, v);
  return buf;
}

std::string deadline(const google::protobuf::Timestamp& t) {
  return "deadline=" + std::to_string(t.seconds());
}

}  // namespace

Step on_sla_event(const MaybeLead& lead, const v1::SlaEvent& in, const FeedbackPolicy& p,
                  TimePoint now) {
  switch (in.kind_case()) {
    case v1::SlaEvent::kStarted: {
      const auto& e = in.started();
      return note(lead, e.envelope(), "sla_clock_started", e.owner_rep_id(),
                  "policy=" + e.policy() + " " + deadline(e.deadline()),
                  {"tier " + v1::Tier_Name(e.tier()),
                   e.business_hours() ? "business hours" : "calendar hours"},
                  p, now);
    }
    case v1::SlaEvent::kWarning: {
      const auto& e = in.warning();
      return note(lead, e.envelope(), "sla_warning", e.owner_rep_id(),
                  secs("remaining", e.remaining_seconds()), {deadline(e.deadline())}, p, now);
    }
    case v1::SlaEvent::kBreached: {
      const auto& e = in.breached();
      return note(lead, e.envelope(), "sla_breached", e.owner_rep_id(), deadline(e.deadline()),
                  {e.on_reassignment() ? "on reassignment" : "deadline passed"}, p, now);
    }
    case v1::SlaEvent::kEscalated: {
      const auto& e = in.escalated();
      return note(lead, e.envelope(), "sla_escalated", e.owner_rep_id(),
                  "manager=" + e.manager_id(), {secs("overdue", e.overdue_seconds())}, p, now);
    }
    case v1::SlaEvent::kMet: {
      const auto& e = in.met();
      Step s = note(lead, e.envelope(), "sla_met", e.owner_rep_id(),
                    secs("rep_delay", e.rep_delay_seconds()),
                    {e.within_sla() ? "within SLA" : "late",
                     secs("system_delay", e.system_delay_seconds()), e.activity_type()},
                    p, now);
      // The SLA's own measure (business seconds where the policy says so)
      // is the response time; the first SlaMet of a cycle counts.
      if (s.lead && !s.lead->responded()) {
        s.lead->set_responded(true);
        s.lead->set_response_time_seconds(e.rep_delay_seconds());
      }
      return s;
    }
    case v1::SlaEvent::kRecycleRejected: {
      const auto& e = in.recycle_rejected();
      return note(
          lead, e.envelope(), "recycle_rejected", e.owner_rep_id(),
          "attempts " + std::to_string(e.attempts()) + "/" + std::to_string(e.required_attempts()),
          {"missing: " + e.missing()}, p, now);
    }
    case v1::SlaEvent::kReassignmentRequested: {
      const auto& e = in.reassignment_requested();
      return note(lead, e.envelope(), "reassignment_requested", e.owner_rep_id(), e.reason(), {}, p,
                  now);
    }
    default:
      return ignored("empty");
  }
}

namespace {

bool between_cycles(const state::LeadRecord& lead) {
  const auto st = lead.stage();
  return st == v1::STAGE_RECYCLED || st == v1::STAGE_LOST || st == v1::STAGE_WON ||
         st == v1::STAGE_REJECTED;
}

// When the lead entered its current stage (the last history entry).
google::protobuf::Timestamp closed_at(const state::LeadRecord& lead) {
  return lead.history_size() > 0 ? lead.history(lead.history_size() - 1).at()
                                 : google::protobuf::Timestamp();
}

}  // namespace

Step on_sales_activity(const MaybeLead& lead, const v1::SalesActivity& in, const FeedbackPolicy& p,
                       TimePoint now) {
  const auto& env = in.envelope();
  std::vector<std::string> reasons;
  if (!in.outcome().empty()) reasons.push_back("outcome: " + in.outcome());
  // The touch can be read before the capture and the assignment (they come
  // on other topics, and a restarted instance catches up on them unevenly):
  // keep it, so the assignment still derives Contacted from it.
  MaybeLead known = lead;
  if (!known) known = early_lead(env, event_time(env, now));
  // The owner's first touch in this assignment: its rep delay.
  std::optional<int64_t> rep_delay;
  if (known->has_current_assigned_at() && !known->has_rep_delay_ms() && !in.rep_id().empty() &&
      in.rep_id() == known->owner_rep_id()) {
    rep_delay = millis_between(known->current_assigned_at(), event_time(env, now));
    reasons.push_back("rep delay " + delay_text(*rep_delay));
  }
  Step s = note(known, env, "touch", in.rep_id(), v1::ActivityType_Name(in.type()),
                std::move(reasons), p, now);
  if (!s.lead) return s;
  state::LeadRecord& next = *s.lead;
  if (rep_delay) {
    next.set_rep_delay_ms(*rep_delay);
    s.rep_delays.push_back({next.tier_at_handoff(), next.source(), *rep_delay, next.campaign()});
  }
  // Between cycles (recycled or closed) a touch after the close may be the
  // next cycle's first, read before its assignment: it replaces a touch of
  // the ended cycle (the assignment keeps it only if it is not older).
  const auto touched = event_time(env, now);
  if (!next.has_first_touch_at() ||
      (between_cycles(next) && earlier(next.first_touch_at(), closed_at(next)) &&
       !earlier(touched, closed_at(next))))
    *next.mutable_first_touch_at() = touched;
  derive_contacted(next, env, in.rep_id(), p, s);
  return s;
}

}  // namespace baton::feedback
