// Routing configuration: the scoring model, tiers, rules and pools. Plain
// data, validated by validate_config (errors name the field path).
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "baton/time/calendar.h"
#include "baton/v1/common.pb.h"
#include "baton/v1/lead.pb.h"

namespace baton::router {

using TimePoint = std::chrono::system_clock::time_point;

// Fit points when a firmographic field has one of the values.
// Fields: industry, employee_band, revenue_band, country, region, state,
// seniority, title, email_domain, source, language, product_interest.
struct FitRule {
  std::string name;
  std::string field;
  std::vector<std::string> values;  // lower case
  double points = 0;
};

struct ScoringModel {
  std::vector<FitRule> fit;
  // Intent points per signal type (negative for negative signals).
  std::map<v1::SignalType, double> signal_points;
  std::chrono::seconds half_life{std::chrono::hours(24 * 14)};
  // Sales-ready: fit >= fit_min AND intent >= intent_min.
  double fit_min = 0;
  double intent_min = 0;
};

// A tier applies when every condition set here holds; first match wins,
// no match means nurture.
struct TierCondition {
  v1::Tier tier = v1::TIER_STANDARD;
  std::optional<double> fit_min;
  std::optional<double> intent_min;
  std::vector<v1::SignalType> signals_any;
  std::optional<bool> sales_ready;
  std::vector<std::string> sources;
};

// Ordered routing rule: every field listed must match one of its values.
// Fields: country, region, state, industry, employee_band, revenue_band,
// source, language, product_interest.
struct RoutingRule {
  std::string name;
  std::map<std::string, std::vector<std::string>> when;  // values lower case
  std::string pool;
};

enum class Strategy { kRoundRobin, kWeighted, kLeastLoaded };

inline constexpr const char* kDefaultDesk = "desk";

struct PoolConfig {
  std::string name;
  Strategy strategy = Strategy::kRoundRobin;
  std::string fallback;  // empty: none
  // A rep back from leave catches up on missed leads (true) or rejoins the
  // rotation at the current position (false).
  bool catch_up = false;
  std::string manager_rep_id;
  // Only reps speaking the lead's language (when the rep lists languages).
  bool match_language = false;
  // Per-rep weight overrides for weighted round-robin (> 0).
  std::map<std::string, double> weights;
  // Zone of reps that name none (IANA).
  std::string time_zone = "UTC";
  // The desk deciding this pool (the pool-requests key). One desk sees every
  // pool on it, so a rep's capacity and daily cap count all of them; reps
  // working pools on different desks get a cap per desk.
  std::string desk = kDefaultDesk;
};

struct IdentityConfig {
  // Person identity: lead fields joined; "email" is normalised.
  std::vector<std::string> fields{"email"};
  std::chrono::seconds window{std::chrono::hours(24 * 30)};
  // The desk whose task keeps the person-keyed view and resolves every
  // capture's identity (identity.desk); empty: the default pool's desk. A
  // capture routed to a pool on this desk is assigned in the same step.
  std::string desk;
};

// A new hand-raise (a capture, or a signal that qualifies on its own) from a
// lead whose cycle ended starts a new cycle: fresh scoring, a new owner, a
// new clock, a new outcome.
struct ReopenPolicy {
  // A returning customer (previous cycle won) goes to this pool; empty: the
  // routing rules, with the account owner preferred.
  std::string won_pool;
  // Which closed stages re-open on a new hand-raise (recycled leads always
  // can: they wait in nurture).
  bool won = true;
  bool lost = true;
  bool rejected = true;
};

// Nurture ownership: a lead that lands in nurture is assigned to a rep of
// this pool (tier NURTURE), so the SLA monitor runs its nurture clock.
// Disabled: nurture leads wait unowned (the captured_owner queue).
struct NurtureOwnership {
  bool enabled = false;
  std::string pool;
};

struct RoutingConfig {
  ScoringModel scoring;
  std::vector<TierCondition> tiers;
  std::vector<RoutingRule> rules;
  std::string default_pool;
  std::map<std::string, PoolConfig> pools;
  IdentityConfig identity;
  ReopenPolicy reopen;
  NurtureOwnership nurture;
  // Shown as the owner of a lead no rep owns (a marketing queue's name).
  std::string captured_owner;
  std::set<std::string> free_mail_domains;
  // Account match on the lead's self-declared company.domain when its email
  // domain matches none (account_match.company_domain; default: email only).
  bool match_company_domain = false;
  // After this many reassignments in a cycle: manager or fallback.
  int max_reassignments = 2;
  // An escalation climbs from the pool's manager at most this many managers
  // up (escalation_max_chain), passing over anyone off by the Calendar.
  int escalation_max_chain = 5;
  std::chrono::seconds held_retry{60};
  int top_engagements = 5;
  // Reject captures whose event time is further than this from now.
  std::chrono::seconds max_clock_skew{std::chrono::hours(24 * 365)};
  // Named holiday calendars; a rep's holiday_calendar_id picks one (an
  // unknown id adds no dates, as in the SLA monitor).
  time::HolidayCalendars holiday_calendars;
};

struct ConfigIssue {
  std::string field;  // e.g. "rules[2].pool"
  std::string message;
};

// The desk (pool-requests key) of a pool; unknown pools: the default desk.
const std::string& desk_of(const RoutingConfig& cfg, const std::string& pool);
// The desk that resolves identities (IdentityConfig::desk).
const std::string& identity_desk(const RoutingConfig& cfg);

// Cross-field checks (pool references, weights, ...).
std::vector<ConfigIssue> validate_config(const RoutingConfig& cfg);

// "demo_request" <-> SIGNAL_DEMO_REQUEST.
std::optional<v1::SignalType> signal_from_name(std::string_view name);
std::string signal_name(v1::SignalType t);
std::string strategy_name(Strategy s);
std::string lower(std::string_view s);

}  // namespace baton::router
