// Seed 003's gate (issue 19): no opportunity without fit and intent. A move
// to Opportunity of a lead that was not sales-ready at its handoff is refused
// with a TransitionRejected naming the rule, or only flagged, or let
// through, by feedback.lifecycle.opportunity_gate; each is counted.
#include <gtest/gtest.h>
#include <prometheus/registry.h>

#include "../domain/fixtures.h"
#include "app/processor.h"
#include "baton/v1/lifecycle.pb.h"
#include "domain/lifecycle.h"
#include "fake_state.h"

namespace baton::feedback::app {
namespace {

using namespace baton::feedback::test;
using baton::test::FakeState;

class OpportunityGateTest : public ::testing::Test {
 protected:
  prometheus::Registry registry;
  FakeState state;
  std::vector<v1::LifecycleEvent> lifecycle;

  void run(OpportunityGate gate, bool sales_ready, bool legacy_record = false) {
    FeedbackConfig config;
    config.policy.opportunity_gate = gate;
    auto metrics = std::make_shared<FeedbackMetrics>(registry, config);
    FeedbackProcessor proc(config, metrics);
    auto feed = [&](const std::string& topic, const google::protobuf::Message& m) {
      runtime::Record r;
      r.topic = topic;
      r.key = "L1";
      r.value = m.SerializeAsString();
      auto fx = proc.on_record(r, state, tp(5000));
      ASSERT_TRUE(fx.has_value());
      state.apply(*fx);
      for (const auto& o : fx->outputs)
        if (o.topic == config.topics.lifecycle_events) {
          v1::LifecycleEvent ev;
          ASSERT_TRUE(ev.ParseFromString(o.value));
          lifecycle.push_back(ev);
        }
    };
    const auto& t = config.topics;
    feed(t.leads_captured, captured("c1", 1000));
    auto a = assignment("a1", 1060, "rep-1");
    a.mutable_assignment()->mutable_handoff()->mutable_score()->set_sales_ready(sales_ready);
    feed(t.routing_events, a);
    if (legacy_record) {  // a record written before the field existed
      state::LeadRecord rec;
      ASSERT_TRUE(rec.ParseFromString(*state.get("lead/L1")));
      rec.clear_sales_ready_at_handoff();
      state.kv["lead/L1"] = rec.SerializeAsString();
    }
    feed(t.sales_activities, activity("t1", 1200, "rep-1"));
    feed(t.stage_changes, change("s1", 2000, v1::STAGE_QUALIFIED));
    feed(t.stage_changes, change("s2", 3000, v1::STAGE_OPPORTUNITY));
  }
  v1::Stage stage() {
    state::LeadRecord rec;
    EXPECT_TRUE(rec.ParseFromString(*state.get("lead/L1")));
    return rec.stage();
  }
  double counter(const std::string& name) {
    for (const auto& fam : registry.Collect())
      if (fam.name == name)
        for (const auto& m : fam.metric)
          for (const auto& l : m.label)
            if (l.name == "rule" && l.value == rule::kOpportunityNeedsFitAndIntent)
              return m.counter.value;
    return 0;
  }
  bool timeline_has(const std::string& kind) {
    state::LeadRecord rec;
    EXPECT_TRUE(rec.ParseFromString(*state.get("lead/L1")));
    for (const auto& e : rec.timeline())
      if (e.kind() == kind) return true;
    return false;
  }
};

TEST_F(OpportunityGateTest, OpportunityGateRefusesALeadWithoutFitAndIntent) {
  run(OpportunityGate::kRefuse, /*sales_ready=*/false);
  EXPECT_EQ(stage(), v1::STAGE_QUALIFIED);
  ASSERT_FALSE(lifecycle.empty());
  ASSERT_TRUE(lifecycle.back().has_rejected());
  EXPECT_EQ(lifecycle.back().rejected().rule(), rule::kOpportunityNeedsFitAndIntent);
  EXPECT_EQ(lifecycle.back().rejected().to(), v1::STAGE_OPPORTUNITY);
  EXPECT_EQ(counter("baton_feedback_transitions_rejected_total"), 1);
}

TEST_F(OpportunityGateTest, OpportunityGateLetsASalesReadyLeadThrough) {
  run(OpportunityGate::kRefuse, /*sales_ready=*/true);
  EXPECT_EQ(stage(), v1::STAGE_OPPORTUNITY);
  EXPECT_EQ(counter("baton_feedback_transitions_rejected_total"), 0);
}

TEST_F(OpportunityGateTest, OpportunityGateInFlagModeMovesAndSaysSo) {
  run(OpportunityGate::kFlag, /*sales_ready=*/false);
  EXPECT_EQ(stage(), v1::STAGE_OPPORTUNITY);
  EXPECT_TRUE(timeline_has("transition_flagged"));
  EXPECT_EQ(counter("baton_feedback_transitions_flagged_total"), 1);
}

TEST_F(OpportunityGateTest, OpportunityGateOffLetsEverythingThrough) {
  run(OpportunityGate::kOff, /*sales_ready=*/false);
  EXPECT_EQ(stage(), v1::STAGE_OPPORTUNITY);
  EXPECT_FALSE(timeline_has("transition_flagged"));
  EXPECT_EQ(counter("baton_feedback_transitions_flagged_total"), 0);
}

TEST_F(OpportunityGateTest, OpportunityGateLetsARecordFromBeforeTheFieldThrough) {
  run(OpportunityGate::kRefuse, /*sales_ready=*/false, /*legacy_record=*/true);
  EXPECT_EQ(stage(), v1::STAGE_OPPORTUNITY) << "unknown readiness is not refused";
}

}  // namespace
}  // namespace baton::feedback::app
