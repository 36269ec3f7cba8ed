// Stage changes: the transition table applied to a lead, and outcomes.
#include <algorithm>
#include <map>

#include "attribution.h"
#include "lead.h"
#include "lead_internal.h"
#include "lifecycle.h"
#include "timeline.h"

namespace baton::feedback {

using namespace detail;

std::string lead_key(std::string_view lead_id) {
  return std::string(kLeadPrefix) + std::string(lead_id);
}

std::vector<std::string> erase_lead(std::string_view lead_id) { return {lead_key(lead_id)}; }

std::vector<v1::StageDuration> stage_durations(const state::LeadRecord& lead,
                                               const google::protobuf::Timestamp& until) {
  std::vector<v1::StageDuration> out;
  std::map<int, size_t> index;
  for (int i = 0; i < lead.history_size(); ++i) {
    const auto& h = lead.history(i);
    const auto& end = i + 1 < lead.history_size() ? lead.history(i + 1).at() : until;
    const double secs = std::max(0.0, seconds_between(h.at(), end));
    auto [it, inserted] = index.emplace(h.stage(), out.size());
    if (inserted) {
      v1::StageDuration d;
      d.set_stage(h.stage());
      out.push_back(d);
    }
    out[it->second].set_seconds(out[it->second].seconds() + secs);
  }
  return out;
}

v1::Outcome make_outcome(const state::LeadRecord& lead, const state::StageEntry& entered,
                         int64_t amount_minor, const std::string& currency) {
  v1::Outcome o;
  o.set_stage(entered.stage());
  o.set_source(lead.source());
  o.set_medium(lead.medium());
  o.set_campaign(lead.campaign());
  *o.mutable_first_touch() = lead.first_touch();
  *o.mutable_latest_touch() = lead.latest_touch();
  o.set_landing_page(lead.landing_page());
  o.set_ad_message(lead.ad_message());
  o.set_score_fit_at_handoff(lead.score_fit_at_handoff());
  o.set_score_intent_at_handoff(lead.score_intent_at_handoff());
  o.set_tier_at_handoff(lead.tier_at_handoff());
  o.set_owner_rep_id(entered.owner_rep_id());
  if (lead.has_system_delay_ms()) o.set_system_delay_ms(lead.system_delay_ms());
  if (lead.has_rep_delay_ms()) o.set_rep_delay_ms(lead.rep_delay_ms());
  if (lead.responded()) {
    o.set_response_time_seconds(lead.response_time_seconds());
  } else if (lead.has_first_touch_at() && lead.has_assigned_at()) {
    o.set_response_time_seconds(
        std::max(0.0, seconds_between(lead.assigned_at(), lead.first_touch_at())));
  }
  if (needs_disposition(entered.stage())) *o.mutable_disposition() = entered.disposition();
  for (auto& d : stage_durations(lead, entered.at()))
    if (d.stage() != entered.stage() || d.seconds() > 0) *o.add_stage_durations() = d;
  if (entered.stage() == v1::STAGE_WON) {
    o.set_amount_minor(amount_minor);
    o.set_currency(currency);
    *o.mutable_attribution() = attribute(amount_minor, lead);
  }
  *o.mutable_at() = entered.at();
  *o.mutable_merged_lead_ids() = lead.merged_lead_ids();
  return o;
}

void enter_stage(state::LeadRecord& lead, const state::StageEntry& entry_in,
                 const v1::Envelope& cause, int64_t amount_minor, const std::string& currency,
                 const FeedbackPolicy& p, Step& step) {
  state::StageEntry e = entry_in;
  if (e.owner_rep_id().empty()) e.set_owner_rep_id(lead.owner_rep_id());
  const v1::Stage from = lead.stage();
  if (e.stage() == v1::STAGE_OPPORTUNITY) *lead.mutable_opportunity_touch() = lead.latest_touch();
  if (e.stage() == v1::STAGE_RECYCLED) lead.set_cycle(lead.cycle() + 1);
  if (!e.owner_rep_id().empty()) lead.set_owner_rep_id(e.owner_rep_id());
  lead.set_stage(e.stage());
  *lead.add_history() = e;

  v1::LifecycleEvent ev;
  auto* t = ev.mutable_transitioned();
  *t->mutable_envelope() = output_envelope(lead, cause, e.at());
  t->set_from(from);
  t->set_to(e.stage());
  t->set_owner_rep_id(e.owner_rep_id());
  if (needs_disposition(e.stage())) *t->mutable_disposition() = e.disposition();
  *t->mutable_at() = e.at();
  step.lifecycle.push_back(ev);

  std::string detail = stage_name(from) + " -> " + stage_name(e.stage());
  if (needs_disposition(e.stage())) {
    detail += " (" + disposition_name(e.disposition().reason());
    if (!e.disposition().text().empty()) detail += ": " + e.disposition().text();
    detail += ")";
  }
  auto te = entry(e.at(), "stage_changed", e.owner_rep_id(), detail, e.event_id());
  te.set_stage(e.stage());
  add_to_timeline(lead, te, p.max_timeline_entries);

  const bool counted =
      std::find(lead.counted().begin(), lead.counted().end(), e.stage()) != lead.counted().end();
  if (!counted) lead.add_counted(e.stage());
  FunnelEvent fe{
      label_or_none(lead.source()), label_or_none(lead.campaign()), e.stage(), {}, !counted};
  if (needs_disposition(e.stage())) fe.disposition = disposition_name(e.disposition().reason());
  if (!counted || !fe.disposition.empty()) step.funnel.push_back(fe);
  if (e.stage() == p.calibration.converted_at && !lead.score_band().empty() &&
      !lead.calibration_converted()) {
    lead.set_calibration_converted(true);
    step.calibration.push_back({lead.score_band(), false, true});
  }
  if (has_outcome(e.stage())) {
    v1::Outcome o = make_outcome(lead, e, amount_minor, currency);
    *o.mutable_envelope() = output_envelope(lead, cause, e.at());
    step.outcomes.push_back(o);
    auto oe = entry(e.at(), "outcome", e.owner_rep_id(), "outcome " + stage_name(e.stage()),
                    e.event_id());
    oe.set_stage(e.stage());
    add_to_timeline(lead, oe, p.max_timeline_entries);
  }
}

namespace {

bool valid_currency(const std::string& c) {
  return c.size() == 3 &&
         std::all_of(c.begin(), c.end(), [](char ch) { return ch >= 'A' && ch <= 'Z'; });
}

// Fit AND intent at handoff; records from before the field are let through.
bool sales_ready(const state::LeadRecord& lead) {
  return !lead.has_sales_ready_at_handoff() || lead.sales_ready_at_handoff();
}

bool gated(const state::LeadRecord& lead, const v1::StageChange& in) {
  return in.stage() == v1::STAGE_OPPORTUNITY && !sales_ready(lead);
}

std::optional<std::string_view> refuse(const state::LeadRecord& lead, const v1::StageChange& in,
                                       const google::protobuf::Timestamp& at,
                                       const FeedbackPolicy& p) {
  if (lead.history_size() > 0 && earlier(at, lead.history(lead.history_size() - 1).at()))
    return rule::kOutOfOrder;
  if (auto r = refusing_rule(lead.stage(), in.stage())) return r;
  if (auto r = disposition_problem(in.stage(), in.disposition())) return r;
  if (in.stage() == v1::STAGE_WON && (in.amount_minor() <= 0 || !valid_currency(in.currency())))
    return rule::kWonAmountRequired;
  if (p.opportunity_gate == OpportunityGate::kRefuse && gated(lead, in))
    return rule::kOpportunityNeedsFitAndIntent;
  return std::nullopt;
}

v1::LifecycleEvent rejected(const v1::Envelope& env, v1::Stage from, v1::Stage to,
                            std::string_view rule_name, std::string detail) {
  v1::LifecycleEvent ev;
  auto* r = ev.mutable_rejected();
  *r->mutable_envelope() = env;
  r->set_from(from);
  r->set_to(to);
  r->set_rule(std::string(rule_name));
  r->set_detail(std::move(detail));
  return ev;
}

}  // namespace

Step detail::refused_without_lead(const v1::StageChange& in, TimePoint now,
                                  std::string_view rule_name, std::string detail) {
  Step s = ignored(std::string(rule_name));
  v1::Envelope env;
  env.set_lead_id(in.envelope().lead_id());
  env.set_source_system("baton-feedback");
  env.set_causation_id(in.envelope().event_id());
  env.set_correlation_id(in.envelope().correlation_id());
  env.set_schema_version("v1");
  *env.mutable_event_time() = event_time(in.envelope(), now);
  s.lifecycle.push_back(
      rejected(env, v1::STAGE_UNSPECIFIED, in.stage(), rule_name, std::move(detail)));
  s.rejected_rules.emplace_back(rule_name);
  return s;
}

Step on_stage_change(const MaybeLead& lead, const v1::StageChange& in, const FeedbackPolicy& p,
                     TimePoint now) {
  const auto at = event_time(in.envelope(), now);
  if (!lead)
    return refused_without_lead(in, now, rule::kUnknownLead,
                                "no lead with this id was captured or assigned");
  if (seen(*lead, in.envelope().event_id())) {
    Step s = ignored(std::string(rule::kDuplicate));
    s.rejected_rules.emplace_back(rule::kDuplicate);
    return s;
  }
  Step s;
  state::LeadRecord next = *lead;
  remember(next, in.envelope().event_id(), p);
  if (auto r = refuse(next, in, at, p)) {
    const std::string detail = stage_name(next.stage()) + " -> " + stage_name(in.stage()) +
                               " refused by " + std::string(*r);
    s.lifecycle.push_back(
        rejected(output_envelope(next, in.envelope(), at), next.stage(), in.stage(), *r, detail));
    s.rejected_rules.emplace_back(*r);
    auto te = entry(at, "transition_rejected", in.owner_rep_id(), detail, in.envelope().event_id());
    te.set_stage(in.stage());
    te.add_reasons(std::string(*r));
    add_to_timeline(next, te, p.max_timeline_entries);
  } else {
    state::StageEntry e;
    e.set_stage(in.stage());
    *e.mutable_at() = at;
    e.set_owner_rep_id(in.owner_rep_id());
    if (needs_disposition(in.stage())) *e.mutable_disposition() = in.disposition();
    e.set_event_id(in.envelope().event_id());
    if (p.opportunity_gate == OpportunityGate::kFlag && gated(next, in)) {
      s.flagged_rules.emplace_back(rule::kOpportunityNeedsFitAndIntent);
      auto fe = entry(at, "transition_flagged", in.owner_rep_id(),
                      "opportunity without fit and intent at handoff (flagged by " +
                          std::string(rule::kOpportunityNeedsFitAndIntent) + ")",
                      in.envelope().event_id());
      fe.set_stage(in.stage());
      fe.add_reasons(std::string(rule::kOpportunityNeedsFitAndIntent));
      add_to_timeline(next, fe, p.max_timeline_entries);
    }
    enter_stage(next, e, in.envelope(), in.amount_minor(), in.currency(), p, s);
  }
  s.lead = std::move(next);
  return s;
}

}  // namespace baton::feedback
