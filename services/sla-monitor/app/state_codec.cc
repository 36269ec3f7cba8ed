#include "state_codec.h"

#include <cstdio>
#include <nlohmann/json.hpp>

#include "civil.h"
#include "sla_config.h"

namespace baton::sla::app {

namespace {

using nlohmann::json;

constexpr const char* kStatus[] = {"none", "open", "met", "stopped"};

json ms(TimePoint t) { return to_ms(t); }
json opt_ms(const std::optional<TimePoint>& t) { return t ? json(to_ms(*t)) : json(nullptr); }
TimePoint get_ms(const json& j, const char* k) {
  return j.contains(k) && j[k].is_number() ? from_ms(j[k].get<int64_t>()) : TimePoint{};
}
std::optional<TimePoint> get_opt_ms(const json& j, const char* k) {
  if (!j.contains(k) || !j[k].is_number()) return std::nullopt;
  return from_ms(j[k].get<int64_t>());
}

std::string rfc3339(TimePoint t) {
  const int64_t m = to_ms(t);
  const int64_t s = floor_div(m, 1000);
  const int64_t day = floor_div(s, 86400);
  const int64_t sod = s - day * 86400;
  char buf[48];
  std::snprintf(buf, sizeof buf, "%sT%02d:%02d:%02d.%03dZ", format_date(day).c_str(),
                static_cast<int>(sod / 3600), static_cast<int>(sod / 60 % 60),
                static_cast<int>(sod % 60), static_cast<int>(m - s * 1000));
  return buf;
}
json opt_time(const std::optional<TimePoint>& t) { return t ? json(rfc3339(*t)) : json(nullptr); }

}  // namespace

std::string state_key(std::string_view lead_id) { return "lead/" + std::string(lead_id); }

std::string encode_state(const SlaState& s) {
  const SlaClock& c = s.clock;
  json j;
  j["v"] = 1;
  j["lead_id"] = s.lead_id;
  j["status"] = static_cast<int>(s.status);
  j["clock"] = {{"clock_id", c.clock_id},
                {"owner", c.owner_rep_id},
                {"manager", c.manager_id},
                {"tier", static_cast<int>(c.tier)},
                {"policy", c.policy},
                {"business_hours", c.business_hours},
                {"cycle", c.cycle},
                {"reassignment_count", c.reassignment_count},
                {"correlation_id", c.correlation_id},
                {"captured_at", ms(c.captured_at)},
                {"started_at", ms(c.started_at)},
                {"deadline", ms(c.deadline)},
                {"warn_at", ms(c.warn_at)},
                {"escalate_at", opt_ms(c.escalate_at)},
                {"reassign_at", opt_ms(c.reassign_at)},
                {"warned", c.warned},
                {"breached", c.breached},
                {"escalated", c.escalated},
                {"reassign_requested", c.reassign_requested},
                {"paused_at", opt_ms(c.paused_at)},
                {"paused_until", opt_ms(c.paused_until)},
                {"met_at", opt_ms(c.met_at)},
                {"met_activity", c.met_activity},
                {"within_sla", c.within_sla}};
  j["calendar"] = {{"time_zone", s.calendar.time_zone},
                   {"days", s.calendar.days},
                   {"start_minute", s.calendar.start_minute},
                   {"end_minute", s.calendar.end_minute},
                   {"holidays", s.calendar.holidays}};
  json attempts = json::array();
  for (const auto& a : s.attempts)
    attempts.push_back({{"id", a.event_id}, {"rep", a.rep_id}, {"type", a.type}, {"at", ms(a.at)}});
  j["attempts"] = std::move(attempts);
  json pending = json::array();
  for (const auto& p : s.pending)
    pending.push_back({{"id", p.event_id},
                       {"rep", p.rep_id},
                       {"type", p.type},
                       {"at", ms(p.at)},
                       {"callback_at", ms(p.callback_at)},
                       {"received", ms(p.received)}});
  j["pending"] = std::move(pending);
  j["breached_reps"] = s.breached_reps;
  j["last_stage"] = static_cast<int>(s.last_stage);
  return j.dump();
}

std::optional<SlaState> decode_state(std::string_view text) {
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

std::string state_view_json(const SlaState& s) {
  const SlaClock& c = s.clock;
  json j;
  j["lead_id"] = s.lead_id;
  j["status"] = kStatus[static_cast<int>(s.status)];
  if (s.status != ClockStatus::kNone) {
    j["owner_rep_id"] = c.owner_rep_id;
    j["manager_id"] = c.manager_id;
    j["tier"] = tier_name(c.tier);
    j["policy"] = c.policy;
    j["business_hours"] = c.business_hours;
    j["time_zone"] = s.calendar.time_zone;
    j["cycle"] = c.cycle;
    j["reassignment_count"] = c.reassignment_count;
    j["captured_at"] = rfc3339(c.captured_at);
    j["started_at"] = rfc3339(c.started_at);
    j["deadline"] = rfc3339(c.deadline);
    j["warn_at"] = rfc3339(c.warn_at);
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
