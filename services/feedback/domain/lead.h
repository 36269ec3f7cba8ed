// A lead's lifecycle record and what each input does to it:
// (input, record, now) -> Step (new record, lifecycle events, outcomes,
// funnel and calibration counts). Pure: no I/O, no clock, no runtime.
//
// Explicit rules for bad input:
// - duplicate: an input whose event id the lead already saw changes nothing
//   and emits nothing (a replay never produces a second outcome).
// - unknown lead: a StageChange for a lead feedback never saw is refused
//   (TransitionRejected rule "unknown_lead", no state created). SLA events,
//   touches and routing events other than an Assignment are ignored for an
//   unknown lead. An Assignment creates the record from its handoff package
//   (the capture may still be on its way on another topic).
// - out of order: a StageChange whose event time is older than the time the
//   lead entered its current stage is refused (rule "out_of_order").
// - derived stages: an Assignment moves Captured/Recycled -> Assigned; the
//   first touch by a rep moves Assigned -> Contacted. A touch seen before the
//   Assignment is remembered and derives Contacted once the lead is assigned.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "baton/feedback/state.pb.h"
#include "baton/v1/activity.pb.h"
#include "baton/v1/lead.pb.h"
#include "baton/v1/lifecycle.pb.h"
#include "baton/v1/notification.pb.h"
#include "baton/v1/outcome.pb.h"
#include "baton/v1/routing.pb.h"
#include "baton/v1/sla.pb.h"
#include "calibration.h"
#include "funnel.h"
#include "timepoint.h"

namespace baton::feedback {

// Seed 003: no opportunity without fit and intent. A move to Opportunity of
// a lead that was not sales-ready at its handoff is refused (a
// TransitionRejected naming the rule), only flagged (the move happens, the
// timeline and a metric say so), or let through.
enum class OpportunityGate { kRefuse, kFlag, kOff };

struct FeedbackPolicy {
  OpportunityGate opportunity_gate = OpportunityGate::kFlag;
  size_t max_timeline_entries = 500;
  size_t max_seen_event_ids = 256;
  // "signal" timeline entries kept per lead (the newest); older ones are
  // dropped and counted in LeadRecord.timeline_signals_dropped.
  size_t max_timeline_signals = 50;
  CalibrationPolicy calibration;
};

// A calibration count: a handoff in `band`, or a conversion of a lead
// handed off in `band`.
struct CalibrationEvent {
  std::string band;
  bool handoff = false;
  bool converted = false;
};

// A rep delay measured (the owner's first touch in an assignment), for the
// rep-delay histograms (bounded labels: tier, source; campaign) and the
// funnel's response time by source and campaign.
struct RepDelay {
  v1::Tier tier = v1::TIER_UNSPECIFIED;
  std::string source;
  int64_t ms = 0;
  std::string campaign;  // the funnel's by-campaign response time
};

// What one input does. Output envelopes carry lead id, event time,
// causation and correlation ids; the adapter derives their event ids.
struct Step {
  std::optional<state::LeadRecord> lead;  // record to store; nullopt: unchanged
  std::vector<v1::LifecycleEvent> lifecycle;
  std::vector<v1::Outcome> outcomes;
  std::vector<FunnelEvent> funnel;
  std::vector<CalibrationEvent> calibration;
  std::vector<std::string> rejected_rules;  // one per refused stage change
  std::vector<std::string> flagged_rules;   // a move let through against a rule (flag mode)
  std::string ignored;                      // "duplicate", "unknown_lead" or empty
  std::vector<v1::RepAlert> alerts;         // to reps (alerts.h); ids left for the adapter
  std::vector<RepDelay> rep_delays;         // owner's first touch in an assignment
};

using MaybeLead = std::optional<state::LeadRecord>;

Step on_lead_captured(const MaybeLead& lead, const v1::LeadCaptured& in, const FeedbackPolicy& p,
                      TimePoint now);
Step on_routing_event(const MaybeLead& lead, const v1::RoutingEvent& in, const FeedbackPolicy& p,
                      TimePoint now);
Step on_sla_event(const MaybeLead& lead, const v1::SlaEvent& in, const FeedbackPolicy& p,
                  TimePoint now);
Step on_sales_activity(const MaybeLead& lead, const v1::SalesActivity& in, const FeedbackPolicy& p,
                       TimePoint now);
Step on_stage_change(const MaybeLead& lead, const v1::StageChange& in, const FeedbackPolicy& p,
                     TimePoint now);

// State keys.
std::string lead_key(std::string_view lead_id);
inline constexpr std::string_view kLeadPrefix = "lead/";

// Erasure: every state key that holds something about the lead. Aggregates
// (funnel, calibration) hold counts only and are kept.
std::vector<std::string> erase_lead(std::string_view lead_id);

// Time spent in each stage (in history order, each stage once, summed over
// cycles), up to `until` for the current stage.
std::vector<v1::StageDuration> stage_durations(const state::LeadRecord& lead,
                                               const google::protobuf::Timestamp& until);

// The closed-loop outcome for the stage the lead just entered.
v1::Outcome make_outcome(const state::LeadRecord& lead, const state::StageEntry& entered,
                         int64_t amount_minor, const std::string& currency);

// The routing/SLA/activity-independent part: applies an allowed transition
// to `lead` and appends its events to `step`. Exposed for tests.
void enter_stage(state::LeadRecord& lead, const state::StageEntry& entry, const v1::Envelope& cause,
                 int64_t amount_minor, const std::string& currency, const FeedbackPolicy& p,
                 Step& step);

}  // namespace baton::feedback
