// Builders and readers shared by feedback's broker tests (journey, kill -9):
// contract messages of one lead's journey and typed views of the output
// topics accumulated by System::read.
#pragma once

#include <chrono>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "baton/runtime/events.h"
#include "baton/v1/activity.pb.h"
#include "baton/v1/lead.pb.h"
#include "baton/v1/lifecycle.pb.h"
#include "baton/v1/outcome.pb.h"
#include "baton/v1/roster.pb.h"
#include "baton/v1/routing.pb.h"
#include "baton/v1/sla.pb.h"
#include "builders.h"
#include "system.h"

namespace baton::test::journey {

using runtime::TimePoint;

inline void send_roster(System& sys) {
  for (const auto& [id, pool] : std::vector<std::pair<std::string, std::string>>{
           {"rep-dach-1", "dach"}, {"rep-dach-2", "dach"}, {"rep-gen-1", "general"}})
    sys.send("baton.roster.reps", id, always_on_rep(id, pool));
}

inline v1::Envelope envelope(const std::string& event_id, const std::string& lead, TimePoint at,
                             const std::string& source_system = "baton-tests") {
  v1::Envelope e;
  e.set_event_id(event_id);
  e.set_lead_id(lead);
  *e.mutable_event_time() = runtime::to_timestamp(at);
  e.set_source_system(source_system);
  e.set_schema_version("v1");
  e.set_correlation_id("corr-" + lead);
  return e;
}

inline v1::Touch touch(TimePoint at, const std::string& source, const std::string& medium,
                       const std::string& campaign, const std::string& landing_page,
                       const std::string& ad_id, const std::string& ad_message) {
  v1::Touch t;
  *t.mutable_time() = runtime::to_timestamp(at);
  t.set_url("https://www.example.com" + landing_page + "?utm_campaign=" + campaign);
  t.set_landing_page(landing_page);
  t.set_source(source);
  t.set_medium(medium);
  t.set_campaign(campaign);
  t.set_ad_id(ad_id);
  t.set_ad_message(ad_message);
  return t;
}

// The journey's marketing context: a webinar first touch three days ago,
// then the paid-social demo ad that converted the visitor an hour ago.
struct Context {
  v1::Touch first, latest;
};

inline Context context(TimePoint now) {
  using std::chrono::hours;
  return {touch(now - hours(72), "webinar", "email", "q3-webinar", "/webinar", "ad-web-1",
                "Route leads in seconds"),
          touch(now - hours(1), "linkedin", "paid-social", "q4-demo", "/demo", "ad-li-7",
                "See Baton live")};
}

// A DACH demo request (routed to the dach pool, high intent).
inline v1::LeadCaptured demo_request(const std::string& lead, const std::string& event_id,
                                     const std::string& email, TimePoint now) {
  const Context c = context(now);
  v1::LeadCaptured l;
  *l.mutable_envelope() = envelope(event_id, lead, now, "web-form");
  l.mutable_person()->set_email(email);
  l.mutable_person()->set_first_name("Ana");
  l.mutable_person()->set_seniority("vp");
  l.mutable_company()->set_industry("software");
  l.mutable_company()->set_employee_band("201-1000");
  l.mutable_company()->set_country("de");
  l.set_source("linkedin");
  l.set_medium("paid-social");
  l.set_campaign("q4-demo");
  *l.mutable_first_touch() = c.first;
  *l.mutable_latest_touch() = c.latest;
  l.set_trigger_signal("demo_request");
  l.set_hand_raise_reason("Wants a demo for 40 reps");
  return l;
}

inline v1::SalesActivity call(const std::string& lead, const std::string& event_id,
                              const std::string& rep, TimePoint at) {
  v1::SalesActivity a;
  *a.mutable_envelope() = envelope(event_id, lead, at, "crm");
  a.set_rep_id(rep);
  a.set_type(v1::ACTIVITY_CALL);
  a.set_outcome("connected");
  return a;
}

inline v1::StageChange stage(const std::string& lead, const std::string& event_id, v1::Stage s,
                             const std::string& rep, TimePoint at) {
  v1::StageChange c;
  *c.mutable_envelope() = envelope(event_id, lead, at, "crm");
  c.set_stage(s);
  c.set_owner_rep_id(rep);
  return c;
}

inline v1::StageChange won(const std::string& lead, const std::string& event_id,
                           const std::string& rep, TimePoint at, int64_t amount_minor) {
  v1::StageChange c = stage(lead, event_id, v1::STAGE_WON, rep, at);
  c.set_amount_minor(amount_minor);
  c.set_currency("EUR");
  return c;
}

// Typed views over what System::read accumulated.
inline std::vector<v1::Outcome> outcomes(System& sys, std::chrono::milliseconds budget) {
  std::vector<v1::Outcome> out;
  for (const auto& r : sys.read("baton.outcomes", budget)) {
    v1::Outcome o;
    if (o.ParseFromString(r.value)) out.push_back(std::move(o));
  }
  return out;
}

inline std::vector<v1::LifecycleEvent> lifecycle(System& sys, std::chrono::milliseconds budget) {
  std::vector<v1::LifecycleEvent> out;
  for (const auto& r : sys.read("baton.lifecycle.events", budget)) {
    v1::LifecycleEvent e;
    if (e.ParseFromString(r.value)) out.push_back(std::move(e));
  }
  return out;
}

// Leads that reached `to` (one entry per StageTransitioned).
inline std::multiset<std::string> transitioned_to(const std::vector<v1::LifecycleEvent>& events,
                                                  v1::Stage to) {
  std::multiset<std::string> out;
  for (const auto& e : events)
    if (e.has_transitioned() && e.transitioned().to() == to)
      out.insert(e.transitioned().envelope().lead_id());
  return out;
}

inline std::multiset<std::string> outcomes_at(const std::vector<v1::Outcome>& all, v1::Stage s) {
  std::multiset<std::string> out;
  for (const auto& o : all)
    if (o.stage() == s) out.insert(o.envelope().lead_id());
  return out;
}

inline int64_t credited(const google::protobuf::RepeatedPtrField<v1::AttributionCredit>& c) {
  int64_t sum = 0;
  for (const auto& x : c) sum += x.amount_minor();
  return sum;
}

}  // namespace baton::test::journey
