// Shared builders for router domain tests.
#pragma once

#include <chrono>
#include <cstdlib>
#include <string>

#include "baton/time/rfc3339.h"
#include "baton/time/time.h"
#include "baton/time/zone.h"
#include "baton/v1/lead.pb.h"
#include "baton/v1/router_state.pb.h"
#include "baton/v1/routing.pb.h"
#include "domain/config.h"
#include "domain/selection.h"

namespace baton::router::test {

inline TimePoint at(const std::string& rfc3339) {
  auto t = time::parse_rfc3339(rfc3339);
  if (!t) std::abort();
  return *t;
}

inline google::protobuf::Timestamp ts(const std::string& rfc3339) {
  return time::to_timestamp(at(rfc3339));
}

// A rep working Mon-Fri 09:00-17:00 in `tz`, active, in `pool`.
inline v1::Rep rep(const std::string& id, const std::string& pool, const std::string& tz = "UTC") {
  v1::Rep r;
  r.set_id(id);
  r.set_manager_id("mgr-" + pool);
  r.add_pools(pool);
  r.set_time_zone(tz);
  r.set_active(true);
  for (int d = 1; d <= 5; ++d) r.mutable_working_hours()->add_days(d);
  r.mutable_working_hours()->set_start_minute(9 * 60);
  r.mutable_working_hours()->set_end_minute(17 * 60);
  return r;
}

inline Roster roster(std::initializer_list<v1::Rep> reps) {
  Roster r;
  for (const auto& x : reps) r.reps[x.id()] = x;
  return r;
}

inline PoolConfig make_pool(const std::string& name, Strategy s = Strategy::kRoundRobin) {
  PoolConfig p;
  p.name = name;
  p.strategy = s;
  return p;
}

inline RoutingConfig base_config() {
  RoutingConfig c;
  c.scoring.fit = {{"fit.industry.software", "industry", {"software"}, 20},
                   {"fit.employees.mid", "employee_band", {"201-1000", "1001-5000"}, 15},
                   {"fit.seniority.vp", "seniority", {"vp", "c_level"}, 10},
                   {"fit.seniority.student", "seniority", {"student"}, -40},
                   {"fit.domain.competitor", "email_domain", {"rival.example"}, -50}};
  c.scoring.signal_points = {{v1::SIGNAL_DEMO_REQUEST, 40},
                             {v1::SIGNAL_PRICING_PAGE_VIEW, 20},
                             {v1::SIGNAL_CONTENT_DOWNLOAD, 5},
                             {v1::SIGNAL_CAREERS_PAGE_VIEW, -10},
                             {v1::SIGNAL_UNSUBSCRIBE, -30}};
  c.scoring.half_life = std::chrono::hours(24 * 7);
  c.scoring.fit_min = 30;
  c.scoring.intent_min = 20;
  TierCondition high;
  high.tier = v1::TIER_HIGH_INTENT;
  high.fit_min = 30;
  high.signals_any = {v1::SIGNAL_DEMO_REQUEST};
  TierCondition standard;
  standard.tier = v1::TIER_STANDARD;
  standard.sales_ready = true;
  c.tiers = {high, standard};
  c.rules = {{"dach", {{"country", {"de", "at", "ch"}}}, "dach"},
             {"webinar-us", {{"country", {"us"}}, {"source", {"webinar"}}}, "us"}};
  c.default_pool = "general";
  for (const char* p : {"dach", "us", "general"}) c.pools[p].name = p;
  c.pools["dach"].fallback = "general";
  c.free_mail_domains = {"gmail.com", "yahoo.com"};
  c.identity.window = std::chrono::hours(24 * 30);
  c.max_reassignments = 2;
  return c;
}

// A high-fit capture of jane@acme.com (software, 201-1000, DE).
inline v1::LeadCaptured capture(const std::string& id, const std::string& event, const char* when,
                                const std::string& trigger = "demo_request") {
  v1::LeadCaptured l;
  l.mutable_envelope()->set_lead_id(id);
  l.mutable_envelope()->set_event_id(event);
  *l.mutable_envelope()->mutable_event_time() = ts(when);
  l.mutable_person()->set_email("jane@acme.com");
  l.mutable_company()->set_industry("software");
  l.mutable_company()->set_employee_band("201-1000");
  l.mutable_company()->set_country("DE");
  l.set_trigger_signal(trigger);
  l.mutable_first_touch()->set_landing_page("/" + event);
  l.mutable_latest_touch()->set_landing_page("/" + event);
  return l;
}

inline v1::LeadIntake intake(const v1::LeadCaptured& l) {
  v1::LeadIntake in;
  *in.mutable_lead() = l;
  return in;
}

inline v1::EngagementSignal signal(const std::string& lead, const std::string& id, v1::SignalType t,
                                   const char* when) {
  v1::EngagementSignal s;
  s.mutable_envelope()->set_lead_id(lead);
  s.mutable_envelope()->set_event_id(id);
  *s.mutable_envelope()->mutable_event_time() = ts(when);
  s.set_type(t);
  return s;
}

// The router's own assignment, read back.
inline v1::RoutingEvent assigned(const std::string& lead, const std::string& rep,
                                 const std::string& pool, v1::Tier tier = v1::TIER_HIGH_INTENT) {
  v1::RoutingEvent ev;
  ev.mutable_assignment()->mutable_envelope()->set_lead_id(lead);
  ev.mutable_assignment()->set_owner_rep_id(rep);
  ev.mutable_assignment()->mutable_handoff()->set_pool(pool);
  ev.mutable_assignment()->set_tier(tier);
  return ev;
}

}  // namespace baton::router::test
