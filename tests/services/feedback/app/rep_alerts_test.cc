// Alerts to reps (issue 19 point 7, seed 002): feedback turns an Assignment
// into ASSIGNED for the owner (with the handoff's why), an SlaWarning into
// SLA_WARNING, a reassignment into REASSIGNED_AWAY for the previous owner,
// all on the notifications topic keyed by rep id, in the same step as the
// lead's record. A replayed input alerts nobody twice. ctest -R RepAlerts.
#include <gtest/gtest.h>
#include <prometheus/registry.h>

#include "../domain/fixtures.h"
#include "app/processor.h"
#include "domain/alerts.h"
#include "fake_state.h"
#include "metric_value.h"

namespace baton::feedback::app {
namespace {

using namespace baton::feedback::test;
using baton::test::FakeState;

v1::SlaEvent sla_warning(const std::string& id, int64_t t, const std::string& rep) {
  v1::SlaEvent ev;
  auto* w = ev.mutable_warning();
  *w->mutable_envelope() = env(id, t);
  w->set_owner_rep_id(rep);
  w->set_tier(v1::TIER_HIGH_INTENT);
  *w->mutable_deadline() = at(t + 60);
  w->set_remaining_seconds(60);
  return ev;
}

class RepAlertsTest : public ::testing::Test {
 protected:
  FeedbackConfig config;
  prometheus::Registry registry;
  std::shared_ptr<FeedbackMetrics> metrics = std::make_shared<FeedbackMetrics>(registry, config);
  FeedbackProcessor proc{config, metrics};
  FakeState state;

  // Runs one input as a committed step; returns its alerts.
  std::vector<v1::RepAlert> feed(const std::string& topic, const google::protobuf::Message& m,
                                 int64_t offset) {
    runtime::Record r;
    r.topic = topic;
    r.key = "L1";
    r.offset = offset;
    r.value = m.SerializeAsString();
    auto fx = proc.on_record(r, state, tp(5000));
    EXPECT_TRUE(fx.has_value());
    if (!fx) return {};
    state.apply(*fx);  // and its after-commit callbacks (metrics)
    std::vector<v1::RepAlert> out;
    for (const auto& o : fx->outputs) {
      if (o.topic != config.topics.notifications) continue;
      v1::RepAlert a;
      EXPECT_TRUE(a.ParseFromString(o.value));
      EXPECT_EQ(o.key, a.rep_id()) << "keyed by rep id";
      EXPECT_EQ(o.event_id, a.alert_id());
      out.push_back(std::move(a));
    }
    return out;
  }
  double counted(const std::string& kind) const {
    return baton::test::metric_value(registry, "baton_feedback_alerts_total", {{"kind", kind}})
        .value_or(0);
  }
};

TEST_F(RepAlertsTest, AssignmentAlertsTheOwnerWithTheWhy) {
  auto a = assignment("a1", 1060, "rep-1");
  a.mutable_assignment()->mutable_handoff()->set_why("Asked for a demo: \"need it by Q3\"");
  const auto alerts = feed(config.topics.routing_events, a, 7);
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0].kind(), v1::ALERT_KIND_ASSIGNED);
  EXPECT_EQ(alerts[0].rep_id(), "rep-1");
  EXPECT_EQ(alerts[0].lead_id(), "L1");
  EXPECT_NE(alerts[0].summary().find("Asked for a demo"), std::string::npos) << alerts[0].summary();
  EXPECT_EQ(alerts[0].tier(), v1::TIER_HIGH_INTENT);
  EXPECT_EQ(alerts[0].pool(), "emea");
  EXPECT_EQ(alerts[0].source_event_id(), "a1");
  EXPECT_EQ(alerts[0].at().seconds(), 1060);
  EXPECT_FALSE(alerts[0].alert_id().empty());
  EXPECT_TRUE(alerts[0].other_rep_id().empty());
  EXPECT_EQ(counted("assigned"), 1);
}

TEST_F(RepAlertsTest, SlaWarningAlertsTheOwnerWithTheDeadline) {
  feed(config.topics.routing_events, assignment("a1", 1060, "rep-1"), 1);
  const auto alerts = feed(config.topics.sla_events, sla_warning("w1", 1300, "rep-1"), 2);
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0].kind(), v1::ALERT_KIND_SLA_WARNING);
  EXPECT_EQ(alerts[0].rep_id(), "rep-1");
  EXPECT_EQ(alerts[0].due_at().seconds(), 1360);
  EXPECT_NE(alerts[0].summary().find("1 min"), std::string::npos) << alerts[0].summary();
  EXPECT_EQ(counted("sla_warning"), 1);
  // Other SLA events alert nobody.
  EXPECT_TRUE(feed(config.topics.sla_events, sla_met("m1", 1400, "rep-1", 340), 3).empty());
}

TEST_F(RepAlertsTest, ReassignmentAlertsThePreviousOwnerAndTheNewOne) {
  feed(config.topics.routing_events, assignment("a1", 1060, "rep-1"), 1);
  auto again = assignment("a2", 2000, "rep-2");
  again.mutable_assignment()->set_previous_owner_rep_id("rep-1");
  again.mutable_assignment()->set_reassignment_count(1);
  const auto alerts = feed(config.topics.routing_events, again, 2);
  ASSERT_EQ(alerts.size(), 2u);
  EXPECT_EQ(alerts[0].kind(), v1::ALERT_KIND_ASSIGNED);
  EXPECT_EQ(alerts[0].rep_id(), "rep-2");
  EXPECT_EQ(alerts[0].other_rep_id(), "rep-1");
  EXPECT_EQ(alerts[1].kind(), v1::ALERT_KIND_REASSIGNED_AWAY);
  EXPECT_EQ(alerts[1].rep_id(), "rep-1");
  EXPECT_EQ(alerts[1].other_rep_id(), "rep-2");
  EXPECT_EQ(alerts[1].lead_id(), "L1");
  EXPECT_NE(alerts[0].alert_id(), alerts[1].alert_id());
  EXPECT_EQ(counted("reassigned_away"), 1);
  EXPECT_EQ(counted("assigned"), 2);
}

TEST_F(RepAlertsTest, ReplayedInputAlertsNobodyTwiceAndIdsAreDeterministic) {
  const auto ev = assignment("a1", 1060, "rep-1");
  const auto first = feed(config.topics.routing_events, ev, 1);
  ASSERT_EQ(first.size(), 1u);
  EXPECT_TRUE(feed(config.topics.routing_events, ev, 1).empty()) << "the lead saw a1";
  EXPECT_EQ(counted("assigned"), 1);
  // A rebuilt task (state lost, e.g. a restore from an older checkpoint)
  // that sees the input again derives the same alert id: the sink's
  // delivered-id store drops it.
  FakeState fresh;
  std::swap(state, fresh);
  const auto replay = feed(config.topics.routing_events, ev, 1);
  ASSERT_EQ(replay.size(), 1u);
  EXPECT_EQ(replay[0].alert_id(), first[0].alert_id());
}

TEST_F(RepAlertsTest, ErasedLeadAndDisabledTopicAlertNobody) {
  v1::ErasureRequest req;
  *req.mutable_envelope() = env("e1", 900);
  feed(config.topics.erasure, req, 1);
  EXPECT_TRUE(feed(config.topics.routing_events, assignment("a1", 1060, "rep-1"), 2).empty());

  config.topics.notifications.clear();
  FeedbackProcessor off{config, nullptr};
  runtime::Record r;
  r.topic = config.topics.routing_events;
  r.key = "L2";
  r.value = assignment("a9", 1060, "rep-1", 40, 30, "L2").SerializeAsString();
  auto fx = off.on_record(r, FakeState{}, tp(5000));
  ASSERT_TRUE(fx.has_value());
  for (const auto& o : fx->outputs) EXPECT_NE(o.topic, "baton.notifications");
}

TEST(RepAlertsDomain, SummaryIsOneBoundedLine) {
  auto ev = assignment("a1", 1060, "rep-1");
  ev.mutable_assignment()->mutable_handoff()->set_why("line one\nline two" + std::string(600, 'x'));
  const auto alerts = rep_alerts(ev, tp(1));
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0].summary().find('\n'), std::string::npos);
  EXPECT_LE(alerts[0].summary().size(), 280u);
  // No owner: nobody to alert.
  ev.mutable_assignment()->clear_owner_rep_id();
  EXPECT_TRUE(rep_alerts(ev, tp(1)).empty());
}

}  // namespace
}  // namespace baton::feedback::app
