// Inputs that build a lead's context and timeline: capture, routing, SLA
// events and sales touches (the derived stages Assigned and Contacted).
#include "lead.h"

#include <algorithm>
#include <cstdio>

#include "lead_internal.h"
#include "lifecycle.h"
#include "routing_notes.h"
#include "signals.h"
#include "timeline.h"

namespace baton::feedback {

namespace detail {

google::protobuf::Timestamp event_time(const v1::Envelope& env, TimePoint now) {
  return env.has_event_time() ? env.event_time() : to_ts(now);
}

bool seen(const state::LeadRecord& lead, const std::string& event_id) {
  if (event_id.empty()) return false;
  return std::find(lead.seen_event_ids().begin(), lead.seen_event_ids().end(), event_id) !=
         lead.seen_event_ids().end();
}

void remember(state::LeadRecord& lead, const std::string& event_id, const FeedbackPolicy& p) {
  if (event_id.empty()) return;
  lead.add_seen_event_ids(event_id);
  const int extra = lead.seen_event_ids_size() - static_cast<int>(p.max_seen_event_ids);
  if (extra > 0) lead.mutable_seen_event_ids()->DeleteSubrange(0, extra);
}

v1::Envelope output_envelope(const state::LeadRecord& lead, const v1::Envelope& cause,
                             const google::protobuf::Timestamp& at) {
  v1::Envelope env;
  *env.mutable_event_time() = at;
  env.set_source_system("baton-feedback");
  env.set_lead_id(lead.lead_id());
  env.set_schema_version("v1");
  env.set_correlation_id(lead.correlation_id().empty() ? cause.correlation_id()
                                                       : lead.correlation_id());
  env.set_causation_id(cause.event_id());
  return env;
}

state::TimelineEntry entry(const google::protobuf::Timestamp& at, std::string kind,
                           std::string owner, std::string detail, const std::string& event_id) {
  state::TimelineEntry e;
  *e.mutable_at() = at;
  e.set_kind(std::move(kind));
  e.set_owner_rep_id(std::move(owner));
  e.set_detail(std::move(detail));
  e.set_event_id(event_id);
  return e;
}

Step ignored(std::string why) {
  Step s;
  s.ignored = std::move(why);
  return s;
}

}  // namespace detail

using namespace detail;

namespace {

bool same_touch(const v1::Touch& a, const v1::Touch& b) {
  return a.time().seconds() == b.time().seconds() && a.url() == b.url() &&
         a.campaign() == b.campaign() && a.source() == b.source();
}

bool empty_touch(const v1::Touch& t) {
  return !t.has_time() && t.url().empty() && t.campaign().empty() && t.source().empty();
}

// A newer marketing touch: becomes the latest; before the opportunity it is
// a W-shaped middle touch unless it is the first or creation touch.
void note_touch(state::LeadRecord& lead, const v1::Touch& t) {
  if (empty_touch(t) || same_touch(t, lead.latest_touch())) return;
  if (!empty_touch(lead.latest_touch()) && earlier(t.time(), lead.latest_touch().time())) return;
  *lead.mutable_latest_touch() = t;
  const bool past_opportunity = std::find(lead.counted().begin(), lead.counted().end(),
                                          v1::STAGE_OPPORTUNITY) != lead.counted().end();
  if (past_opportunity || same_touch(t, lead.first_touch()) || same_touch(t, lead.creation_touch()))
    return;
  for (const auto& m : lead.middle_touches())
    if (same_touch(m, t)) return;
  *lead.add_middle_touches() = t;
}

void fill(std::string* dst, const std::string& src) {
  if (dst->empty() && !src.empty()) *dst = src;
}

state::TimelineEntry scored(const v1::Score& s, const google::protobuf::Timestamp& at,
                            const std::string& event_id) {
  auto e =
      entry(s.has_computed_at() ? s.computed_at() : at, "scored", "", score_detail(s), event_id);
  for (const auto& item : s.breakdown()) {
    char buf[64];
    std::snprintf(buf, sizeof buf, " %+.1f", item.points());
    e.add_reasons(item.rule() + buf);
  }
  return e;
}

state::LeadRecord new_lead(const v1::Envelope& env, const google::protobuf::Timestamp& at) {
  state::LeadRecord lead;
  lead.set_lead_id(env.lead_id());
  lead.set_correlation_id(env.correlation_id());
  lead.set_stage(v1::STAGE_CAPTURED);
  *lead.mutable_captured_at() = at;
  return lead;
}

// Starts the history at Captured.
void start(state::LeadRecord& lead, const std::string& event_id, Step&) {
  state::StageEntry e;
  e.set_stage(v1::STAGE_CAPTURED);
  *e.mutable_at() = lead.captured_at();
  e.set_event_id(event_id);
  *lead.add_history() = e;
}

// The funnel counts a lead as captured once: when the router accepted it
// and its source is known (from the capture or the assignment's handoff),
// in whichever order the two arrive.
void count_captured(state::LeadRecord& lead, Step& step) {
  if (!lead.accepted() || (!lead.capture_seen() && lead.source().empty())) return;
  if (std::find(lead.counted().begin(), lead.counted().end(), v1::STAGE_CAPTURED) !=
      lead.counted().end())
    return;
  lead.add_counted(v1::STAGE_CAPTURED);
  step.funnel.push_back(
      {label_or_none(lead.source()), label_or_none(lead.campaign()), v1::STAGE_CAPTURED, {}});
}

}  // namespace

state::LeadRecord detail::early_lead(const v1::Envelope& env,
                                     const google::protobuf::Timestamp& at) {
  return new_lead(env, at);
}

// Assigned -> Contacted from the first touch (now or remembered).
void detail::derive_contacted(state::LeadRecord& lead, const v1::Envelope& cause,
                              const std::string& rep, const FeedbackPolicy& p, Step& step) {
  if (lead.stage() != v1::STAGE_ASSIGNED || !lead.has_first_touch_at()) return;
  state::StageEntry e;
  e.set_stage(v1::STAGE_CONTACTED);
  // A touch recorded before the assignment counts from the assignment.
  *e.mutable_at() = earlier(lead.first_touch_at(), lead.assigned_at()) ? lead.assigned_at()
                                                                       : lead.first_touch_at();
  e.set_owner_rep_id(rep);
  e.set_event_id(cause.event_id());
  enter_stage(lead, e, cause, 0, "", p, step);
}

Step on_lead_captured(const MaybeLead& lead, const v1::LeadCaptured& in, const FeedbackPolicy& p,
                      TimePoint now) {
  const auto& env = in.envelope();
  if (lead && seen(*lead, env.event_id())) return ignored(std::string(rule::kDuplicate));
  const auto at = event_time(env, now);
  Step s;
  state::LeadRecord next = lead ? *lead : new_lead(env, at);
  const bool fresh = next.history_size() == 0;  // new, or started by an early touch
  if (fresh) *next.mutable_captured_at() = at;
  remember(next, env.event_id(), p);
  const bool first_capture = !next.capture_seen();
  next.set_capture_seen(true);
  fill(next.mutable_source(), in.source());
  fill(next.mutable_medium(), in.medium());
  fill(next.mutable_campaign(), in.campaign());
  if (empty_touch(next.first_touch())) *next.mutable_first_touch() = in.first_touch();
  const v1::Touch& creation = empty_touch(in.latest_touch()) ? in.first_touch() : in.latest_touch();
  const std::string& landing =
      creation.landing_page().empty() ? in.first_touch().landing_page() : creation.landing_page();
  if (first_capture && lead && !empty_touch(creation)) {
    // The record came from an Assignment, which only guessed the converting
    // touch: the capture knows it (the result is independent of arrival order).
    *next.mutable_creation_touch() = creation;
    auto* middle = next.mutable_middle_touches();
    for (int i = middle->size() - 1; i >= 0; --i)
      if (same_touch(middle->Get(i), creation)) middle->DeleteSubrange(i, 1);
    if (!landing.empty()) next.set_landing_page(landing);
    if (!creation.ad_message().empty() || !creation.ad_id().empty()) {
      next.set_ad_message(creation.ad_message());
      next.set_ad_id(creation.ad_id());
    }
  }
  if (empty_touch(next.creation_touch())) *next.mutable_creation_touch() = creation;
  note_touch(next, creation);
  if (empty_touch(next.latest_touch())) *next.mutable_latest_touch() = creation;
  fill(next.mutable_landing_page(), landing);
  fill(next.mutable_ad_message(), creation.ad_message());
  fill(next.mutable_ad_id(), creation.ad_id());
  if (fresh) start(next, env.event_id(), s);

  std::string detail =
      "source=" + label_or_none(in.source()) + " campaign=" + label_or_none(in.campaign());
  if (!first_capture) detail += " (repeat capture)";
  auto e = entry(at, "captured", "", detail, env.event_id());
  if (!in.trigger_signal().empty()) e.add_reasons("trigger: " + in.trigger_signal());
  if (!in.form_id().empty()) e.add_reasons("form: " + in.form_id());
  add_to_timeline(next, e, p.max_timeline_entries);
  count_captured(next, s);
  s.lead = std::move(next);
  return s;
}

namespace {

// A new owner: this assignment's system delay (from its cause), and its rep
// delay waits for the owner's first touch.
void start_assignment(state::LeadRecord& lead, const v1::Assignment& a,
                      const google::protobuf::Timestamp& at) {
  *lead.mutable_current_assigned_at() = at;
  lead.clear_rep_delay_ms();
  lead.clear_system_delay_ms();
  if (a.has_requested_at() && a.requested_at().seconds() > 0)
    lead.set_system_delay_ms(millis_between(a.requested_at(), at));
}

Step on_assignment(const MaybeLead& lead, const v1::Assignment& a, const FeedbackPolicy& p,
                   TimePoint now) {
  const auto& env = a.envelope();
  const auto at = a.has_assigned_at() ? a.assigned_at() : event_time(env, now);
  Step s;
  state::LeadRecord next = lead ? *lead : new_lead(env, a.has_captured_at() ? a.captured_at() : at);
  const bool fresh = next.history_size() == 0;  // new, or started by an early touch
  if (fresh) *next.mutable_captured_at() = a.has_captured_at() ? a.captured_at() : at;
  remember(next, env.event_id(), p);
  const auto& h = a.handoff();
  fill(next.mutable_source(), h.source());
  fill(next.mutable_medium(), h.medium());
  fill(next.mutable_campaign(), h.campaign());
  if (empty_touch(next.first_touch())) *next.mutable_first_touch() = h.first_touch();
  if (empty_touch(next.creation_touch())) *next.mutable_creation_touch() = h.first_touch();
  note_touch(next, h.latest_touch());
  fill(next.mutable_landing_page(), h.landing_page());
  fill(next.mutable_ad_message(), h.ad_message());
  fill(next.mutable_ad_id(), h.ad_id());
  if (fresh) start(next, env.event_id(), s);
  next.set_accepted(true);
  count_captured(next, s);

  // A returning buyer: the router opened a new cycle for a lead whose last
  // cycle ended (won, lost, rejected). An assignment of the ended cycle that
  // lands late is not one.
  const v1::Stage st = next.stage();
  const bool returning = a.cycle() > next.cycle() &&
                         (st == v1::STAGE_WON || st == v1::STAGE_LOST || st == v1::STAGE_REJECTED);
  const bool stale = a.cycle() > 0 && a.cycle() < next.cycle();  // an ended cycle's
  if (a.cycle() > next.cycle()) next.set_cycle(a.cycle());       // the router's cycle number
  // A nurture owner (router.nurture) owns the lead in marketing: no sales
  // handoff, no stage change; the sales assignment after it is the handoff.
  const bool nurture_owner = a.tier() == v1::TIER_NURTURE;
  const bool handoff = !stale && !nurture_owner &&
                       (st == v1::STAGE_CAPTURED || st == v1::STAGE_RECYCLED || returning);
  if (handoff) {
    next.set_handed_off(true);
    next.set_score_fit_at_handoff(h.score().fit());
    next.set_score_intent_at_handoff(h.score().intent());
    next.set_sales_ready_at_handoff(h.score().sales_ready());
    next.set_tier_at_handoff(a.tier());
    *next.mutable_assigned_at() = at;
    if (st != v1::STAGE_CAPTURED) {  // a new cycle measures a new first response
      next.set_responded(false);
      // A touch made after this assignment but read before it (topics are
      // read unevenly) is this cycle's first touch; an older one is not.
      if (next.has_first_touch_at() && earlier(next.first_touch_at(), at))
        next.clear_first_touch_at();
    }
    if (next.score_band().empty()) {
      next.set_score_band(score_band(h.score().fit() + h.score().intent(), p.calibration));
      s.calibration.push_back({next.score_band(), true, false});
    }
  }
  if (!stale) start_assignment(next, a, at);
  if (h.has_score())
    add_to_timeline(next, scored(h.score(), at, env.event_id()), p.max_timeline_entries);
  auto e =
      entry(at,
            handoff         ? "assigned"
            : nurture_owner ? "nurture_owner"
                            : "reassigned",
            a.owner_rep_id(), "pool=" + h.pool() + " selection=" + h.selection(), env.event_id());
  if (!stale && next.has_system_delay_ms())
    e.add_reasons("system delay " + delay_text(next.system_delay_ms()));
  if (!h.rule_matched().empty()) e.add_reasons("rule " + h.rule_matched() + ": " + h.rule_reason());
  if (!a.previous_owner_rep_id().empty())
    e.add_reasons("previous owner " + a.previous_owner_rep_id());
  for (const auto& sk : h.skipped()) e.add_reasons("skipped " + sk.rep_id() + ": " + sk.reason());
  if (!h.why().empty()) e.add_reasons("why: " + h.why());
  if (next.cycle() > 0) e.add_reasons("cycle " + std::to_string(next.cycle()));
  if (returning) e.add_reasons("returning: previous cycle " + stage_name(st));
  add_to_timeline(next, e, p.max_timeline_entries);
  next.set_owner_rep_id(a.owner_rep_id());
  if (handoff) {
    state::StageEntry se;
    se.set_stage(v1::STAGE_ASSIGNED);
    *se.mutable_at() = at;
    se.set_owner_rep_id(a.owner_rep_id());
    se.set_event_id(env.event_id());
    enter_stage(next, se, env, 0, "", p, s);
    derive_contacted(next, env, a.owner_rep_id(), p, s);
  }
  s.lead = std::move(next);
  return s;
}

}  // namespace

// Timeline-only events for a known lead.
Step detail::note(const MaybeLead& lead, const v1::Envelope& env, std::string kind,
                  std::string owner, std::string detail, std::vector<std::string> reasons,
                  const FeedbackPolicy& p, TimePoint now) {
  if (!lead) return ignored(std::string(rule::kUnknownLead));
  if (seen(*lead, env.event_id())) return ignored(std::string(rule::kDuplicate));
  state::LeadRecord next = *lead;
  remember(next, env.event_id(), p);
  auto e = entry(event_time(env, now), std::move(kind), std::move(owner), std::move(detail),
                 env.event_id());
  for (auto& r : reasons) e.add_reasons(std::move(r));
  add_to_timeline(next, e, p.max_timeline_entries);
  Step s;
  s.lead = std::move(next);
  return s;
}

namespace {

// The router accepted the lead without an owner yet (nurture, held): on the
// timeline, and counted by the funnel (a decision read before the capture
// starts the record, as an early touch does).
Step accepted(const MaybeLead& lead, const v1::Envelope& env, std::string kind, std::string detail,
              std::vector<std::string> reasons, const FeedbackPolicy& p, TimePoint now) {
  MaybeLead known = lead;
  if (!known) known = detail::early_lead(env, event_time(env, now));
  Step s =
      detail::note(known, env, std::move(kind), "", std::move(detail), std::move(reasons), p, now);
  if (s.lead) {
    s.lead->set_accepted(true);
    count_captured(*s.lead, s);
  }
  return s;
}

}  // namespace

Step on_routing_event(const MaybeLead& lead, const v1::RoutingEvent& in, const FeedbackPolicy& p,
                      TimePoint now) {
  switch (in.kind_case()) {
    case v1::RoutingEvent::kAssignment:
      if (lead && seen(*lead, in.assignment().envelope().event_id()))
        return ignored(std::string(rule::kDuplicate));
      return on_assignment(lead, in.assignment(), p, now);
    case v1::RoutingEvent::kNurture:
      return accepted(
          lead, in.nurture().envelope(), "nurture", in.nurture().reason(),
          with_owner_queue({score_detail(in.nurture().score())}, in.nurture().owner_queue()), p,
          now);
    case v1::RoutingEvent::kTierChanged: {
      const auto& t = in.tier_changed();
      return note(lead, t.envelope(), "tier_changed", t.owner_rep_id(),
                  v1::Tier_Name(t.previous_tier()) + " -> " + v1::Tier_Name(t.tier()), {t.reason()},
                  p, now);
    }
    case v1::RoutingEvent::kScoreUpdated:
      return on_score_updated(lead, in.score_updated(), p, now);
    case v1::RoutingEvent::kMerged: {
      // The same person captured again under another id: a touch of this
      // lead (attribution, timeline), never a lead of its own in the funnel.
      const auto& m = in.merged();
      if (!lead) return ignored(std::string(rule::kUnknownLead));
      Step s =
          note(lead, m.envelope(), "merged_capture", "",
               "source=" + label_or_none(m.source()) + " campaign=" + label_or_none(m.campaign()),
               {"merged lead " + m.merged_lead_id()}, p, now);
      if (s.lead && !empty_touch(m.touch())) note_touch(*s.lead, m.touch());
      if (s.lead) remember_merged(*s.lead, m.merged_lead_id());
      return s;
    }
    case v1::RoutingEvent::kHeld:
      return accepted(
          lead, in.held().envelope(), "held", "pool=" + in.held().pool(),
          with_owner_queue(skipped_reasons(in.held().skipped()), in.held().owner_queue()), p, now);
    default:
      return ignored("empty");
  }
}

}  // namespace baton::feedback
