// SLA policies per tier and the rest of the sla-monitor's configuration,
// validated with errors that name the bad field.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "baton/runtime/status.h"
#include "baton/v1/activity.pb.h"
#include "baton/v1/common.pb.h"
#include "baton/v1/roster.pb.h"
#include "sla_time.h"

namespace baton::sla {

enum class ClockKind { k24x7, kBusinessHours };

// How fast an owner must first touch a lead of one tier.
struct SlaPolicy {
  v1::Tier tier = v1::TIER_UNSPECIFIED;
  std::string name;                      // "high_intent", "standard", "nurture"
  Millis first_touch{0};                 // budget, unless same_business_day
  bool same_business_day = false;        // deadline: end of the owner's business day
  double warning_fraction = 0.8;         // of the budget; warning fires once
  std::optional<Millis> escalate_after;  // from the clock start
  std::optional<Millis> reassign_after;  // from the clock start
  ClockKind clock = ClockKind::k24x7;
  std::set<int> qualifying;  // v1::ActivityType values that stop the clock
};

enum class DistinctBasis { kDays, kChannels };

// Attempts required before a lead may be recycled as unresponsive.
struct MinAttempts {
  int attempts = 0;
  int distinct = 0;
  DistinctBasis over = DistinctBasis::kDays;
};

using IdDeriver = std::function<std::string(std::string_view input_id, std::string_view purpose)>;

struct SlaConfig {
  std::map<int, SlaPolicy> policies;  // by v1::Tier
  Calendar default_calendar;
  time::HolidayCalendars holiday_calendars;
  MinAttempts min_attempts;
  // Escalation chain (escalation.h): the last resort, and how many managers
  // up the chain are tried.
  std::string escalation_fallback;
  int escalation_max_chain = 5;
  Millis unknown_activity_window{std::chrono::hours(1)};
  size_t max_pending_activities = 100;
  std::string source_system = "baton-sla-monitor";
  // Event ids of outputs; the app plugs in runtime::derive_event_id.
  IdDeriver derive_id = [](std::string_view in, std::string_view purpose) {
    return std::string(in) + "/" + std::string(purpose);
  };

  const SlaPolicy* policy(v1::Tier tier) const;
  // The owner's calendar from the roster: zone and hours when the rep has
  // them (else the default's; overnight hours are kept), the rep's holidays
  // plus its holiday calendar (time::holidays_for: an unknown id adds none).
  CalendarSpec calendar_for(const v1::Rep* rep) const;
};

// ---- Raw configuration, as read from the file ----

struct PolicySpec {
  std::string tier;  // key under "tiers"
  std::optional<int64_t> first_touch_ms;
  bool same_business_day = false;
  double warning_fraction = 0.8;
  std::optional<int64_t> escalate_after_ms;
  std::optional<int64_t> reassign_after_ms;
  std::string clock = "24x7";
  std::vector<std::string> qualifying_activities;  // empty: every contact type
};

struct CalendarText {
  std::string time_zone = "UTC";
  std::vector<int64_t> days = {1, 2, 3, 4, 5};
  std::string start = "09:00";
  std::string end = "17:00";
  std::vector<std::string> holidays;
  std::string holiday_calendar;  // name in holiday_calendars
};

struct SlaConfigSpec {
  std::vector<PolicySpec> tiers;
  CalendarText default_calendar;
  time::HolidayCalendars holiday_calendars;
  int64_t min_attempts = 0;
  int64_t min_distinct = 0;
  std::string distinct_over = "days";
  std::string escalation_fallback;
  int64_t escalation_max_chain = 5;
  int64_t unknown_activity_window_ms = 3600 * 1000;
  int64_t max_pending_activities = 100;
};

struct ConfigError {
  std::string field;  // full path, e.g. "sla-monitor.tiers.standard.first_touch"
  std::string message;
  std::string text() const { return field + ": " + message; }
};

// Loads an IANA zone by name, or says why not (time::ZoneDb::load).
using ZoneLoader =
    std::function<runtime::Result<std::shared_ptr<const TimeZone>>(const std::string& name)>;

// Validates every field; all errors at once, each naming its field.
runtime::Result<SlaConfig, std::vector<ConfigError>> build_config(const SlaConfigSpec& spec,
                                                                  const ZoneLoader& zones,
                                                                  const std::string& prefix);

std::string activity_name(v1::ActivityType type);
std::optional<v1::ActivityType> parse_activity(std::string_view name);
// "HH:MM" to minutes after midnight (24:00 allowed).
std::optional<int> parse_clock_time(std::string_view text);

}  // namespace baton::sla
