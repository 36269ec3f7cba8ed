#include "scoring.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <string>

#include "baton/time/time.h"
#include "identity.h"

namespace baton::router {
namespace {

// `v` with `digits` decimals, as printf's %.Nf writes it (without its cost:
// a scored signal's detail is written for every lead).
std::string fixed(double v, int digits) {
  char buf[32];
  auto r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed, digits);
  return r.ec == std::errc() ? std::string(buf, r.ptr) : std::string("?");
}

}  // namespace

double signal_points(const v1::EngagementSignal& s, const ScoringModel& m) {
  if (s.weight_override() > 0) return s.weight_override();
  auto it = m.signal_points.find(s.type());
  return it == m.signal_points.end() ? 0.0 : it->second;
}

v1::Score score_lead(const v1::LeadCaptured& lead, const std::vector<v1::RecordedSignal>& signals,
                     const ScoringModel& m, TimePoint now) {
  v1::Score score;
  double fit = 0;
  for (const auto& rule : m.fit) {
    std::string v = lead_field(lead, rule.field);
    if (v.empty()) continue;
    if (std::find(rule.values.begin(), rule.values.end(), v) == rule.values.end()) continue;
    fit += rule.points;
    auto* item = score.add_breakdown();
    item->set_rule(rule.name);
    item->set_dimension("fit");
    item->set_points(rule.points);
    item->set_detail(rule.field + "=" + (rule.field == "email_domain" ? "(domain)" : v));
  }
  double intent = 0;
  int64_t now_ms = time::to_millis(now);
  double half_ms = static_cast<double>(
      std::chrono::duration_cast<std::chrono::milliseconds>(m.half_life).count());
  for (const auto& s : signals) {
    double age = static_cast<double>(std::max<int64_t>(0, now_ms - s.time_ms()));
    double pts = half_ms > 0 ? s.points() * std::pow(0.5, age / half_ms) : s.points();
    pts = std::round(pts * 100.0) / 100.0;
    if (pts == 0) continue;
    intent += pts;
    auto* item = score.add_breakdown();
    item->set_rule("intent." + signal_name(s.type()));
    item->set_dimension("intent");
    item->set_points(pts);
    item->set_detail(fixed(s.points(), 0) + " points, " + fixed(age / 86400000.0, 1) + " days old");
  }
  score.set_fit(std::round(fit * 100.0) / 100.0);
  score.set_intent(std::round(intent * 100.0) / 100.0);
  score.set_sales_ready(score.fit() >= m.fit_min && score.intent() >= m.intent_min);
  *score.mutable_computed_at() = time::to_timestamp(time::from_millis(now_ms));
  return score;
}

v1::Tier pick_tier(const v1::Score& score, const v1::LeadCaptured& lead,
                   const std::vector<v1::RecordedSignal>& signals,
                   const std::vector<TierCondition>& tiers) {
  for (const auto& c : tiers) {
    if (c.fit_min && score.fit() < *c.fit_min) continue;
    if (c.intent_min && score.intent() < *c.intent_min) continue;
    if (c.sales_ready && score.sales_ready() != *c.sales_ready) continue;
    if (!c.sources.empty() && std::find(c.sources.begin(), c.sources.end(),
                                        lead_field(lead, "source")) == c.sources.end())
      continue;
    if (!c.signals_any.empty()) {
      bool any = std::any_of(signals.begin(), signals.end(), [&](const v1::RecordedSignal& s) {
        return std::find(c.signals_any.begin(), c.signals_any.end(), s.type()) !=
               c.signals_any.end();
      });
      if (!any) continue;
    }
    return c.tier;
  }
  return v1::TIER_NURTURE;
}

int tier_rank(v1::Tier t) {
  switch (t) {
    case v1::TIER_HIGH_INTENT:
      return 3;
    case v1::TIER_STANDARD:
      return 2;
    case v1::TIER_NURTURE:
      return 1;
    default:
      return 0;
  }
}

}  // namespace baton::router
