#include "app/config.h"

#include <algorithm>

#include "domain/lifecycle.h"

namespace baton::feedback::app {

FeedbackConfig read_config(runtime::ConfigNode& section) {
  FeedbackConfig c;
  auto t = section.child("topics");
  auto& tp = c.topics;
  tp.leads_captured = t.str("leads_captured", tp.leads_captured);
  tp.routing_events = t.str("routing_events", tp.routing_events);
  tp.sla_events = t.str("sla_events", tp.sla_events);
  tp.sales_activities = t.str("sales_activities", tp.sales_activities);
  tp.stage_changes = t.str("stage_changes", tp.stage_changes);
  tp.erasure = t.str("erasure", tp.erasure);
  tp.lifecycle_events = t.str("lifecycle_events", tp.lifecycle_events);
  tp.outcomes = t.str("outcomes", tp.outcomes);
  tp.notifications = t.str("notifications", tp.notifications);  // empty: off
  for (const auto* name :
       {&tp.leads_captured, &tp.routing_events, &tp.sla_events, &tp.sales_activities,
        &tp.stage_changes, &tp.erasure, &tp.lifecycle_events, &tp.outcomes})
    if (name->empty()) t.error("*", "topic names must not be empty");
  if (t.present()) t.done();

  auto f = section.child("funnel");
  c.top_campaigns = static_cast<size_t>(f.integer("top_campaigns", 20, 1, 1000));
  c.top_sources = static_cast<size_t>(f.integer("top_sources", 20, 1, 1000));
  c.pinned_campaigns = f.str_list("pinned_campaigns");
  if (f.present()) f.done();

  auto lc = section.child("lifecycle");
  const auto gate = lc.one_of("opportunity_gate", "flag", {"refuse", "flag", "off"});
  c.policy.opportunity_gate = gate == "flag"     ? OpportunityGate::kFlag
                              : gate == "off"    ? OpportunityGate::kOff
                              : gate == "refuse" ? OpportunityGate::kRefuse
                                                 : OpportunityGate::kFlag;
  if (lc.present()) lc.done();

  auto rt = section.child("retention");
  c.closed_lead_retention = rt.duration("closed_leads", c.closed_lead_retention);
  if (c.closed_lead_retention.count() < 0)
    rt.error("closed_leads", "expected a duration >= 0 (0 keeps closed leads forever)");
  if (rt.present()) rt.done();

  auto tl = section.child("timeline");
  c.policy.max_timeline_entries = static_cast<size_t>(tl.integer("max_entries", 500, 10, 100000));
  c.policy.max_seen_event_ids =
      static_cast<size_t>(tl.integer("max_seen_event_ids", 256, 1, 100000));
  c.policy.max_timeline_signals = static_cast<size_t>(tl.integer("max_signals", 50, 1, 10000));
  if (tl.present()) tl.done();

  auto cal = section.child("calibration");
  auto& cp = c.policy.calibration;
  if (cal.has("band_edges")) {
    cp.band_edges.clear();
    for (const auto& s : cal.str_list("band_edges")) {
      try {
        size_t used = 0;
        const double v = std::stod(s, &used);
        if (used != s.size()) throw std::invalid_argument(s);
        cp.band_edges.push_back(v);
      } catch (const std::exception&) {
        cal.error("band_edges", "expected numbers, got '" + s + "'");
      }
    }
    if (cp.band_edges.empty()) cal.error("band_edges", "expected at least one edge");
    if (!std::is_sorted(cp.band_edges.begin(), cp.band_edges.end()) ||
        std::adjacent_find(cp.band_edges.begin(), cp.band_edges.end()) != cp.band_edges.end())
      cal.error("band_edges", "expected strictly ascending edges");
  }
  cp.ratio = cal.number("ratio", cp.ratio, 0.0, 1.0);
  cp.high_score_from = cal.number("high_score_from", cp.high_score_from);
  cp.min_leads = cal.integer("min_leads", cp.min_leads, 1);
  const auto at = cal.one_of("converted_at", "opportunity", {"qualified", "opportunity", "won"});
  cp.converted_at = stage_from_name(at).value_or(v1::STAGE_OPPORTUNITY);
  if (cal.present()) cal.done();
  return c;
}

}  // namespace baton::feedback::app
