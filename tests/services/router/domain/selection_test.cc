#include "domain/selection.h"

#include <gtest/gtest.h>

#include "fixtures.h"

namespace baton::router {
namespace {

using test::at;
using test::make_pool;
using test::rep;
using test::roster;

struct EligibilityCase {
  const char* name;
  const char* now;
  std::function<void(v1::Rep&)> edit;
  const char* reason;  // "" = eligible
};

class Eligibility : public ::testing::TestWithParam<EligibilityCase> {};

TEST_P(Eligibility, SkipsRepsWhoCannotTakeALead) {
  const auto& c = GetParam();
  v1::Rep r = rep("r1", "dach", "Europe/Berlin");
  r.add_holidays("2024-04-01");  // Easter Monday, local date
  r.set_capacity(2);
  r.set_daily_cap(1);
  if (c.edit) c.edit(r);
  v1::LedgerEntry e;
  e.set_rep_id("r1");
  EXPECT_EQ(ineligible_reason(r, &e, time::system_zones(), at(c.now)), c.reason) << c.name;
}

INSTANTIATE_TEST_SUITE_P(
    WorkingHoursDstHoliday, Eligibility,
    ::testing::Values(
        // Friday before the DST change: CET (UTC+1). 08:30Z = 09:30 local.
        EligibilityCase{"cet_in_hours", "2024-03-29T08:30:00Z", nullptr, ""},
        EligibilityCase{"cet_before_start", "2024-03-29T07:30:00Z", nullptr,
                        "outside_working_hours"},
        EligibilityCase{"cet_last_minute", "2024-03-29T15:59:00Z", nullptr, ""},
        EligibilityCase{"cet_after_end", "2024-03-29T16:00:00Z", nullptr, "outside_working_hours"},
        // Tuesday after the DST change: CEST (UTC+2). 07:30Z = 09:30 local.
        EligibilityCase{"cest_in_hours", "2024-04-02T07:30:00Z", nullptr, ""},
        EligibilityCase{"cest_same_utc_as_cet_end", "2024-04-02T15:30:00Z", nullptr,
                        "outside_working_hours"},
        EligibilityCase{"weekend", "2024-03-30T10:00:00Z", nullptr, "outside_working_hours"},
        // Holiday on the rep's local date, inside working hours.
        EligibilityCase{"holiday", "2024-04-01T08:00:00Z", nullptr, "holiday"},
        // 2024-03-31T22:30Z is already April 1st in Berlin.
        EligibilityCase{"holiday_by_local_date", "2024-03-31T22:30:00Z",
                        [](v1::Rep& r) { r.clear_working_hours(); }, "holiday"},
        EligibilityCase{"inactive", "2024-03-29T09:00:00Z", [](v1::Rep& r) { r.set_active(false); },
                        "inactive"},
        EligibilityCase{"out_of_office", "2024-03-29T09:00:00Z",
                        [](v1::Rep& r) {
                          auto* o = r.add_out_of_office();
                          *o->mutable_from() = test::ts("2024-03-28T00:00:00Z");
                          *o->mutable_until() = test::ts("2024-03-30T00:00:00Z");
                        },
                        "out_of_office"},
        EligibilityCase{"unknown_zone", "2024-03-29T09:00:00Z",
                        [](v1::Rep& r) { r.set_time_zone("Mars/Base"); }, "unknown_time_zone"},
        EligibilityCase{"overnight_window", "2024-03-29T23:30:00Z",
                        [](v1::Rep& r) {
                          r.mutable_working_hours()->set_start_minute(22 * 60);
                          r.mutable_working_hours()->set_end_minute(6 * 60);
                        },
                        ""}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(Eligibility, CapsCountOpenLeadsAndLeadsPerLocalDay) {
  v1::Rep r = rep("r1", "p");
  r.set_capacity(2);
  r.set_daily_cap(3);
  v1::LedgerEntry e;
  e.set_open_leads(2);
  EXPECT_EQ(ineligible_reason(r, &e, time::system_zones(), at("2024-03-29T10:00:00Z")),
            "at_capacity");
  e.set_open_leads(0);
  e.set_daily_date("2024-03-29");
  e.set_daily_count(3);
  EXPECT_EQ(ineligible_reason(r, &e, time::system_zones(), at("2024-03-29T10:00:00Z")),
            "daily_cap");
  // A new local day resets the daily cap.
  e.set_daily_date("2024-03-28");
  EXPECT_EQ(ineligible_reason(r, &e, time::system_zones(), at("2024-03-29T10:00:00Z")), "");
}

std::vector<std::string> run(const PoolConfig& pool, const Roster& ros, v1::PoolLedger& ledger,
                             int n, TimePoint now = at("2024-03-29T10:00:00Z")) {
  std::vector<std::string> out;
  v1::PoolRequest req;
  for (int i = 0; i < n; ++i)
    out.push_back(select_owner(req, pool, ros, ledger, time::system_zones(), now).rep_id);
  return out;
}

using V = std::vector<std::string>;

TEST(Selection, RoundRobinRotatesInOrder) {
  PoolConfig pool = make_pool("p");
  v1::PoolLedger ledger;
  EXPECT_EQ(run(pool, roster({rep("a", "p"), rep("b", "p"), rep("c", "p")}), ledger, 6),
            (V{"a", "b", "c", "a", "b", "c"}));
}

TEST(Selection, WeightedFollowsWeights) {
  PoolConfig pool = make_pool("p", Strategy::kWeighted);
  pool.weights["a"] = 2;
  v1::PoolLedger ledger;
  auto got = run(pool, roster({rep("a", "p"), rep("b", "p")}), ledger, 9);
  EXPECT_EQ(std::count(got.begin(), got.end(), "a"), 6);
  EXPECT_EQ(std::count(got.begin(), got.end(), "b"), 3);
}

TEST(Selection, LeastLoadedPicksFewestOpenLeads) {
  PoolConfig pool = make_pool("p", Strategy::kLeastLoaded);
  v1::PoolLedger ledger;
  entry_for(ledger, "a").set_open_leads(3);
  entry_for(ledger, "b").set_open_leads(1);
  entry_for(ledger, "c").set_open_leads(2);
  EXPECT_EQ(run(pool, roster({rep("a", "p"), rep("b", "p"), rep("c", "p")}), ledger, 3),
            (V{"b", "c", "b"}));
}

TEST(FairnessLedger, RosterChangeDoesNotResetRotation) {
  PoolConfig pool = make_pool("p");
  v1::PoolLedger ledger;
  auto ros = roster({rep("a", "p"), rep("b", "p"), rep("c", "p")});
  run(pool, ros, ledger, 4);  // a b c a
  // d joins; b and c are still owed their turn before a and d.
  ros.reps["d"] = rep("d", "p");
  auto next = run(pool, ros, ledger, 4);
  EXPECT_EQ(next[0], "b");
  EXPECT_EQ(next[1], "c");
  EXPECT_EQ(std::count(next.begin(), next.end(), "d"), 1);
  // c leaves: rotation continues among the others without restarting.
  ros.reps.erase("c");
  auto after = run(pool, ros, ledger, 3);
  std::sort(after.begin(), after.end());
  EXPECT_EQ(after, (V{"a", "b", "d"}));
}

TEST(FairnessLedger, CatchUpAfterLeaveIsAPoolSetting) {
  for (bool catch_up : {true, false}) {
    PoolConfig pool = make_pool("p");
    pool.catch_up = catch_up;
    v1::PoolLedger ledger;
    auto ros = roster({rep("a", "p"), rep("b", "p"), rep("c", "p")});
    ros.reps["c"].set_active(false);  // on leave
    run(pool, ros, ledger, 4);        // a b a b
    ros.reps["c"].set_active(true);   // back
    auto next = run(pool, ros, ledger, 3);
    if (catch_up) {
      EXPECT_EQ(next, (V{"c", "c", "a"})) << "c catches up on missed leads";
    } else {
      EXPECT_EQ(std::count(next.begin(), next.end(), "c"), 1) << "c rejoins the rotation";
    }
  }
}

TEST(Selection, ListsEverySkippedRepWithReason) {
  PoolConfig pool = make_pool("p");
  auto ros = roster({rep("a", "p"), rep("b", "p"), rep("c", "p"), rep("d", "p")});
  ros.reps["b"].set_active(false);
  v1::PoolLedger ledger;
  v1::PoolRequest req;
  req.add_excluded_reps("a");
  Selection s =
      select_owner(req, pool, ros, ledger, time::system_zones(), at("2024-03-29T10:00:00Z"));
  EXPECT_EQ(s.rep_id, "c");
  std::map<std::string, std::string> skipped;
  for (const auto& x : s.skipped) skipped[x.rep_id()] = x.reason();
  EXPECT_EQ(skipped,
            (std::map<std::string, std::string>{
                {"a", "previous_owner"}, {"b", "inactive"}, {"d", "not_next_in_rotation"}}));
}

TEST(Selection, AccountOwnerWinsWhenEligibleElseRotation) {
  PoolConfig pool = make_pool("p");
  auto ros = roster({rep("a", "p"), rep("b", "p"), rep("owner", "other")});
  v1::PoolLedger ledger;
  v1::PoolRequest req;
  req.set_preferred_rep_id("owner");
  TimePoint now = at("2024-03-29T10:00:00Z");
  Selection s = select_owner(req, pool, ros, ledger, time::system_zones(), now);
  EXPECT_EQ(s.rep_id, "owner");
  EXPECT_EQ(s.how, "account_owner");
  ros.reps["owner"].set_active(false);
  s = select_owner(req, pool, ros, ledger, time::system_zones(), now);
  EXPECT_EQ(s.rep_id, "a");
  EXPECT_EQ(s.skipped.front().reason(), "account_owner_inactive");
}

TEST(Selection, NobodyEligibleReturnsEmpty) {
  PoolConfig pool = make_pool("p");
  auto ros = roster({rep("a", "p")});
  v1::PoolLedger ledger;
  auto got = run(pool, ros, ledger, 1, at("2024-03-30T10:00:00Z"));  // Saturday
  EXPECT_EQ(got, (V{""}));
}

}  // namespace
}  // namespace baton::router
