#include "config_reader.h"

#include <cstdlib>

#include "baton/runtime/calendar_config.h"
#include "baton/runtime/events.h"
#include "baton/v1/contract.h"

namespace baton::sla::app {

namespace {

using runtime::ConfigNode;

std::optional<int64_t> opt_duration(ConfigNode& n, const std::string& key, bool* bad) {
  if (!n.has(key)) {
    n.str(key, "");  // mark as read
    return std::nullopt;
  }
  const std::string text = n.str(key, "");
  auto d = runtime::parse_duration(text);
  if (!d) {
    n.error(key, "expected a duration such as 250ms, 30s, 5m, 2h, 1d, got '" + text + "'");
    if (bad) *bad = true;
    return std::nullopt;
  }
  return d->count();
}

PolicySpec read_policy(const std::string& name, ConfigNode& n) {
  PolicySpec p;
  p.tier = name;
  const std::string ft = n.str("first_touch", "");
  if (ft == "same_business_day") {
    p.same_business_day = true;
  } else if (!ft.empty()) {
    bool bad = false;
    p.first_touch_ms = opt_duration(n, "first_touch", &bad);
    if (bad) p.first_touch_ms = 1;  // already reported; avoid a second "required" error
  }
  p.warning_fraction = n.number("warning_fraction", 0.8);
  p.escalate_after_ms = opt_duration(n, "escalate_after", nullptr);
  p.reassign_after_ms = opt_duration(n, "reassign_after", nullptr);
  p.clock = n.str("clock", "");
  p.qualifying_activities = n.str_list("qualifying_activities");
  n.done();
  return p;
}

CalendarText read_calendar(ConfigNode& n) {
  CalendarText c;
  c.time_zone = n.str("time_zone", c.time_zone);
  if (n.has("days")) {
    c.days.clear();
    auto days = n.str_list("days");
    for (size_t i = 0; i < days.size(); ++i) {
      char* end = nullptr;
      long v = std::strtol(days[i].c_str(), &end, 10);
      if (days[i].empty() || *end != '\0')
        n.error("days[" + std::to_string(i) + "]",
                "expected an ISO weekday 1..7, got '" + days[i] + "'");
      else
        c.days.push_back(v);
    }
  } else {
    n.str_list("days");
  }
  c.start = n.str("start", c.start);
  c.end = n.str("end", c.end);
  c.holidays = n.str_list("holidays");
  c.holiday_calendar = n.str("holiday_calendar", "");
  n.done();
  return c;
}

}  // namespace

std::optional<AppConfig> read_config(ConfigNode& section) {
  AppConfig app;
  const size_t errors_before = section.errors().messages.size();
  {
    auto t = section.child("topics");
    Topics& tp = app.topics;
    tp.routing_events = t.str("routing_events", tp.routing_events);
    tp.activities = t.str("activities", tp.activities);
    tp.crm_stage_changes = t.str("crm_stage_changes", tp.crm_stage_changes);
    tp.roster_reps = t.str("roster_reps", tp.roster_reps);
    tp.sla_events = t.str("sla_events", tp.sla_events);
    tp.reassign = t.str("reassign", tp.reassign);
    tp.lifecycle = t.str("lifecycle", tp.lifecycle);
    tp.erasure = t.str("erasure", tp.erasure);
    t.done();
  }
  const char* tzdir = std::getenv("TZDIR");
  app.zones = std::make_shared<const time::ZoneDb>(
      section.str("zoneinfo_dir", tzdir && *tzdir ? tzdir : "/usr/share/zoneinfo"));
  app.max_rep_labels = static_cast<size_t>(section.integer("max_rep_labels", 500, 1, 100000));

  SlaConfigSpec spec;
  {
    auto cal = section.child("default_calendar");
    spec.default_calendar = read_calendar(cal);
  }
  { spec.holiday_calendars = runtime::read_holiday_calendars(section); }
  if (!section.has("tiers")) {
    std::string names;
    for (const auto& n : v1::tier_names()) names += (names.empty() ? "" : ", ") + n;
    section.error("tiers", "required: " + names);
  }
  for (auto& [name, node] : section.entries("tiers")) spec.tiers.push_back(read_policy(name, node));
  {
    auto m = section.child("min_attempts");
    spec.min_attempts = m.integer("attempts", 0);
    spec.min_distinct = m.integer("distinct", 0);
    spec.distinct_over = m.str("over", "days");
    m.done();
  }
  {
    auto e = section.child("escalation");
    spec.escalation_fallback = e.str("fallback", "");
    spec.escalation_max_chain = e.integer("max_chain", 5);
    e.done();
  }
  spec.unknown_activity_window_ms =
      section.duration("unknown_activity_window", std::chrono::hours(1)).count();
  spec.max_pending_activities = section.integer("max_pending_activities", 100);

  auto built = build_config(
      spec, [zones = app.zones](const std::string& name) { return zones->load(name); }, "");
  if (!built) {
    for (const auto& e : built.error()) section.error(e.field, e.message);
    return std::nullopt;
  }
  app.sla = std::move(built).value();
  app.sla.derive_id = [](std::string_view in, std::string_view purpose) {
    return runtime::derive_event_id(in, purpose);
  };
  if (section.errors().messages.size() != errors_before) return std::nullopt;
  return app;
}

}  // namespace baton::sla::app
