// Helpers shared by lead.cc and stage.cc (not part of the domain API).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "lead.h"

namespace baton::feedback::detail {

// Event time of an input, or `now` when the producer left it empty.
google::protobuf::Timestamp event_time(const v1::Envelope& env, TimePoint now);
bool seen(const state::LeadRecord& lead, const std::string& event_id);
void remember(state::LeadRecord& lead, const std::string& event_id, const FeedbackPolicy& p);
// Envelope of an output caused by `cause` (event id left for the adapter).
v1::Envelope output_envelope(const state::LeadRecord& lead, const v1::Envelope& cause,
                             const google::protobuf::Timestamp& at);
state::TimelineEntry entry(const google::protobuf::Timestamp& at, std::string kind,
                           std::string owner, std::string detail, const std::string& event_id);
// A stage change refused without a lead record (unknown or erased lead):
// a TransitionRejected naming `rule_name`, no state.
Step refused_without_lead(const v1::StageChange& in, TimePoint now, std::string_view rule_name,
                          std::string detail);
// Leaves `step.lead` unset and marks the input ignored.
Step ignored(std::string why);
// Assigned -> Contacted from the first touch (now or remembered).
void derive_contacted(state::LeadRecord& lead, const v1::Envelope& cause, const std::string& rep,
                      const FeedbackPolicy& p, Step& step);
// A timeline-only event of a known lead (unknown lead / duplicate: ignored).
Step note(const MaybeLead& lead, const v1::Envelope& env, std::string kind, std::string owner,
          std::string detail, std::vector<std::string> reasons, const FeedbackPolicy& p,
          TimePoint now);

// "fit=.. intent=.. sales_ready=.." of a score (timeline details).
std::string score_detail(const v1::Score& s);

// A record started by an event read before the lead's capture and
// assignment (they come on other topics): no history yet, so the capture or
// the assignment still starts it and counts the Captured stage.
state::LeadRecord early_lead(const v1::Envelope& env, const google::protobuf::Timestamp& at);

}  // namespace baton::feedback::detail
