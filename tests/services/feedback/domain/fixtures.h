// Builders for feedback domain tests.
#pragma once

#include <string>

#include "domain/lead.h"

namespace baton::feedback::test {

inline google::protobuf::Timestamp at(int64_t seconds) {
  google::protobuf::Timestamp t;
  t.set_seconds(seconds);
  return t;
}

inline TimePoint tp(int64_t seconds) { return TimePoint(std::chrono::seconds(seconds)); }

inline v1::Envelope env(const std::string& id, int64_t t, const std::string& lead = "L1") {
  v1::Envelope e;
  e.set_event_id(id);
  *e.mutable_event_time() = at(t);
  e.set_lead_id(lead);
  e.set_correlation_id("corr-" + lead);
  return e;
}

inline v1::Touch touch(int64_t t, const std::string& source, const std::string& campaign,
                       const std::string& url = "") {
  v1::Touch x;
  *x.mutable_time() = at(t);
  x.set_source(source);
  x.set_campaign(campaign);
  x.set_url(url.empty() ? "https://example.com/" + campaign : url);
  x.set_landing_page("/lp/" + campaign);
  x.set_ad_message("ad " + campaign);
  return x;
}

inline v1::LeadCaptured captured(const std::string& id, int64_t t, const std::string& lead = "L1") {
  v1::LeadCaptured c;
  *c.mutable_envelope() = env(id, t, lead);
  c.set_source("google");
  c.set_medium("cpc");
  c.set_campaign("spring");
  *c.mutable_first_touch() = touch(t - 100, "linkedin", "awareness");
  *c.mutable_latest_touch() = touch(t, "google", "spring");
  c.mutable_person()->set_email("ada@example.com");
  c.set_trigger_signal("demo_request");
  return c;
}

inline v1::RoutingEvent assignment(const std::string& id, int64_t t, const std::string& rep,
                                   double fit = 40, double intent = 30,
                                   const std::string& lead = "L1") {
  v1::RoutingEvent ev;
  auto* a = ev.mutable_assignment();
  *a->mutable_envelope() = env(id, t, lead);
  a->set_owner_rep_id(rep);
  a->set_tier(v1::TIER_HIGH_INTENT);
  *a->mutable_assigned_at() = at(t);
  auto* h = a->mutable_handoff();
  h->set_source("google");
  h->set_campaign("spring");
  h->mutable_score()->set_fit(fit);
  h->mutable_score()->set_intent(intent);
  *h->mutable_score()->mutable_computed_at() = at(t - 1);
  auto* item = h->mutable_score()->add_breakdown();
  item->set_rule("fit.industry.software");
  item->set_points(20);
  h->set_rule_matched("emea-enterprise");
  h->set_rule_reason("country=DE employees=1001-5000");
  h->set_pool("emea");
  h->set_selection("round_robin");
  auto* sk = h->add_skipped();
  sk->set_rep_id("rep-x");
  sk->set_reason("out_of_office");
  return ev;
}

inline v1::SalesActivity activity(const std::string& id, int64_t t, const std::string& rep) {
  v1::SalesActivity a;
  *a.mutable_envelope() = env(id, t);
  a.set_rep_id(rep);
  a.set_type(v1::ACTIVITY_CALL);
  return a;
}

inline v1::SlaEvent sla_met(const std::string& id, int64_t t, const std::string& rep,
                            double rep_delay) {
  v1::SlaEvent ev;
  auto* m = ev.mutable_met();
  *m->mutable_envelope() = env(id, t);
  m->set_owner_rep_id(rep);
  m->set_within_sla(true);
  m->set_rep_delay_seconds(rep_delay);
  return ev;
}

inline v1::StageChange change(const std::string& id, int64_t t, v1::Stage stage,
                              const std::string& rep = "") {
  v1::StageChange c;
  *c.mutable_envelope() = env(id, t);
  c.set_stage(stage);
  c.set_owner_rep_id(rep);
  return c;
}

inline v1::StageChange won(const std::string& id, int64_t t, int64_t amount,
                           const std::string& currency = "EUR") {
  auto c = change(id, t, v1::STAGE_WON);
  c.set_amount_minor(amount);
  c.set_currency(currency);
  return c;
}

inline v1::StageChange with_disposition(v1::StageChange c, v1::DispositionReason r,
                                        const std::string& text = {}) {
  c.mutable_disposition()->set_reason(r);
  c.mutable_disposition()->set_text(text);
  return c;
}

// Applies a step's new record (if any) to `lead`.
inline void adopt(MaybeLead& lead, const Step& s) {
  if (s.lead) lead = *s.lead;
}

}  // namespace baton::feedback::test
