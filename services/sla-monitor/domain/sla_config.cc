#include "sla_config.h"

#include <algorithm>
#include <cctype>

#include "baton/v1/contract.h"
#include "sla_time.h"

namespace baton::sla {

namespace {

struct Named {
  const char* name;
  int value;
};
constexpr Named kActivities[] = {{"call", v1::ACTIVITY_CALL},
                                 {"email", v1::ACTIVITY_EMAIL},
                                 {"meeting", v1::ACTIVITY_MEETING},
                                 {"connect", v1::ACTIVITY_CONNECT},
                                 {"sms", v1::ACTIVITY_SMS},
                                 {"linkedin", v1::ACTIVITY_LINKEDIN},
                                 {"scheduled_callback", v1::ACTIVITY_SCHEDULED_CALLBACK}};

std::string join_names(const Named* b, const Named* e) {
  std::string out;
  for (auto* it = b; it != e; ++it) out += (out.empty() ? "" : ", ") + std::string(it->name);
  return out;
}

std::string join_names(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

class Errors {
 public:
  explicit Errors(std::string prefix) : prefix_(std::move(prefix)) {}
  void add(const std::string& field, std::string message) {
    list.push_back({prefix_.empty() ? field : prefix_ + "." + field, std::move(message)});
  }
  std::vector<ConfigError> list;

 private:
  std::string prefix_;
};

std::optional<Calendar> build_calendar(const CalendarText& t, const time::HolidayCalendars& named,
                                       const ZoneLoader& zones, const std::string& field,
                                       Errors& errors) {
  size_t before = errors.list.size();
  std::string why;
  std::shared_ptr<const TimeZone> zone;
  if (zones) {
    auto loaded = zones(t.time_zone);
    if (loaded)
      zone = *loaded;
    else
      why = loaded.error().message;
  }
  if (!zone)
    errors.add(field + ".time_zone",
               "unknown time zone '" + t.time_zone + "'" + (why.empty() ? "" : " (" + why + ")"));
  CalendarSpec spec;
  spec.time_zone = t.time_zone;
  spec.days.clear();
  if (t.days.empty()) errors.add(field + ".days", "needs at least one working day (1-7)");
  for (size_t i = 0; i < t.days.size(); ++i) {
    if (t.days[i] < 1 || t.days[i] > 7)
      errors.add(
          field + ".days[" + std::to_string(i) + "]",
          "expected an ISO weekday 1 (Monday) .. 7 (Sunday), got " + std::to_string(t.days[i]));
    else
      spec.days.push_back(static_cast<int>(t.days[i]));
  }
  auto start = parse_clock_time(t.start);
  auto end = parse_clock_time(t.end);
  if (!start) errors.add(field + ".start", "expected HH:MM, got '" + t.start + "'");
  if (!end) errors.add(field + ".end", "expected HH:MM, got '" + t.end + "'");
  if (start && end && *end == *start)
    errors.add(field + ".end", "must differ from start (" + t.start +
                                   "); an end before the start is an overnight window");
  for (size_t i = 0; i < t.holidays.size(); ++i) {
    if (!time::parse_date(t.holidays[i]))
      errors.add(field + ".holidays[" + std::to_string(i) + "]",
                 "expected a date YYYY-MM-DD, got '" + t.holidays[i] + "'");
    spec.holidays.push_back(t.holidays[i]);
  }
  if (!t.holiday_calendar.empty()) {
    auto it = named.find(t.holiday_calendar);
    if (it == named.end())
      errors.add(field + ".holiday_calendar",
                 "unknown holiday calendar '" + t.holiday_calendar + "'");
    else
      spec.holidays.insert(spec.holidays.end(), it->second.begin(), it->second.end());
  }
  if (errors.list.size() != before) return std::nullopt;
  spec.start_minute = *start;
  spec.end_minute = *end;
  return Calendar(spec, zone);
}

void build_policy(const PolicySpec& p, SlaConfig& cfg, Errors& errors) {
  const std::string f = "tiers." + p.tier;
  auto tier = v1::tier_from_name(p.tier);
  if (!tier) {
    errors.add(f, "unknown tier '" + p.tier + "' (expected " + join_names(v1::tier_names()) + ")");
    return;
  }
  SlaPolicy pol;
  pol.tier = *tier;
  pol.name = p.tier;
  pol.same_business_day = p.same_business_day;
  if (!p.same_business_day) {
    if (!p.first_touch_ms)
      errors.add(f + ".first_touch", "required: a duration such as 5m, or same_business_day");
    else if (*p.first_touch_ms <= 0)
      errors.add(f + ".first_touch",
                 "must be a duration > 0, got " + std::to_string(*p.first_touch_ms) + "ms");
    else
      pol.first_touch = Millis(*p.first_touch_ms);
  }
  if (!(p.warning_fraction > 0 && p.warning_fraction < 1))
    errors.add(f + ".warning_fraction",
               "must be between 0 and 1 (exclusive), got " + std::to_string(p.warning_fraction));
  pol.warning_fraction = p.warning_fraction;
  auto after = [&](const std::optional<int64_t>& v, const char* key, Millis at_least,
                   const char* what) -> std::optional<Millis> {
    if (!v) return std::nullopt;
    if (*v < 0) {
      errors.add(f + "." + key, "must be a duration >= 0, got " + std::to_string(*v) + "ms");
      return std::nullopt;
    }
    if (Millis(*v) < at_least)
      errors.add(f + "." + key, std::string("must not be shorter than ") + what);
    return Millis(*v);
  };
  pol.escalate_after = after(p.escalate_after_ms, "escalate_after", pol.first_touch, "first_touch");
  pol.reassign_after =
      after(p.reassign_after_ms, "reassign_after", pol.escalate_after.value_or(pol.first_touch),
            pol.escalate_after ? "escalate_after" : "first_touch");
  std::string clock = p.clock.empty() ? (p.same_business_day ? "business_hours" : "24x7") : p.clock;
  if (clock == "24x7") {
    pol.clock = ClockKind::k24x7;
    if (p.same_business_day)
      errors.add(f + ".clock", "same_business_day needs clock: business_hours");
  } else if (clock == "business_hours") {
    pol.clock = ClockKind::kBusinessHours;
  } else {
    errors.add(f + ".clock", "expected one of 24x7, business_hours, got '" + clock + "'");
  }
  if (p.qualifying_activities.empty()) {
    for (const auto& a : kActivities)
      if (a.value != v1::ACTIVITY_SCHEDULED_CALLBACK) pol.qualifying.insert(a.value);
  }
  for (size_t i = 0; i < p.qualifying_activities.size(); ++i) {
    const std::string af = f + ".qualifying_activities[" + std::to_string(i) + "]";
    auto a = parse_activity(p.qualifying_activities[i]);
    if (!a)
      errors.add(af, "unknown activity '" + p.qualifying_activities[i] + "' (expected " +
                         join_names(std::begin(kActivities), std::end(kActivities)) + ")");
    else if (*a == v1::ACTIVITY_SCHEDULED_CALLBACK)
      errors.add(af, "scheduled_callback pauses the clock and cannot stop it");
    else
      pol.qualifying.insert(*a);
  }
  if (cfg.policies.count(*tier)) errors.add(f, "tier configured twice");
  cfg.policies[*tier] = std::move(pol);
}

}  // namespace

const SlaPolicy* SlaConfig::policy(v1::Tier tier) const {
  auto it = policies.find(tier);
  return it == policies.end() ? nullptr : &it->second;
}

CalendarSpec SlaConfig::calendar_for(const v1::Rep* rep) const {
  CalendarSpec spec = default_calendar.spec();
  if (!rep) return spec;
  if (!rep->time_zone().empty()) spec.time_zone = rep->time_zone();
  const auto& wh = rep->working_hours();
  if (wh.days_size() > 0 && wh.end_minute() != wh.start_minute()) {  // overnight when end < start
    spec.days.assign(wh.days().begin(), wh.days().end());
    spec.start_minute = wh.start_minute();
    spec.end_minute = wh.end_minute();
  }
  if (rep->holidays_size() > 0 || !rep->holiday_calendar_id().empty()) {
    spec.holidays = time::holidays_for({rep->holidays().begin(), rep->holidays().end()},
                                       rep->holiday_calendar_id(), holiday_calendars);
  }
  return spec;
}

runtime::Result<SlaConfig, std::vector<ConfigError>> build_config(const SlaConfigSpec& spec,
                                                                  const ZoneLoader& zones,
                                                                  const std::string& prefix) {
  Errors errors(prefix);
  SlaConfig cfg;
  for (auto& issue : time::check_holiday_calendars(spec.holiday_calendars))
    errors.add(issue.field, std::move(issue.message));
  cfg.holiday_calendars = spec.holiday_calendars;
  if (auto cal = build_calendar(spec.default_calendar, spec.holiday_calendars, zones,
                                "default_calendar", errors))
    cfg.default_calendar = *cal;
  for (const auto& p : spec.tiers) build_policy(p, cfg, errors);
  for (const auto& name : v1::tier_names())
    if (!cfg.policies.count(*v1::tier_from_name(name)))
      errors.add("tiers." + name, "missing: every tier needs a policy");
  if (spec.min_attempts < 0)
    errors.add("min_attempts.attempts", "must be >= 0, got " + std::to_string(spec.min_attempts));
  if (spec.min_distinct < 0)
    errors.add("min_attempts.distinct", "must be >= 0, got " + std::to_string(spec.min_distinct));
  else if (spec.min_distinct > spec.min_attempts && spec.min_attempts >= 0)
    errors.add("min_attempts.distinct",
               "cannot exceed attempts (" + std::to_string(spec.min_attempts) + ")");
  cfg.min_attempts.attempts = static_cast<int>(spec.min_attempts);
  cfg.min_attempts.distinct = static_cast<int>(spec.min_distinct);
  if (spec.distinct_over == "days")
    cfg.min_attempts.over = DistinctBasis::kDays;
  else if (spec.distinct_over == "channels")
    cfg.min_attempts.over = DistinctBasis::kChannels;
  else
    errors.add("min_attempts.over",
               "expected one of days, channels, got '" + spec.distinct_over + "'");
  if (spec.escalation_max_chain < 1 || spec.escalation_max_chain > 50)
    errors.add("escalation.max_chain",
               "must be 1..50, got " + std::to_string(spec.escalation_max_chain));
  cfg.escalation_fallback = spec.escalation_fallback;
  cfg.escalation_max_chain =
      static_cast<int>(std::clamp<int64_t>(spec.escalation_max_chain, 1, 50));
  if (spec.unknown_activity_window_ms < 0)
    errors.add("unknown_activity_window", "must be a duration >= 0");
  cfg.unknown_activity_window = Millis(spec.unknown_activity_window_ms);
  if (spec.max_pending_activities < 1) errors.add("max_pending_activities", "must be >= 1");
  cfg.max_pending_activities =
      static_cast<size_t>(std::max<int64_t>(1, spec.max_pending_activities));
  if (!errors.list.empty()) return errors.list;
  return cfg;
}

std::string activity_name(v1::ActivityType type) {
  for (const auto& a : kActivities)
    if (a.value == type) return a.name;
  return "unspecified";
}

std::optional<v1::ActivityType> parse_activity(std::string_view name) {
  for (const auto& a : kActivities)
    if (name == a.name) return static_cast<v1::ActivityType>(a.value);
  return std::nullopt;
}

std::optional<int> parse_clock_time(std::string_view t) {
  if (t.size() != 5 || t[2] != ':') return std::nullopt;
  for (size_t i : {0, 1, 3, 4})
    if (!std::isdigit(static_cast<unsigned char>(t[i]))) return std::nullopt;
  int h = (t[0] - '0') * 10 + (t[1] - '0'), m = (t[3] - '0') * 10 + (t[4] - '0');
  if (m > 59 || h > 24 || (h == 24 && m != 0)) return std::nullopt;
  return h * 60 + m;
}

}  // namespace baton::sla
