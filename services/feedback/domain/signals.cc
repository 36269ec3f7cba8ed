#include "signals.h"

#include <cstdio>

#include "lead_internal.h"
#include "timeline.h"

namespace baton::feedback {

std::string detail::score_detail(const v1::Score& s) {
  char buf[96];
  std::snprintf(buf, sizeof buf, "fit=%.1f intent=%.1f sales_ready=%s", s.fit(), s.intent(),
                s.sales_ready() ? "true" : "false");
  return buf;
}

namespace {

std::string signed_points(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%+.1f", v);
  return buf;
}

// "DEMO_REQUEST: fit 10.0 -> 10.0, intent 5.0 -> 35.0 (+30.0)".
std::string signal_detail(const v1::ScoreUpdated& u) {
  char buf[160];
  const double before = u.previous_fit() + u.previous_intent();
  const double after = u.score().fit() + u.score().intent();
  std::snprintf(buf, sizeof buf, ": fit %.1f -> %.1f, intent %.1f -> %.1f (%s)", u.previous_fit(),
                u.score().fit(), u.previous_intent(), u.score().intent(),
                signed_points(after - before).c_str());
  return v1::SignalType_Name(u.signal_type()) + buf;
}

}  // namespace

void cap_signal_steps(state::LeadRecord& lead, size_t max) {
  auto* tl = lead.mutable_timeline();
  size_t n = 0;
  for (const auto& e : *tl) n += e.kind() == kSignalStep ? 1 : 0;
  for (int i = 0; n > max && i < tl->size();) {
    if (tl->Get(i).kind() == kSignalStep) {
      tl->DeleteSubrange(i, 1);
      --n;
      lead.set_timeline_signals_dropped(lead.timeline_signals_dropped() + 1);
    } else {
      ++i;
    }
  }
}

Step on_score_updated(const MaybeLead& lead, const v1::ScoreUpdated& in, const FeedbackPolicy& p,
                      TimePoint now) {
  using detail::note;
  if (in.signal_type() == v1::SIGNAL_UNSPECIFIED)
    return note(lead, in.envelope(), "scored", "", detail::score_detail(in.score()),
                {"tier " + v1::Tier_Name(in.tier())}, p, now);
  std::vector<std::string> reasons{"points " + signed_points(in.signal_points())};
  if (in.previous_tier() != in.tier())
    reasons.push_back("tier " + v1::Tier_Name(in.previous_tier()) + " -> " +
                      v1::Tier_Name(in.tier()));
  else
    reasons.push_back("tier " + v1::Tier_Name(in.tier()));
  reasons.push_back(detail::score_detail(in.score()));
  // The step is at the signal's time, not at the router's processing time.
  v1::Envelope env = in.envelope();
  if (in.has_signal_at()) *env.mutable_event_time() = in.signal_at();
  Step s = note(lead, env, std::string(kSignalStep), in.owner(), signal_detail(in),
                std::move(reasons), p, now);
  if (s.lead) cap_signal_steps(*s.lead, p.max_timeline_signals);
  return s;
}

}  // namespace baton::feedback
