// Helpers shared by the SlaClock translation units (not part of the API).
#pragma once

#include <string>
#include <string_view>

#include "sla_clock.h"

namespace baton::sla::detail {

TimePoint time_or(const google::protobuf::Timestamp& ts, TimePoint fallback);
google::protobuf::Timestamp timestamp(TimePoint t);
double seconds(Millis d);

// Business or elapsed time under a policy's clock kind.
Millis measure(const SlaPolicy& p, const Calendar& cal, TimePoint from, TimePoint to);
TimePoint advance(const SlaPolicy& p, const Calendar& cal, TimePoint from, Millis d);
// The clock kind a running clock measures with (that of the policy that set
// its deadline).
SlaPolicy clock_policy(const SlaClock& c);
// Deadline, warning, escalation and reassignment instants from `start`.
void compute_milestones(const SlaPolicy& p, const Calendar& cal, TimePoint start, SlaClock& clock);

v1::Envelope envelope(const SlaConfig& cfg, const std::string& lead, std::string_view input_id,
                      std::string_view purpose, TimePoint at, const std::string& correlation);
void emit_sla(SlaDecision& d, const std::string& lead, v1::SlaEvent ev, const v1::Envelope& env);

// Sets timers for every unfired milestone of an open clock.
void schedule(SlaDecision& d, const SlaState& s);
void cancel_clock_timers(SlaDecision& d, const std::string& lead);

// The owner's qualifying touch at `at`: stops the clock with SlaMet.
void meet(SlaDecision& d, SlaState& s, const SlaConfig& cfg, const Calendar& cal,
          const std::string& input_id, const std::string& activity, TimePoint at);
// A scheduled callback by the owner: shifts unfired milestones past it.
void pause(SlaDecision& d, SlaState& s, const SlaConfig& cfg, const Calendar& cal, TimePoint at,
           TimePoint until);
void record_attempt(SlaState& s, const std::string& event_id, const std::string& rep,
                    v1::ActivityType type, TimePoint at);

}  // namespace baton::sla::detail
