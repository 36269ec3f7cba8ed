#include "handoff.h"

#include <algorithm>
#include <cmath>

#include "baton/time/time.h"

namespace baton::router {

v1::HandoffPackage build_handoff(const v1::LeadState& lead, const RuleOutcome& rule,
                                 const RoutingConfig& cfg, TimePoint now) {
  const auto& c = lead.captured();
  v1::HandoffPackage h;
  std::string trigger = c.trigger_signal();
  if (trigger.empty()) {
    // The strongest signal so far explains the hand-raise.
    const v1::RecordedSignal* best = nullptr;
    for (const auto& s : lead.signals())
      if (s.time_ms() >= lead.cycle_started_ms() && s.points() > 0 &&
          (!best || s.points() > best->points()))
        best = &s;
    if (best) trigger = signal_name(best->type());
  }
  h.set_trigger_signal(trigger);
  std::string why = c.hand_raise_reason();
  if (why.empty() && !trigger.empty()) why = "signal: " + trigger;
  if (why.empty() && !c.form_id().empty()) why = "form: " + c.form_id();
  h.set_why(why);
  *h.mutable_first_touch() = c.first_touch();
  const v1::Touch& latest = lead.has_latest_touch() ? lead.latest_touch() : c.latest_touch();
  *h.mutable_latest_touch() = latest;
  h.set_landing_page(!latest.landing_page().empty() ? latest.landing_page()
                                                    : c.first_touch().landing_page());
  const v1::Touch& ad = !c.first_touch().ad_id().empty() || !c.first_touch().ad_message().empty()
                            ? c.first_touch()
                            : latest;
  h.set_ad_message(ad.ad_message());
  h.set_ad_id(ad.ad_id());
  h.set_source(c.source());
  h.set_medium(c.medium());
  h.set_campaign(c.campaign());

  // Top engagements by decayed points.
  int64_t now_ms = time::to_millis(now);
  double half_ms = static_cast<double>(
      std::chrono::duration_cast<std::chrono::milliseconds>(cfg.scoring.half_life).count());
  std::vector<v1::EngagementSummary> all;
  for (const auto& s : lead.signals()) {
    if (s.time_ms() < lead.cycle_started_ms()) continue;  // an earlier cycle's
    v1::EngagementSummary e;
    e.set_type(s.type());
    e.set_url(s.url());
    *e.mutable_time() = time::to_timestamp(time::from_millis(s.time_ms()));
    double age = static_cast<double>(std::max<int64_t>(0, now_ms - s.time_ms()));
    double pts = half_ms > 0 ? s.points() * std::pow(0.5, age / half_ms) : s.points();
    e.set_points(std::round(pts * 100.0) / 100.0);
    all.push_back(e);
  }
  std::stable_sort(all.begin(), all.end(),
                   [](const auto& a, const auto& b) { return a.points() > b.points(); });
  for (size_t i = 0; i < all.size() && static_cast<int>(i) < cfg.top_engagements; ++i)
    *h.add_top_engagements() = all[i];

  *h.mutable_score() = lead.score();
  h.set_tier(lead.tier());
  h.set_rule_matched(rule.rule);
  h.set_rule_reason(rule.reason);
  h.set_pool(rule.pool);
  h.set_account_id(lead.account_id());
  h.set_company_name(c.company().name());
  h.set_industry(c.company().industry());
  h.set_country(c.company().country());
  h.set_title(c.person().title());
  h.set_product_interest(c.product_interest());
  return h;
}

}  // namespace baton::router
