#include "state_codec.h"

#include <nlohmann/json.hpp>

#include "baton/time/rfc3339.h"
#include "baton/v1/contract.h"
#include "baton/v1/sla_state.pb.h"
#include "sla_config.h"
#include "sla_time.h"

namespace baton::sla::app {

namespace {

using nlohmann::json;

constexpr const char* kStatus[] = {"none", "open", "met", "stopped"};

TimePoint get_ms(const json& j, const char* k) {
  return j.contains(k) && j[k].is_number() ? time::from_millis(j[k].get<int64_t>()) : TimePoint{};
}
std::optional<TimePoint> get_opt_ms(const json& j, const char* k) {
  if (!j.contains(k) || !j[k].is_number()) return std::nullopt;
  return time::from_millis(j[k].get<int64_t>());
}

json opt_time(const std::optional<TimePoint>& t) {
  return t ? json(time::format_rfc3339(*t)) : json(nullptr);
}

}  // namespace

std::string state_key(std::string_view lead_id) { return "lead/" + std::string(lead_id); }

namespace {

// Stored state v2: one version byte, then a baton.v1.StoredSlaState. Version
// 1 was JSON (its first byte is '{'); it is still read, never written.
constexpr char kBinaryV2 = '\x02';

int64_t opt_to(const std::optional<TimePoint>& t) { return t ? time::to_millis(*t) : 0; }

void to_proto(const SlaState& s, v1::StoredSlaState& p) {
  const SlaClock& c = s.clock;
  p.set_lead_id(s.lead_id);
  p.set_status(static_cast<int32_t>(s.status));
  v1::StoredClock& k = *p.mutable_clock();
  k.set_clock_id(c.clock_id);
  k.set_owner_rep_id(c.owner_rep_id);
  k.set_manager_id(c.manager_id);
  k.set_tier(c.tier);
  k.set_policy(c.policy);
  k.set_business_hours(c.business_hours);
  k.set_cycle(c.cycle);
  k.set_reassignment_count(c.reassignment_count);
  k.set_correlation_id(c.correlation_id);
  k.set_captured_at_ms(time::to_millis(c.captured_at));
  k.set_started_at_ms(time::to_millis(c.started_at));
  k.set_deadline_ms(time::to_millis(c.deadline));
  k.set_warn_at_ms(time::to_millis(c.warn_at));
  if (c.escalate_at) k.set_escalate_at_ms(opt_to(c.escalate_at));
  if (c.reassign_at) k.set_reassign_at_ms(opt_to(c.reassign_at));
  k.set_warned(c.warned);
  k.set_breached(c.breached);
  k.set_escalated(c.escalated);
  k.set_reassign_requested(c.reassign_requested);
  if (c.paused_at) k.set_paused_at_ms(opt_to(c.paused_at));
  if (c.paused_until) k.set_paused_until_ms(opt_to(c.paused_until));
  if (c.met_at) k.set_met_at_ms(opt_to(c.met_at));
  k.set_met_activity(c.met_activity);
  k.set_within_sla(c.within_sla);
  v1::StoredCalendar& cal = *p.mutable_calendar();
  cal.set_time_zone(s.calendar.time_zone);
  for (int d : s.calendar.days) cal.add_days(d);
  cal.set_start_minute(s.calendar.start_minute);
  cal.set_end_minute(s.calendar.end_minute);
  for (const auto& h : s.calendar.holidays) cal.add_holidays(h);
  for (const auto& a : s.attempts) {
    auto* x = p.add_attempts();
    x->set_event_id(a.event_id);
    x->set_rep_id(a.rep_id);
    x->set_type(a.type);
    x->set_at_ms(time::to_millis(a.at));
  }
  for (const auto& a : s.pending) {
    auto* x = p.add_pending();
    x->set_event_id(a.event_id);
    x->set_rep_id(a.rep_id);
    x->set_type(a.type);
    x->set_at_ms(time::to_millis(a.at));
    x->set_callback_at_ms(time::to_millis(a.callback_at));
    x->set_received_ms(time::to_millis(a.received));
  }
  for (const auto& r : s.breached_reps) p.add_breached_reps(r);
  p.set_last_stage(s.last_stage);
}

std::optional<SlaState> from_proto(const v1::StoredSlaState& p) {
  if (p.status() < 0 || p.status() > 3) return std::nullopt;
  auto opt = [](bool has, int64_t v) -> std::optional<TimePoint> {
    if (!has) return std::nullopt;
    return time::from_millis(v);
  };
  SlaState s;
  s.lead_id = p.lead_id();
  s.status = static_cast<ClockStatus>(p.status());
  const v1::StoredClock& k = p.clock();
  SlaClock& c = s.clock;
  c.clock_id = k.clock_id();
  c.owner_rep_id = k.owner_rep_id();
  c.manager_id = k.manager_id();
  c.tier = k.tier();
  c.policy = k.policy();
  c.business_hours = k.business_hours();
  c.cycle = k.cycle();
  c.reassignment_count = k.reassignment_count();
  c.correlation_id = k.correlation_id();
  c.captured_at = time::from_millis(k.captured_at_ms());
  c.started_at = time::from_millis(k.started_at_ms());
  c.deadline = time::from_millis(k.deadline_ms());
  c.warn_at = time::from_millis(k.warn_at_ms());
  c.escalate_at = opt(k.has_escalate_at_ms(), k.escalate_at_ms());
  c.reassign_at = opt(k.has_reassign_at_ms(), k.reassign_at_ms());
  c.warned = k.warned();
  c.breached = k.breached();
  c.escalated = k.escalated();
  c.reassign_requested = k.reassign_requested();
  c.paused_at = opt(k.has_paused_at_ms(), k.paused_at_ms());
  c.paused_until = opt(k.has_paused_until_ms(), k.paused_until_ms());
  c.met_at = opt(k.has_met_at_ms(), k.met_at_ms());
  c.met_activity = k.met_activity();
  c.within_sla = k.within_sla();
  const v1::StoredCalendar& cal = p.calendar();
  s.calendar.time_zone = cal.time_zone().empty() ? "UTC" : cal.time_zone();
  s.calendar.days.assign(cal.days().begin(), cal.days().end());
  s.calendar.start_minute = cal.start_minute();
  s.calendar.end_minute = cal.end_minute();
  s.calendar.holidays.assign(cal.holidays().begin(), cal.holidays().end());
  for (const auto& a : p.attempts())
    s.attempts.push_back(Attempt{a.event_id(), a.rep_id(), a.type(), time::from_millis(a.at_ms())});
  for (const auto& a : p.pending())
    s.pending.push_back(
        PendingActivity{a.event_id(), a.rep_id(), a.type(), time::from_millis(a.at_ms()),
                        time::from_millis(a.callback_at_ms()), time::from_millis(a.received_ms())});
  s.breached_reps.assign(p.breached_reps().begin(), p.breached_reps().end());
  s.last_stage = p.last_stage();
  return s;
}

std::optional<SlaState> decode_json_v1(std::string_view text);

}  // namespace

std::string encode_state(const SlaState& s) {
  v1::StoredSlaState p;
  to_proto(s, p);
  std::string out(1, kBinaryV2);
  p.AppendToString(&out);
  return out;
}

std::optional<SlaState> decode_state(std::string_view bytes) {
  if (bytes.empty()) return std::nullopt;
  if (bytes[0] == '{') return decode_json_v1(bytes);
  if (bytes[0] != kBinaryV2) return std::nullopt;
  v1::StoredSlaState p;
  if (!p.ParseFromArray(bytes.data() + 1, static_cast<int>(bytes.size() - 1))) return std::nullopt;
  return from_proto(p);
}

namespace {

std::optional<SlaState> decode_json_v1(std::string_view text) {
  json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) return std::nullopt;
  try {
    SlaState s;
    s.lead_id = j.value("lead_id", "");
    int status = j.value("status", 0);
    if (status < 0 || status > 3) return std::nullopt;
    s.status = static_cast<ClockStatus>(status);
    const json& c = j.at("clock");
    SlaClock& k = s.clock;
    k.clock_id = c.value("clock_id", "");
    k.owner_rep_id = c.value("owner", "");
    k.manager_id = c.value("manager", "");
    k.tier = static_cast<v1::Tier>(c.value("tier", 0));
    k.policy = c.value("policy", "");
    k.business_hours = c.value("business_hours", false);
    k.cycle = c.value("cycle", 0);
    k.reassignment_count = c.value("reassignment_count", 0);
    k.correlation_id = c.value("correlation_id", "");
    k.captured_at = get_ms(c, "captured_at");
    k.started_at = get_ms(c, "started_at");
    k.deadline = get_ms(c, "deadline");
    k.warn_at = get_ms(c, "warn_at");
    k.escalate_at = get_opt_ms(c, "escalate_at");
    k.reassign_at = get_opt_ms(c, "reassign_at");
    k.warned = c.value("warned", false);
    k.breached = c.value("breached", false);
    k.escalated = c.value("escalated", false);
    k.reassign_requested = c.value("reassign_requested", false);
    k.paused_at = get_opt_ms(c, "paused_at");
    k.paused_until = get_opt_ms(c, "paused_until");
    k.met_at = get_opt_ms(c, "met_at");
    k.met_activity = c.value("met_activity", "");
    k.within_sla = c.value("within_sla", false);
    const json& cal = j.at("calendar");
    s.calendar.time_zone = cal.value("time_zone", "UTC");
    s.calendar.days = cal.value("days", std::vector<int>{1, 2, 3, 4, 5});
    s.calendar.start_minute = cal.value("start_minute", 540);
    s.calendar.end_minute = cal.value("end_minute", 1020);
    s.calendar.holidays = cal.value("holidays", std::vector<std::string>{});
    for (const auto& a : j.value("attempts", json::array()))
      s.attempts.push_back(Attempt{a.value("id", ""), a.value("rep", ""),
                                   static_cast<v1::ActivityType>(a.value("type", 0)),
                                   get_ms(a, "at")});
    for (const auto& p : j.value("pending", json::array()))
      s.pending.push_back(PendingActivity{
          p.value("id", ""), p.value("rep", ""), static_cast<v1::ActivityType>(p.value("type", 0)),
          get_ms(p, "at"), get_ms(p, "callback_at"), get_ms(p, "received")});
    s.breached_reps = j.value("breached_reps", std::vector<std::string>{});
    s.last_stage = static_cast<v1::Stage>(j.value("last_stage", 0));
    return s;
  } catch (const json::exception&) {
    return std::nullopt;
  }
}

}  // namespace

std::string state_view_json(const SlaState& s) {
  const SlaClock& c = s.clock;
  json j;
  j["lead_id"] = s.lead_id;
  j["status"] = kStatus[static_cast<int>(s.status)];
  if (s.status != ClockStatus::kNone) {
    j["owner_rep_id"] = c.owner_rep_id;
    j["manager_id"] = c.manager_id;
    j["tier"] = v1::tier_name(c.tier);
    j["policy"] = c.policy;
    j["business_hours"] = c.business_hours;
    j["time_zone"] = s.calendar.time_zone;
    j["cycle"] = c.cycle;
    j["reassignment_count"] = c.reassignment_count;
    j["captured_at"] = time::format_rfc3339(c.captured_at);
    j["started_at"] = time::format_rfc3339(c.started_at);
    j["deadline"] = time::format_rfc3339(c.deadline);
    j["warn_at"] = time::format_rfc3339(c.warn_at);
    j["escalate_at"] = opt_time(c.escalate_at);
    j["reassign_at"] = opt_time(c.reassign_at);
    j["paused_until"] = opt_time(c.paused_until);
    j["fired"] = {{"warning", c.warned},
                  {"breach", c.breached},
                  {"escalation", c.escalated},
                  {"reassignment", c.reassign_requested}};
    j["met_at"] = opt_time(c.met_at);
    if (c.met_at) {
      j["met_activity"] = c.met_activity;
      j["within_sla"] = c.within_sla;
    }
  }
  j["attempts"] = s.attempts.size();
  j["pending_activities"] = s.pending.size();
  j["breached_reps"] = s.breached_reps;
  return j.dump();
}

}  // namespace baton::sla::app
