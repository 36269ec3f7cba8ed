// baton send-lead | send-signal | activity | stage | erase
#include <cstdio>

#include "baton/v1/activity.pb.h"
#include "baton/v1/lead.pb.h"
#include "baton/v1/lifecycle.pb.h"
#include "commands.h"

namespace baton::cli {
namespace {

namespace pb = google::protobuf;

// Produces `msg` (whose envelope is complete) and waits for delivery.
int deliver(const Globals& g, TopicRole role, const pb::Message& msg, const v1::Envelope& env) {
  auto producer = open_producer(g);
  if (!producer) return fail(producer.error());
  const std::string t = topic(g, role);
  if (auto s = send_event(**producer, t, env.lead_id(), msg, env.event_id(), env.source_system(),
                          from_timestamp(env.event_time()));
      !s)
    return fail(s.error());
  if (auto s = (*producer)->flush(); !s) return fail(s.error());
  std::printf("sent %s %s event %s to %s\n", msg.GetDescriptor()->name().c_str(),
              env.lead_id().c_str(), env.event_id().c_str(), t.c_str());
  return kOk;
}

struct LeadFlags {
  std::string file, lead_id, email, first_name, last_name, title, seniority, language, company,
      domain, industry, employees, country, source, medium, campaign, landing_page, ad_message,
      reason, trigger, product;
};

void set_if(const std::string& v, std::string* field) {
  if (!v.empty()) *field = v;
}

int run_send_lead(const Globals& g, const LeadFlags& f) {
  v1::LeadCaptured lead;
  if (!f.file.empty()) {
    auto text = read_file(f.file);
    if (!text) return fail(text.error());
    if (auto s = parse_json(*text, lead, f.file); !s) return fail(s.error());
  }
  auto* p = lead.mutable_person();
  set_if(f.email, p->mutable_email());
  set_if(f.first_name, p->mutable_first_name());
  set_if(f.last_name, p->mutable_last_name());
  set_if(f.title, p->mutable_title());
  set_if(f.seniority, p->mutable_seniority());
  set_if(f.language, p->mutable_language());
  auto* c = lead.mutable_company();
  set_if(f.company, c->mutable_name());
  set_if(f.domain, c->mutable_domain());
  set_if(f.industry, c->mutable_industry());
  set_if(f.employees, c->mutable_employee_band());
  set_if(f.country, c->mutable_country());
  if (c->domain().empty() && p->email().find('@') != std::string::npos)
    c->set_domain(p->email().substr(p->email().find('@') + 1));
  set_if(f.source, lead.mutable_source());
  set_if(f.medium, lead.mutable_medium());
  set_if(f.campaign, lead.mutable_campaign());
  set_if(f.reason, lead.mutable_hand_raise_reason());
  set_if(f.trigger, lead.mutable_trigger_signal());
  set_if(f.product, lead.mutable_product_interest());
  const auto now = std::chrono::system_clock::now();
  if (!f.landing_page.empty() || !f.ad_message.empty()) {
    auto* t = lead.mutable_latest_touch();
    set_if(f.landing_page, t->mutable_landing_page());
    set_if(f.ad_message, t->mutable_ad_message());
    if (t->source().empty()) t->set_source(lead.source());
    if (t->campaign().empty()) t->set_campaign(lead.campaign());
    if (!t->has_time()) *t->mutable_time() = to_timestamp(now);
  }
  auto* env = lead.mutable_envelope();
  if (!f.lead_id.empty()) env->set_lead_id(f.lead_id);
  if (env->lead_id().empty()) env->set_lead_id("L-" + random_uuid().substr(0, 8));
  fill_envelope(*env, env->lead_id(), now, random_uuid(), "baton-cli");
  if (p->email().empty() && c->name().empty() && c->domain().empty())
    return fail(Error{"input.lead", "a lead needs at least --email or --company (or --file)"});
  return deliver(g, TopicRole::kLeadsCaptured, lead, *env);
}

struct EventFlags {
  std::string lead, rep, type, url, outcome, callback_at, stage, reason, text, amount, currency, by,
      basis, file;
  double weight = 0;
};

int run_send_signal(const Globals& g, const EventFlags& f) {
  v1::EngagementSignal sig;
  if (!f.file.empty()) {
    auto text = read_file(f.file);
    if (!text) return fail(text.error());
    if (auto s = parse_json(*text, sig, f.file); !s) return fail(s.error());
  }
  if (!f.type.empty()) {
    auto t = parse_enum(v1::SignalType_descriptor(), "SIGNAL_", f.type, "--type");
    if (!t) return fail(t.error());
    sig.set_type(static_cast<v1::SignalType>(*t));
  }
  if (sig.type() == v1::SIGNAL_UNSPECIFIED)
    return fail(Error{"input.signal", "--type is required"});
  set_if(f.url, sig.mutable_url());
  if (f.weight > 0) sig.set_weight_override(f.weight);
  fill_envelope(*sig.mutable_envelope(), f.lead, std::chrono::system_clock::now(), random_uuid(),
                "baton-cli");
  if (sig.envelope().lead_id().empty()) return fail(Error{"input.signal", "--lead is required"});
  return deliver(g, TopicRole::kLeadsSignals, sig, sig.envelope());
}

int run_activity(const Globals& g, const EventFlags& f) {
  v1::SalesActivity act;
  auto t = parse_enum(v1::ActivityType_descriptor(), "ACTIVITY_", f.type, "--type");
  if (!t) return fail(t.error());
  act.set_type(static_cast<v1::ActivityType>(*t));
  act.set_rep_id(f.rep);
  act.set_outcome(f.outcome);
  if (!f.callback_at.empty()) {
    auto ts = parse_time(f.callback_at, "--callback-at");
    if (!ts) return fail(ts.error());
    *act.mutable_callback_at() = *ts;
  }
  fill_envelope(*act.mutable_envelope(), f.lead, std::chrono::system_clock::now(), random_uuid(),
                "baton-cli");
  return deliver(g, TopicRole::kSalesActivities, act, act.envelope());
}

int run_stage(const Globals& g, const EventFlags& f) {
  v1::StageChange sc;
  auto s = parse_enum(v1::Stage_descriptor(), "STAGE_", f.stage, "--stage");
  if (!s) return fail(s.error());
  sc.set_stage(static_cast<v1::Stage>(*s));
  if (!f.reason.empty()) {
    auto r = parse_enum(v1::DispositionReason_descriptor(), "DISPOSITION_", f.reason, "--reason");
    if (!r) return fail(r.error());
    sc.mutable_disposition()->set_reason(static_cast<v1::DispositionReason>(*r));
  }
  if (!f.text.empty()) sc.mutable_disposition()->set_text(f.text);
  if (!f.amount.empty()) {
    auto minor = parse_amount_minor(f.amount);
    if (!minor) return fail(minor.error());
    if (f.currency.size() != 3)
      return fail(Error{"input.amount", "--currency: expected an ISO 4217 code like EUR"});
    sc.set_amount_minor(*minor);
    sc.set_currency(f.currency);
  }
  sc.set_owner_rep_id(f.rep);
  fill_envelope(*sc.mutable_envelope(), f.lead, std::chrono::system_clock::now(), random_uuid(),
                "baton-cli");
  return deliver(g, TopicRole::kCrmStageChanges, sc, sc.envelope());
}

int run_erase(const Globals& g, const EventFlags& f) {
  v1::ErasureRequest req;
  req.set_requested_by(f.by);
  req.set_legal_basis(f.basis);
  fill_envelope(*req.mutable_envelope(), f.lead, std::chrono::system_clock::now(), random_uuid(),
                "baton-cli");
  return deliver(g, TopicRole::kPrivacyErasure, req, req.envelope());
}

}  // namespace

void add_send_commands(CLI::App& app, Globals& g, int& rc) {
  auto lf = std::make_shared<LeadFlags>();
  auto* lead = app.add_subcommand("send-lead", "Send a LeadCaptured (flags or a JSON file)");
  lead->add_option("--file", lf->file, "LeadCaptured in protobuf JSON (flags override fields)")
      ->check(CLI::ExistingFile);
  const std::pair<const char*, std::string LeadFlags::*> lead_opts[] = {
      {"--lead-id", &LeadFlags::lead_id},       {"--email", &LeadFlags::email},
      {"--first-name", &LeadFlags::first_name}, {"--last-name", &LeadFlags::last_name},
      {"--title", &LeadFlags::title},           {"--seniority", &LeadFlags::seniority},
      {"--language", &LeadFlags::language},     {"--company", &LeadFlags::company},
      {"--domain", &LeadFlags::domain},         {"--industry", &LeadFlags::industry},
      {"--employees", &LeadFlags::employees},   {"--country", &LeadFlags::country},
      {"--source", &LeadFlags::source},         {"--medium", &LeadFlags::medium},
      {"--campaign", &LeadFlags::campaign},     {"--landing-page", &LeadFlags::landing_page},
      {"--ad-message", &LeadFlags::ad_message}, {"--reason", &LeadFlags::reason},
      {"--trigger", &LeadFlags::trigger},       {"--product", &LeadFlags::product},
  };
  for (const auto& [name, member] : lead_opts) lead->add_option(name, (*lf).*member);
  lead->callback([&g, &rc, lf] { rc = run_send_lead(g, *lf); });

  auto ef = std::make_shared<EventFlags>();
  auto* sig = app.add_subcommand("send-signal", "Send an EngagementSignal");
  sig->add_option("--lead", ef->lead, "Lead id");
  sig->add_option("--type", ef->type, "demo_request, pricing_page_view, content_download, ...");
  sig->add_option("--url", ef->url, "Page URL");
  sig->add_option("--weight", ef->weight, "Points overriding the configured ones");
  sig->add_option("--file", ef->file, "EngagementSignal in protobuf JSON")
      ->check(CLI::ExistingFile);
  sig->callback([&g, &rc, ef] { rc = run_send_signal(g, *ef); });

  auto* act = app.add_subcommand("activity", "Record a rep's touch (SalesActivity)");
  act->add_option("--lead", ef->lead, "Lead id")->required();
  act->add_option("--rep", ef->rep, "Rep id")->required();
  act->add_option("--type", ef->type,
                  "call, email, meeting, connect, scheduled_callback, sms, linkedin")
      ->required();
  act->add_option("--outcome", ef->outcome, "Free text outcome");
  act->add_option("--callback-at", ef->callback_at, "RFC 3339 time of the agreed callback");
  act->callback([&g, &rc, ef] { rc = run_activity(g, *ef); });

  auto* st = app.add_subcommand("stage", "Record a CRM stage change (to baton.crm.stage-changes)");
  st->add_option("--lead", ef->lead, "Lead id")->required();
  st->add_option("--stage", ef->stage,
                 "contacted, qualified, opportunity, won, lost, recycled, rejected")
      ->required();
  st->add_option("--reason", ef->reason, "Disposition: wrong_icp, no_budget, no_urgency, ...");
  st->add_option("--text", ef->text, "Disposition text (required for 'other')");
  st->add_option("--amount", ef->amount, "Deal amount for won, e.g. 1200.50");
  st->add_option("--currency", ef->currency, "ISO 4217 currency, e.g. EUR");
  st->add_option("--rep", ef->rep, "Owner rep id");
  st->callback([&g, &rc, ef] { rc = run_stage(g, *ef); });

  auto* er = app.add_subcommand("erase", "Request erasure of a lead (every service forgets it)");
  er->add_option("--lead", ef->lead, "Lead id")->required();
  er->add_option("--by", ef->by, "Who requested it")->capture_default_str();
  er->add_option("--basis", ef->basis, "Legal basis, e.g. gdpr-art-17");
  er->callback([&g, &rc, ef] { rc = run_erase(g, *ef); });
}

}  // namespace baton::cli
