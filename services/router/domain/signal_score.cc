#include "signal_score.h"

#include "baton/time/time.h"

namespace baton::router {

const std::string& owner_of(const v1::LeadState& s) {
  return s.owner_rep_id().empty() ? s.owner_queue() : s.owner_rep_id();
}

LeadDecision on_scored_signal(const v1::EngagementSignal& signal, const v1::LeadState* state,
                              const LeadContext& ctx) {
  LeadDecision d = on_signal(signal, state, ctx);
  if (!d.state) return d;
  const std::string& id = signal.envelope().event_id();
  const v1::RecordedSignal* recorded = nullptr;
  for (const auto& rs : d.state->signals())
    if (rs.event_id() == id) recorded = &rs;
  if (!recorded || recorded->points() == 0) return d;
  const v1::LeadState before = state ? *state : v1::LeadState{};
  for (auto& e : d.events) {
    if (!e.event.has_score_updated()) continue;
    auto* u = e.event.mutable_score_updated();
    if (u->score().fit() == before.score().fit() && u->score().intent() == before.score().intent())
      continue;  // only decay or nothing moved
    u->set_signal_type(recorded->type());
    u->set_signal_points(recorded->points());
    u->set_previous_fit(before.score().fit());
    u->set_previous_intent(before.score().intent());
    u->set_previous_tier(before.tier());
    u->set_owner(owner_of(before));
    *u->mutable_signal_at() = time::to_timestamp(time::from_millis(recorded->time_ms()));
  }
  return d;
}

}  // namespace baton::router
