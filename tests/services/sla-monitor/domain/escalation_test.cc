// The escalation chain (escalation.h): manager, manager's manager, fallback,
// passing over anyone absent by the one Calendar; the event names them.
// ctest -R EscalationSkipsAbsentManager.
#include "escalation.h"

#include <gtest/gtest.h>

#include <map>

#include "sla_clock.h"
#include "test_support.h"

namespace baton::sla {
namespace {

using namespace std::chrono_literals;
using testing::assignment;
using testing::sla_event;
using testing::ts;
using testing::utc;

class FakeRoster final : public RepDirectory {
 public:
  explicit FakeRoster(const SlaConfig& cfg) : cfg_(cfg) {}
  std::optional<v1::Rep> rep(const std::string& id) const override {
    auto it = reps.find(id);
    if (it == reps.end()) return std::nullopt;
    return it->second;
  }
  Calendar calendar(const v1::Rep& r) const override {
    return time::calendar_in(time::system_zones(), cfg_.calendar_for(&r), rep_absences(r));
  }
  v1::Rep& add(const std::string& id, const std::string& manager) {
    v1::Rep& r = reps[id];
    r.set_id(id);
    r.set_manager_id(manager);
    r.set_active(true);
    r.set_time_zone("America/New_York");  // default hours: Mon-Fri 09:00-17:00
    return r;
  }
  std::map<std::string, v1::Rep> reps;

 private:
  const SlaConfig& cfg_;
};

void out_of_office(v1::Rep& r, TimePoint from, TimePoint until) {
  auto* o = r.add_out_of_office();
  *o->mutable_from() = ts(from);
  *o->mutable_until() = ts(until);
}

class EscalationSkipsAbsentManager : public ::testing::Test {
 protected:
  void SetUp() override {
    cfg.escalation_fallback = "desk-1";
    roster.add("rep-1", "mgr-1");
    out_of_office(roster.add("mgr-1", "dir-1"), t0 - 24h, t0 + 48h);
    roster.add("dir-1", "vp-1");
  }
  SlaConfig cfg = testing::example_config();
  FakeRoster roster{cfg};
  // Tuesday 2024-07-09 10:00 EDT.
  TimePoint t0 = utc(2024, 7, 9, 14, 0);
};

TEST_F(EscalationSkipsAbsentManager, ManagerOutOfOfficeGoesToTheManagersManager) {
  EscalationChoice c = choose_escalation("rep-1", "mgr-1", roster, cfg, t0);
  EXPECT_EQ(c.to, "dir-1");
  EXPECT_FALSE(c.to_fallback);
  ASSERT_EQ(c.skipped.size(), 1u);
  EXPECT_EQ(c.skipped[0], std::make_pair(std::string("mgr-1"), std::string("out_of_office")));
}

TEST_F(EscalationSkipsAbsentManager, BothAbsentGoesToTheFallback) {
  // The director works Saturdays only: off hours on a Tuesday.
  auto& wh = *roster.reps["dir-1"].mutable_working_hours();
  wh.add_days(6);
  wh.set_start_minute(9 * 60);
  wh.set_end_minute(17 * 60);
  roster.reps.erase("vp-1");
  cfg.escalation_max_chain = 2;  // mgr-1, dir-1: vp-1 is not tried
  EscalationChoice c = choose_escalation("rep-1", "mgr-1", roster, cfg, t0);
  EXPECT_EQ(c.to, "desk-1");
  EXPECT_TRUE(c.to_fallback);
  ASSERT_EQ(c.skipped.size(), 2u);
  EXPECT_EQ(c.skipped[1],
            std::make_pair(std::string("dir-1"), std::string("outside_working_hours")));
  // No fallback configured: the direct manager, as before, skips still named.
  cfg.escalation_fallback.clear();
  c = choose_escalation("rep-1", "mgr-1", roster, cfg, t0);
  EXPECT_EQ(c.to, "mgr-1");
  EXPECT_FALSE(c.to_fallback);
  EXPECT_EQ(c.skipped.size(), 2u);
}

TEST_F(EscalationSkipsAbsentManager, ManagerCycleTerminates) {
  roster.reps["dir-1"].set_manager_id("mgr-1");  // mgr-1 -> dir-1 -> mgr-1 -> ...
  out_of_office(roster.reps["dir-1"], t0 - 1h, t0 + 1h);
  cfg.escalation_max_chain = 50;
  EscalationChoice c = choose_escalation("rep-1", "mgr-1", roster, cfg, t0);
  EXPECT_EQ(c.to, "desk-1");
  EXPECT_EQ(c.skipped.size(), 2u);
  // A manager who is the owner (self-managed) ends the chain too.
  roster.reps["rep-1"].set_manager_id("rep-1");
  c = choose_escalation("rep-1", "rep-1", roster, cfg, t0);
  EXPECT_EQ(c.to, "desk-1");
  EXPECT_TRUE(c.skipped.empty());
}

TEST_F(EscalationSkipsAbsentManager, UnknownManagerAndHolidayAreSkipped) {
  cfg.holiday_calendars["us"] = {"2024-07-09"};
  roster.reps["dir-1"].set_holiday_calendar_id("us");
  EscalationChoice c = choose_escalation("rep-1", "mgr-1", roster, cfg, t0);
  ASSERT_EQ(c.skipped.size(), 3u);  // mgr-1 away, dir-1 on holiday, vp-1 not in the roster
  EXPECT_EQ(c.skipped[1].second, "holiday");
  EXPECT_EQ(c.skipped[2], std::make_pair(std::string("vp-1"), std::string("not_in_roster")));
  EXPECT_EQ(c.to, "desk-1");
  c = choose_escalation("rep-1", "ghost", roster, cfg, t0);
  ASSERT_EQ(c.skipped.size(), 1u);
  EXPECT_EQ(c.skipped[0].second, "not_in_roster");
}

TEST_F(EscalationSkipsAbsentManager, EscalatedEventNamesTheSkipped) {
  Calendar cal = testing::new_york();
  auto a = assignment("L1", "A1", "rep-1", v1::TIER_HIGH_INTENT, t0, t0);
  a.set_manager_id("mgr-1");
  SlaDecision started = on_assignment(a, nullptr, cfg, cal, t0);
  ASSERT_TRUE(started.state);
  SlaDecision d = on_timer("L1/escalate", "A1", &*started.state, cfg, cal, t0 + 10min, &roster);
  const v1::SlaEscalated* esc = nullptr;
  for (size_t i = 0; i < d.outputs.size(); ++i)
    if (const auto* ev = sla_event(d, i); ev && ev->has_escalated()) esc = &ev->escalated();
  ASSERT_NE(esc, nullptr);
  EXPECT_EQ(esc->manager_id(), "dir-1");
  EXPECT_FALSE(esc->to_fallback());
  ASSERT_EQ(esc->skipped_size(), 1);
  EXPECT_EQ(esc->skipped(0).rep_id(), "mgr-1");
  EXPECT_EQ(esc->skipped(0).reason(), "out_of_office");
  // Without the roster: the clock's manager, as before.
  d = on_timer("L1/escalate", "A1", &*started.state, cfg, cal, t0 + 10min);
  for (size_t i = 0; i < d.outputs.size(); ++i)
    if (const auto* ev = sla_event(d, i); ev && ev->has_escalated()) {
      EXPECT_EQ(ev->escalated().manager_id(), "mgr-1");
    }
}

}  // namespace
}  // namespace baton::sla
