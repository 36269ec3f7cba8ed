// Fixtures for the sla-monitor domain tests: zones from the system tzdata,
// instants in UTC, the example policies, and event builders.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "sla_clock.h"
#include "sla_config.h"
#include "sla_time.h"

namespace baton::sla::testing {

inline runtime::Result<std::shared_ptr<const TimeZone>> load_zone(const std::string& name) {
  return time::system_zones().load(name);
}

inline TimePoint utc(int y, int mo, int d, int h = 0, int mi = 0, int s = 0) {
  return time::from_millis((days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s) * 1000);
}

inline google::protobuf::Timestamp ts(TimePoint t) {
  google::protobuf::Timestamp out;
  out.set_seconds(time::to_millis(t) / 1000);
  return out;
}

inline Calendar new_york(std::vector<std::string> holidays = {"2024-12-25"}) {
  CalendarSpec spec;
  spec.time_zone = "America/New_York";
  spec.holidays = std::move(holidays);
  return Calendar(spec, time::system_zones().get("America/New_York"));
}

// High intent 5m / escalate 10m / reassign 20m (24x7); standard 15m in
// business hours; nurture same business day. New York calendar.
inline SlaConfigSpec example_spec() {
  SlaConfigSpec s;
  PolicySpec hi;
  hi.tier = "high_intent";
  hi.first_touch_ms = 5 * 60000;
  hi.escalate_after_ms = 10 * 60000;
  hi.reassign_after_ms = 20 * 60000;
  hi.clock = "24x7";
  PolicySpec std_;
  std_.tier = "standard";
  std_.first_touch_ms = 15 * 60000;
  std_.clock = "business_hours";
  std_.qualifying_activities = {"call", "email", "connect"};
  PolicySpec nurture;
  nurture.tier = "nurture";
  nurture.same_business_day = true;
  nurture.clock = "business_hours";
  s.tiers = {hi, std_, nurture};
  s.default_calendar.time_zone = "America/New_York";
  s.default_calendar.holidays = {"2024-12-25"};
  s.min_attempts = 3;
  s.min_distinct = 2;
  s.unknown_activity_window_ms = 3600 * 1000;
  return s;
}

inline SlaConfig example_config() {
  auto r = build_config(example_spec(), load_zone, "sla-monitor");
  if (!r) {
    for (const auto& e : r.error()) ADD_FAILURE() << e.text();
    return SlaConfig{};
  }
  return std::move(r).value();
}

inline v1::Assignment assignment(const std::string& lead, const std::string& id,
                                 const std::string& owner, v1::Tier tier, TimePoint at,
                                 TimePoint captured) {
  v1::Assignment a;
  a.mutable_envelope()->set_lead_id(lead);
  a.mutable_envelope()->set_event_id(id);
  *a.mutable_envelope()->mutable_event_time() = ts(at);
  a.set_owner_rep_id(owner);
  a.set_manager_id("mgr-" + owner);
  a.set_tier(tier);
  *a.mutable_assigned_at() = ts(at);
  *a.mutable_captured_at() = ts(captured);
  return a;
}

inline v1::SalesActivity activity(const std::string& lead, const std::string& id,
                                  const std::string& rep, v1::ActivityType type, TimePoint at) {
  v1::SalesActivity a;
  a.mutable_envelope()->set_lead_id(lead);
  a.mutable_envelope()->set_event_id(id);
  *a.mutable_envelope()->mutable_event_time() = ts(at);
  a.set_rep_id(rep);
  a.set_type(type);
  return a;
}

inline const v1::SlaEvent* sla_event(const SlaDecision& d, size_t i) {
  if (i >= d.outputs.size()) return nullptr;
  return std::get_if<v1::SlaEvent>(&d.outputs[i].message);
}

inline bool has_timer(const SlaDecision& d, const std::string& id, TimePoint due) {
  for (const auto& t : d.set_timers)
    if (t.id == id && t.due == due) return true;
  return false;
}

inline bool cancels(const SlaDecision& d, const std::string& id) {
  for (const auto& t : d.cancel_timers)
    if (t == id) return true;
  return false;
}

}  // namespace baton::sla::testing
