#include "app/codec.h"

#include <nlohmann/json.hpp>

#include "baton/time/rfc3339.h"
#include "baton/time/time.h"
#include "domain/lifecycle.h"
#include "domain/timeline.h"

namespace baton::feedback::app {
namespace {

using nlohmann::json;

// The one RFC 3339 formatter: UTC, always three fraction digits.
std::string rfc3339(const google::protobuf::Timestamp& t) {
  return time::format_rfc3339(time::from_timestamp(t));
}

json touch_json(const v1::Touch& t) {
  json j = json::object();
  if (t.has_time()) j["time"] = rfc3339(t.time());
  if (!t.source().empty()) j["source"] = t.source();
  if (!t.medium().empty()) j["medium"] = t.medium();
  if (!t.campaign().empty()) j["campaign"] = t.campaign();
  if (!t.landing_page().empty()) j["landing_page"] = t.landing_page();
  if (!t.ad_message().empty()) j["ad_message"] = t.ad_message();
  return j;
}

json counts_json(const state::FunnelCounts& c) {
  json reached = json::object();
  for (Stage s : kAllStages) {
    auto it = c.reached().find(static_cast<int32_t>(s));
    reached[stage_name(s)] = it == c.reached().end() ? 0 : it->second;
  }
  return reached;
}

}  // namespace

std::string timeline_json(const state::LeadRecord& lead) {
  json steps = json::array();
  for (const auto& s : timeline_view(lead)) {
    json j{{"at", rfc3339(s.entry.at())},
           {"kind", s.entry.kind()},
           {"since_previous_seconds", s.since_previous_seconds}};
    if (!s.entry.owner_rep_id().empty()) j["owner"] = s.entry.owner_rep_id();
    if (!s.entry.detail().empty()) j["detail"] = s.entry.detail();
    if (s.entry.reasons_size() > 0)
      j["reasons"] = std::vector<std::string>(s.entry.reasons().begin(), s.entry.reasons().end());
    if (s.entry.stage() != v1::STAGE_UNSPECIFIED) j["stage"] = stage_name(s.entry.stage());
    if (!s.entry.event_id().empty()) j["event_id"] = s.entry.event_id();
    steps.push_back(std::move(j));
  }
  json history = json::array();
  for (const auto& h : lead.history()) {
    json j{{"stage", stage_name(h.stage())}, {"at", rfc3339(h.at())}};
    if (!h.owner_rep_id().empty()) j["owner"] = h.owner_rep_id();
    if (needs_disposition(h.stage()))
      j["disposition"] = {{"reason", disposition_name(h.disposition().reason())},
                          {"text", h.disposition().text()}};
    history.push_back(std::move(j));
  }
  json out{{"lead_id", lead.lead_id()},
           {"stage", stage_name(lead.stage())},
           {"owner", lead.owner_rep_id()},
           {"cycle", lead.cycle()},
           {"source", lead.source()},
           {"medium", lead.medium()},
           {"campaign", lead.campaign()},
           {"first_touch", touch_json(lead.first_touch())},
           {"latest_touch", touch_json(lead.latest_touch())},
           {"landing_page", lead.landing_page()},
           {"history", std::move(history)},
           {"steps", std::move(steps)},
           {"steps_dropped", lead.timeline_dropped()},
           {"signal_steps_dropped", lead.timeline_signals_dropped()}};
  if (lead.handed_off())
    out["handoff"] = {{"score_fit", lead.score_fit_at_handoff()},
                      {"score_intent", lead.score_intent_at_handoff()},
                      {"tier", v1::Tier_Name(lead.tier_at_handoff())},
                      {"score_band", lead.score_band()},
                      {"assigned_at", rfc3339(lead.assigned_at())}};
  if (lead.responded()) out["response_time_seconds"] = lead.response_time_seconds();
  return out.dump();
}

std::string funnel_json(std::string_view by, const std::vector<FunnelRow>& rows) {
  json out_rows = json::array();
  for (const auto& r : rows) {
    json j{{std::string(by), r.key},
           {"reached", counts_json(r.counts)},
           {"rates",
            {{"lead_to_contact", r.lead_to_contact},
             {"contact_to_qualified", r.contact_to_qualified},
             {"qualified_to_opportunity", r.qualified_to_opportunity},
             {"opportunity_to_won", r.opportunity_to_won}}}};
    // Rep delay (assignment to the owner's first touch); null without one.
    const auto& rt = r.response_time;
    j["response_time"] = {{"rep_delays", rt.count},
                          {"p50_seconds", rt.count > 0 ? json(rt.p50_seconds) : json()},
                          {"p90_seconds", rt.count > 0 ? json(rt.p90_seconds) : json()}};
    json d = json::object();
    for (const auto& [reason, n] : r.counts.dispositions()) d[reason] = n;
    j["dispositions"] = std::move(d);
    out_rows.push_back(std::move(j));
  }
  return json{{"by", std::string(by)}, {"rows", std::move(out_rows)}}.dump();
}

std::string calibration_json(const CalibrationReport& report, const CalibrationPolicy& p) {
  json bands = json::array();
  for (const auto& b : report.bands)
    bands.push_back({{"band", b.band},
                     {"handed_off", b.handed_off},
                     {"converted", b.converted},
                     {"conversion", b.conversion},
                     {"ratio_to_average", b.ratio_to_average},
                     {"flagged", b.flagged}});
  return json{{"average_conversion", report.average_conversion},
              {"converted_at", stage_name(p.converted_at)},
              {"ratio", p.ratio},
              {"high_score_from", p.high_score_from},
              {"min_leads", p.min_leads},
              {"flagged", report.flagged},
              {"bands", std::move(bands)}}
      .dump();
}

std::string error_json(std::string_view message) {
  return json{{"error", std::string(message)}}.dump();
}

}  // namespace baton::feedback::app
