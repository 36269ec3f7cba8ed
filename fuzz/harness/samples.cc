#include "harness/samples.h"

#include "baton/runtime/events.h"
#include "baton/v1/contract.h"

namespace baton::fuzz {

v1::Envelope envelope(const std::string& lead, const std::string& event, TimePoint at) {
  v1::Envelope env;
  env.set_lead_id(lead);
  env.set_event_id(event);
  *env.mutable_event_time() = runtime::to_timestamp(at);
  env.set_source_system("fuzz");
  env.set_schema_version("v1");
  env.set_correlation_id("corr-" + lead);
  return env;
}

v1::LeadCaptured sample_lead(const std::string& lead, const std::string& event, TimePoint at) {
  v1::LeadCaptured l;
  *l.mutable_envelope() = envelope(lead, event, at);
  auto* p = l.mutable_person();
  p->set_email("anna.fuzz@northwind.example");
  p->set_first_name("Anna");
  p->set_last_name("Fuzz");
  p->set_phone("+49 30 0000000");
  p->set_seniority("vp");
  p->set_title("VP Operations");
  p->set_language("de");
  auto* c = l.mutable_company();
  c->set_name("Northwind Example GmbH");
  c->set_domain("northwind.example");
  c->set_industry("software");
  c->set_employee_band("201-1000");
  c->set_country("DE");
  l.set_source("web");
  l.set_medium("organic");
  l.set_campaign("spring");
  l.set_trigger_signal("demo_request");
  l.set_hand_raise_reason("wants a demo");
  auto* t = l.mutable_latest_touch();
  *t->mutable_time() = runtime::to_timestamp(at);
  t->set_source("web");
  t->set_campaign("spring");
  t->set_landing_page("/demo");
  *l.mutable_first_touch() = *t;
  return l;
}

v1::EngagementSignal sample_signal(const std::string& lead, const std::string& event,
                                   v1::SignalType type, TimePoint at) {
  v1::EngagementSignal s;
  *s.mutable_envelope() = envelope(lead, event, at);
  s.set_type(type);
  s.set_url("https://example.com/pricing");
  return s;
}

v1::RoutingEvent sample_assignment(const std::string& lead, const std::string& event,
                                   const std::string& rep, TimePoint at) {
  v1::RoutingEvent ev;
  auto* a = ev.mutable_assignment();
  *a->mutable_envelope() = envelope(lead, event, at);
  a->set_owner_rep_id(rep);
  a->set_manager_id("rep-dach-mgr");
  a->set_tier(v1::TIER_HIGH_INTENT);
  a->mutable_handoff()->set_pool("dach");
  a->mutable_handoff()->set_source("web");
  *a->mutable_captured_at() = runtime::to_timestamp(at - std::chrono::minutes(1));
  *a->mutable_assigned_at() = runtime::to_timestamp(at);
  a->set_cycle(1);
  return ev;
}

v1::ReassignmentRequest sample_reassign(const std::string& lead, const std::string& event,
                                        const std::string& rep, TimePoint at) {
  v1::ReassignmentRequest r;
  *r.mutable_envelope() = envelope(lead, event, at);
  r.set_current_owner_rep_id(rep);
  r.set_reason("sla_breach");
  r.set_requested_by("sla-monitor");
  r.set_cycle(1);
  return r;
}

v1::SalesActivity sample_activity(const std::string& lead, const std::string& event,
                                  v1::ActivityType type, TimePoint at) {
  v1::SalesActivity a;
  *a.mutable_envelope() = envelope(lead, event, at);
  a.set_rep_id("rep-dach-1");
  a.set_type(type);
  if (type == v1::ACTIVITY_SCHEDULED_CALLBACK)
    *a.mutable_callback_at() = runtime::to_timestamp(at + std::chrono::hours(2));
  a.set_outcome("left voicemail");
  return a;
}

v1::StageChange sample_stage(const std::string& lead, const std::string& event, v1::Stage stage,
                             TimePoint at) {
  v1::StageChange s;
  *s.mutable_envelope() = envelope(lead, event, at);
  s.set_stage(stage);
  s.set_owner_rep_id("rep-dach-1");
  if (stage == v1::STAGE_LOST || stage == v1::STAGE_RECYCLED || stage == v1::STAGE_REJECTED) {
    s.mutable_disposition()->set_reason(v1::DISPOSITION_NO_BUDGET);
    s.mutable_disposition()->set_text("no budget this year");
  }
  if (stage == v1::STAGE_WON) {
    s.set_amount_minor(1200050);
    s.set_currency("EUR");
  }
  return s;
}

v1::LifecycleEvent sample_transition(const std::string& lead, const std::string& event,
                                     v1::Stage stage, TimePoint at) {
  v1::LifecycleEvent ev;
  auto* t = ev.mutable_transitioned();
  *t->mutable_envelope() = envelope(lead, event, at);
  t->set_to(stage);
  t->set_from(v1::STAGE_ASSIGNED);
  *t->mutable_at() = runtime::to_timestamp(at);
  t->set_owner_rep_id("rep-dach-1");
  return ev;
}

v1::SlaEvent sample_breach(const std::string& lead, const std::string& event, TimePoint at) {
  v1::SlaEvent ev;
  auto* b = ev.mutable_breached();
  *b->mutable_envelope() = envelope(lead, event, at);
  b->set_owner_rep_id("rep-dach-1");
  b->set_tier(v1::TIER_HIGH_INTENT);
  *b->mutable_deadline() = runtime::to_timestamp(at - std::chrono::minutes(5));
  return ev;
}

v1::ErasureRequest sample_erasure(const std::string& lead, const std::string& event, TimePoint at) {
  v1::ErasureRequest e;
  *e.mutable_envelope() = envelope(lead, event, at);
  e.set_requested_by("privacy-desk");
  e.set_legal_basis("gdpr-art-17");
  return e;
}

v1::PoolRequest sample_pool_request(const std::string& lead, const std::string& event,
                                    TimePoint at) {
  v1::PoolRequest r;
  *r.mutable_envelope() = envelope(lead, event, at);
  r.set_pool("dach");
  r.set_fallback_pool("general");
  r.set_tier(v1::TIER_HIGH_INTENT);
  r.mutable_handoff()->set_pool("dach");
  *r.mutable_captured_at() = runtime::to_timestamp(at);
  r.set_cycle(1);
  v1::set_pool_request_kind(r, v1::POOL_REQUEST_KIND_ASSIGN);
  return r;
}

}  // namespace baton::fuzz
