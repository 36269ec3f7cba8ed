// An engagement signal and what it did to the score: the ScoreUpdated a
// signal causes names the signal, its points, the score and tier before it
// and the owner at the time, so feedback's timeline can show every signal
// that moved the score (issue 19 point 8).
#pragma once

#include "baton/v1/lead.pb.h"
#include "baton/v1/router_state.pb.h"
#include "lead_desk.h"

namespace baton::router {

// on_signal, with its ScoreUpdated (if any) annotated. Only a signal that
// scores (points != 0) and moved fit or intent is named: a duplicate, a
// signal kept for a closed lead, a zero-point signal or one whose re-score
// changed nothing emits no signal-annotated update.
LeadDecision on_scored_signal(const v1::EngagementSignal& signal, const v1::LeadState* state,
                              const LeadContext& ctx);

// Owner of the lead as the timeline names it: the rep, else its queue.
const std::string& owner_of(const v1::LeadState& s);

}  // namespace baton::router
