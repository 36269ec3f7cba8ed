// The SlaClock state machine: pure functions of (event, state, config,
// owner's calendar, now) -> SlaDecision (new state, outputs, timers).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "baton/v1/activity.pb.h"
#include "baton/v1/lifecycle.pb.h"
#include "baton/v1/routing.pb.h"
#include "baton/v1/sla.pb.h"
#include "escalation.h"
#include "sla_config.h"
#include "sla_state.h"
#include "sla_time.h"

namespace baton::sla {

enum class Destination {
  kSlaEvents,  // SlaEvent on baton.sla.events
  kReassign,   // ReassignmentRequest on baton.routing.reassign
  kLifecycle,  // vetted StageChange on baton.lifecycle.stage-changes
};

struct SlaOutput {
  Destination to = Destination::kSlaEvents;
  std::string key;  // lead id
  std::string event_id;
  TimePoint event_time{};
  std::variant<v1::SlaEvent, v1::ReassignmentRequest, v1::StageChange> message;
  // Lifecycle forwards carry the input's bytes unchanged.
  bool forward_input = false;
};

struct TimerSpec {
  std::string id;
  TimePoint due{};
  std::string payload;  // the clock id it belongs to
};

enum class TimerKind { kWarn, kBreach, kEscalate, kReassign, kPending };
std::string timer_id(std::string_view lead_id, TimerKind kind);
std::optional<std::pair<std::string, TimerKind>> parse_timer_id(std::string_view id);

struct SlaDecision {
  std::optional<SlaState> state;  // write when set
  bool erase_state = false;
  std::vector<SlaOutput> outputs;
  std::vector<TimerSpec> set_timers;
  std::vector<std::string> cancel_timers;
  std::string invalid;  // non-empty: the input is unusable (dead letter)
  // Facts for metrics (outputs carry the rest).
  int open_clocks_delta = 0;
  int unknown_held = 0;
  int unknown_dropped = 0;
  int unknown_matched = 0;

  static SlaDecision reject(std::string why) {
    SlaDecision d;
    d.invalid = std::move(why);
    return d;
  }
};

// `calendar` is the owner's calendar: for an assignment, the new owner's
// (from the roster); otherwise the one recorded in the state (its spec is in
// SlaState::calendar), or the default calendar for unknown leads.
SlaDecision on_assignment(const v1::Assignment& a, const SlaState* state, const SlaConfig& cfg,
                          const Calendar& calendar, TimePoint now);
SlaDecision on_tier_changed(const v1::TierChanged& t, const SlaState* state, const SlaConfig& cfg,
                            const Calendar& calendar, TimePoint now);
SlaDecision on_activity(const v1::SalesActivity& act, const SlaState* state, const SlaConfig& cfg,
                        const Calendar& calendar, TimePoint now);
SlaDecision on_stage_change(const v1::StageChange& sc, const SlaState* state, const SlaConfig& cfg,
                            const Calendar& calendar, TimePoint now);
// `reps` (the roster) lets an escalation climb the management chain
// (escalation.h); without it the escalation goes to the clock's manager.
SlaDecision on_timer(std::string_view timer_id, std::string_view payload, const SlaState* state,
                     const SlaConfig& cfg, const Calendar& calendar, TimePoint now,
                     const RepDirectory* reps = nullptr);

// What is missing before an "unresponsive" recycle is allowed; empty when
// the minimum attempts are met.
std::string missing_attempts(const SlaState& state, const MinAttempts& rule,
                             const Calendar& calendar, int* attempts, int* distinct);

}  // namespace baton::sla
