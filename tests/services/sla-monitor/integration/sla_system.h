// Helpers for the sla-monitor's integration tests on the real broker: a
// short-duration SLA config (24x7, seconds instead of minutes), typed
// builders for the inputs and readers for SLA events per lead.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "baton/runtime/events.h"
#include "baton/v1/activity.pb.h"
#include "baton/v1/lifecycle.pb.h"
#include "baton/v1/roster.pb.h"
#include "baton/v1/routing.pb.h"
#include "baton/v1/sla.pb.h"
#include "builders.h"
#include "system.h"

namespace baton::test::sla {

struct ShortPolicy {
  std::string first_touch = "3s";
  double warning_fraction = 0.5;
  std::string escalate_after = "5s";
  std::string reassign_after = "8s";
};

// Writes an sla-monitor config with 24x7 clocks in UTC and the given
// high-intent policy (standard and nurture: 1 h / 1 d) into the system's
// folder; min attempts: 3 over 2 distinct channels. Returns its path.
inline std::string write_short_config(const System& sys, const ShortPolicy& p) {
  const std::string path = sys.dir() + "/sla-monitor.test.yaml";
  write_file(path, R"(kafka:
  bootstrap_servers: localhost:9092
runtime:
  application_id: baton-sla-monitor
sla-monitor:
  default_calendar:
    time_zone: UTC
    days: [1, 2, 3, 4, 5, 6, 7]
    start: "00:00"
    end: "24:00"
  tiers:
    high_intent:
      first_touch: )" + p.first_touch +
                       R"(
      warning_fraction: )" +
                       std::to_string(p.warning_fraction) +
                       R"(
      escalate_after: )" +
                       p.escalate_after +
                       R"(
      reassign_after: )" +
                       p.reassign_after +
                       R"(
      clock: 24x7
    standard:
      first_touch: 1h
      clock: 24x7
    nurture:
      first_touch: 1d
      clock: 24x7
  min_attempts:
    attempts: 3
    distinct: 2
    over: channels
  unknown_activity_window: 1h
)");
  return path;
}

// A high-intent assignment as the router would publish it.
inline v1::RoutingEvent assignment(const std::string& lead, const std::string& owner,
                                   runtime::TimePoint at) {
  v1::RoutingEvent ev;
  auto* a = ev.mutable_assignment();
  a->mutable_envelope()->set_event_id("assign-" + lead);
  a->mutable_envelope()->set_lead_id(lead);
  *a->mutable_envelope()->mutable_event_time() = runtime::to_timestamp(at);
  a->set_owner_rep_id(owner);
  a->set_manager_id("mgr-" + owner);
  a->set_tier(v1::TIER_HIGH_INTENT);
  *a->mutable_captured_at() = runtime::to_timestamp(at);
  *a->mutable_assigned_at() = runtime::to_timestamp(at);
  return ev;
}

inline v1::SalesActivity activity(const std::string& lead, const std::string& id,
                                  const std::string& rep, v1::ActivityType type,
                                  runtime::TimePoint at) {
  v1::SalesActivity a;
  a.mutable_envelope()->set_event_id(id);
  a.mutable_envelope()->set_lead_id(lead);
  *a.mutable_envelope()->mutable_event_time() = runtime::to_timestamp(at);
  a.set_rep_id(rep);
  a.set_type(type);
  return a;
}

// SLA events of one lead, by kind name ("warning", "breached", ...).
struct LeadEvents {
  std::map<std::string, std::vector<v1::SlaEvent>> by_kind;
  size_t count(const std::string& kind) const {
    auto it = by_kind.find(kind);
    return it == by_kind.end() ? 0 : it->second.size();
  }
};

inline std::string kind_of(const v1::SlaEvent& ev) {
  const auto* f = ev.GetDescriptor()->FindFieldByNumber(static_cast<int>(ev.kind_case()));
  return f ? f->name() : "none";
}

// Every committed SLA event so far, grouped by lead and kind.
inline std::map<std::string, LeadEvents> sla_events(System& sys) {
  std::map<std::string, LeadEvents> out;
  for (const auto& r : sys.read("baton.sla.events")) {
    v1::SlaEvent ev;
    if (!ev.ParseFromString(r.value)) continue;
    auto& e = out[r.key].by_kind[kind_of(ev)];
    e.push_back(std::move(ev));
  }
  return out;
}

}  // namespace baton::test::sla
