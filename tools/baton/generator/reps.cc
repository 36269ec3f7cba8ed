// The generator's roster and its simulated reps: who touches quickly,
// slowly or never, and how leads move through stages afterwards.
#include <cmath>

#include "baton/v1/activity.pb.h"
#include "baton/v1/lifecycle.pb.h"
#include "generator/generator.h"
#include "generator/random.h"
#include "proto_util.h"

namespace baton::cli::gen {
namespace {

v1::Rep rep(const std::string& id, const std::string& name, const std::string& manager,
            std::vector<std::string> pools, const std::string& tz, std::vector<int> days,
            int start_minute, int end_minute, std::vector<std::string> languages) {
  v1::Rep r;
  r.set_id(id);
  r.set_name(name);
  r.set_manager_id(manager);
  for (auto& p : pools) r.add_pools(p);
  r.set_time_zone(tz);
  for (int d : days) r.mutable_working_hours()->add_days(d);
  r.mutable_working_hours()->set_start_minute(start_minute);
  r.mutable_working_hours()->set_end_minute(end_minute);
  r.set_capacity(40);
  r.set_weight(1);
  r.set_active(true);
  for (auto& l : languages) r.add_languages(l);
  return r;
}

const std::vector<int> kWeekdays = {1, 2, 3, 4, 5};
const std::vector<int> kEveryDay = {1, 2, 3, 4, 5, 6, 7};

double sla_seconds(v1::Tier tier) {
  switch (tier) {
    case v1::TIER_HIGH_INTENT:
      return 300;
    case v1::TIER_NURTURE:
      return 4 * 3600;
    default:
      return 900;
  }
}

std::string currency_for(const std::string& country) {
  static const std::vector<std::string> kEuro = {"DE", "FR", "IT", "NL", "AT", "ES", "IE", "FI"};
  for (const auto& c : kEuro)
    if (c == country) return "EUR";
  if (country == "GB") return "GBP";
  return "USD";
}

}  // namespace

std::vector<v1::Rep> default_roster() {
  std::vector<v1::Rep> reps = {
      rep("rep-ana", "Ana Weber", "mgr-eva", {"emea-enterprise"}, "Europe/Berlin", kWeekdays,
          8 * 60, 18 * 60, {"de", "en"}),
      rep("rep-bo", "Bo Lindqvist", "mgr-eva", {"emea-enterprise"}, "Europe/Berlin", kWeekdays,
          9 * 60, 17 * 60, {"en", "sv"}),
      rep("rep-chloe", "Chloe Martin", "mgr-eva", {"emea-enterprise"}, "Europe/London", kWeekdays,
          8 * 60 + 30, 17 * 60 + 30, {"en", "fr"}),
      rep("rep-dan", "Dan Okafor", "mgr-frank", {"north-america"}, "America/New_York", kWeekdays,
          9 * 60, 18 * 60, {"en"}),
      rep("rep-erin", "Erin Walsh", "mgr-frank", {"north-america"}, "America/Los_Angeles",
          kWeekdays, 8 * 60, 17 * 60, {"en", "es"}),
      rep("rep-gia", "Gia Tran", "mgr-hiro", {"apac"}, "Asia/Singapore", kWeekdays, 9 * 60, 18 * 60,
          {"en", "vi"}),
      rep("rep-hana", "Hana Sato", "mgr-hiro", {"apac"}, "Asia/Tokyo", kWeekdays, 9 * 60, 18 * 60,
          {"ja", "en"}),
      // The follow-the-sun desk: always on, takes overflow from every pool.
      rep("rep-kai", "Kai Moreno", "mgr-frank", {"emea-enterprise", "north-america", "apac"},
          "America/New_York", kEveryDay, 0, 24 * 60, {"en", "es", "de"}),
  };
  reps[0].set_weight(2);
  reps[4].set_capacity(25);
  reps[6].set_daily_cap(20);
  reps[7].set_weight(0.5);
  auto* ooo = reps[1].add_out_of_office();  // parental leave
  *ooo->mutable_from() = to_timestamp(TimePoint(std::chrono::seconds(1735689600)));   // 2025-01-01
  *ooo->mutable_until() = to_timestamp(TimePoint(std::chrono::seconds(1924905600)));  // 2030-12-31
  reps[5].add_holidays("2025-08-09");
  return reps;
}

Responsiveness responsiveness(uint64_t seed, const ObservedAssignment& a) {
  // Each rep has a habit; each lead is a draw from it. Later owners in a
  // reassignment chain always respond, so every lead ends somewhere.
  Random habit(hash_text(a.rep_id, seed));
  static const std::vector<std::vector<double>> kHabits = {
      {80, 15, 5}, {55, 30, 15}, {25, 40, 35}};  // diligent, average, overloaded
  const auto& weights = kHabits[habit.below(kHabits.size())];
  Random draw(hash_text(
      a.lead_id + "/" + std::to_string(a.cycle) + "/" + std::to_string(a.reassignment_count),
      seed ^ 0x7e57));
  auto pick = static_cast<Responsiveness>(draw.weighted(weights));
  if (a.reassignment_count >= 1 && pick == Responsiveness::kNever) return Responsiveness::kFast;
  return pick;
}

std::vector<GeneratedEvent> plan_follow_up(uint64_t seed, double time_scale,
                                           const ObservedAssignment& a) {
  std::vector<GeneratedEvent> out;
  const auto kind = responsiveness(seed, a);
  if (kind == Responsiveness::kNever) return out;
  const std::string salt = a.lead_id + "/" + std::to_string(a.cycle) + "/" +
                           std::to_string(a.reassignment_count) + "/" + a.rep_id;
  Random r(hash_text(salt, seed ^ 0xf011));
  const double sla = sla_seconds(a.tier);
  double t = kind == Responsiveness::kFast ? r.uniform(0.1, 0.8) * sla : r.uniform(1.2, 2.5) * sla;
  uint64_t step = 0;
  const uint64_t id_base = hash_text(salt, seed);
  auto at = [&](double seconds) {
    return a.seen_at + std::chrono::milliseconds(std::llround(seconds * 1000.0 / time_scale));
  };
  auto envelope = [&](v1::Envelope* env, double when, const std::string& system) {
    env->set_event_id(uuid_from(id_base, step++));
    *env->mutable_event_time() = to_timestamp(at(when));
    env->set_source_system(system);
    env->set_lead_id(a.lead_id);
    env->set_schema_version("v1");
  };
  auto activity = [&](double when, v1::ActivityType type, const std::string& outcome) {
    v1::SalesActivity act;
    envelope(act.mutable_envelope(), when, "dialer");
    act.set_rep_id(a.rep_id);
    act.set_type(type);
    act.set_outcome(outcome);
    out.push_back({at(when), TopicRole::kSalesActivities, a.lead_id, act.envelope().event_id(),
                   "baton.v1.SalesActivity", "dialer", deterministic_bytes(act)});
  };
  auto stage = [&](double when, v1::Stage s, v1::DispositionReason reason, int64_t amount) {
    v1::StageChange sc;
    envelope(sc.mutable_envelope(), when, "salesforce");
    sc.set_stage(s);
    sc.set_owner_rep_id(a.rep_id);
    if (reason != v1::DISPOSITION_UNSPECIFIED) sc.mutable_disposition()->set_reason(reason);
    if (amount > 0) {
      sc.set_amount_minor(amount);
      sc.set_currency(currency_for(a.country));
    }
    out.push_back({at(when), TopicRole::kCrmStageChanges, a.lead_id, sc.envelope().event_id(),
                   "baton.v1.StageChange", "salesforce", deterministic_bytes(sc)});
  };

  enum Path { kWon, kLost, kRejected, kRecycled, kQualified, kPrematureRecycle, kContacted };
  const auto path = static_cast<Path>(r.weighted({15, 15, 15, 15, 20, 10, 10}));
  static const std::vector<v1::ActivityType> kFirst = {v1::ACTIVITY_CALL, v1::ACTIVITY_EMAIL,
                                                       v1::ACTIVITY_LINKEDIN};
  activity(t, kFirst[r.weighted({60, 30, 10})], "attempted");
  if (path == kPrematureRecycle) {  // one attempt, then "unresponsive": sla-monitor refuses it
    stage(t + 300, v1::STAGE_RECYCLED, v1::DISPOSITION_UNRESPONSIVE, 0);
    return out;
  }
  activity(t + 120, v1::ACTIVITY_CONNECT, "conversation");
  stage(t + 180, v1::STAGE_CONTACTED, v1::DISPOSITION_UNSPECIFIED, 0);
  switch (path) {
    case kRejected:
      stage(t + 600, v1::STAGE_REJECTED,
            r.chance(0.6) ? v1::DISPOSITION_WRONG_ICP : v1::DISPOSITION_BAD_DATA, 0);
      break;
    case kRecycled:
      stage(t + 900, v1::STAGE_RECYCLED,
            r.chance(0.5) ? v1::DISPOSITION_NO_BUDGET : v1::DISPOSITION_NO_URGENCY, 0);
      break;
    case kWon:
    case kLost:
    case kQualified:
      activity(t + 600, v1::ACTIVITY_MEETING, "discovery call held");
      stage(t + 900, v1::STAGE_QUALIFIED, v1::DISPOSITION_UNSPECIFIED, 0);
      if (path == kQualified) break;
      stage(t + 1800, v1::STAGE_OPPORTUNITY, v1::DISPOSITION_UNSPECIFIED, 0);
      if (path == kWon) {
        stage(t + 3600, v1::STAGE_WON, v1::DISPOSITION_UNSPECIFIED,
              static_cast<int64_t>(r.below(150) + 5) * 100000);  // 5,000.00 to 154,000.00
      } else {
        stage(t + 3600, v1::STAGE_LOST,
              r.chance(0.6) ? v1::DISPOSITION_COMPETITOR_CHOSEN : v1::DISPOSITION_NO_BUDGET, 0);
      }
      break;
    default:
      break;
  }
  return out;
}

}  // namespace baton::cli::gen
