// Alerts to reps through the three services on the in-process driver (issue
// 19 point 7): a routed lead alerts its owner with the handoff's why; the
// owner's first-touch clock warns (SLA_WARNING); when nobody calls, the
// reassignment alerts the first owner (REASSIGNED_AWAY) and the new owner
// (ASSIGNED). Every alert is keyed by rep id; ids are distinct.
// ctest -R RepAlerts.
#include <gtest/gtest.h>

#include <map>

#include "baton/v1/notification.pb.h"
#include "chain.h"

namespace baton {
namespace {

using namespace std::chrono_literals;
using driver_test::Chain;

TEST(DriverRepAlerts, AssignedWarnedReassignedAway) {
  Chain c;
  const auto t0 = fuzz::fuzz_now();
  c.d.pipe(c.settings->topics.captured, "L-7", fuzz::sample_lead("L-7", "cap-7", t0), t0);
  ASSERT_TRUE(c.d.rejections().empty()) << c.d.rejection_details()[0];
  const auto first = c.assignments("L-7").at(0);

  auto alerts = [&] {
    std::vector<v1::RepAlert> out;
    for (const auto& r : c.d.output("baton.notifications")) {
      v1::RepAlert a;
      EXPECT_TRUE(a.ParseFromString(r.value));
      EXPECT_EQ(r.key, a.rep_id());
      out.push_back(a);
    }
    return out;
  };
  auto now = alerts();
  ASSERT_EQ(now.size(), 1u);
  EXPECT_EQ(now[0].kind(), v1::ALERT_KIND_ASSIGNED);
  EXPECT_EQ(now[0].rep_id(), first.owner_rep_id());
  EXPECT_EQ(now[0].lead_id(), "L-7");
  EXPECT_NE(now[0].summary().find(first.handoff().why()), std::string::npos) << now[0].summary();

  c.d.advance(t0 + 21min);  // warning, breach, escalation, reassignment
  const auto second = c.assignments("L-7").at(1);
  std::map<v1::AlertKind, std::vector<v1::RepAlert>> by_kind;
  std::set<std::string> ids;
  for (const auto& a : alerts()) {
    by_kind[a.kind()].push_back(a);
    EXPECT_TRUE(ids.insert(a.alert_id()).second) << "duplicate alert id " << a.alert_id();
  }
  ASSERT_EQ(by_kind[v1::ALERT_KIND_SLA_WARNING].size(), 1u);
  EXPECT_EQ(by_kind[v1::ALERT_KIND_SLA_WARNING][0].rep_id(), first.owner_rep_id());
  EXPECT_TRUE(by_kind[v1::ALERT_KIND_SLA_WARNING][0].has_due_at());
  ASSERT_EQ(by_kind[v1::ALERT_KIND_REASSIGNED_AWAY].size(), 1u);
  EXPECT_EQ(by_kind[v1::ALERT_KIND_REASSIGNED_AWAY][0].rep_id(), first.owner_rep_id());
  EXPECT_EQ(by_kind[v1::ALERT_KIND_REASSIGNED_AWAY][0].other_rep_id(), second.owner_rep_id());
  ASSERT_EQ(by_kind[v1::ALERT_KIND_ASSIGNED].size(), 2u);
  EXPECT_EQ(by_kind[v1::ALERT_KIND_ASSIGNED][1].rep_id(), second.owner_rep_id());

  // The same capture again: the router drops it, nobody is alerted twice.
  const auto before = alerts().size();
  c.d.pipe(c.settings->topics.captured, "L-7", fuzz::sample_lead("L-7", "cap-7", t0), t0 + 22min);
  EXPECT_EQ(alerts().size(), before);
}

}  // namespace
}  // namespace baton
