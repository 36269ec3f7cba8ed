#include "app/processor.h"

#include <gtest/gtest.h>
#include <prometheus/registry.h>

#include "../domain/fixtures.h"
#include "app/codec.h"
#include "baton/v1/lifecycle.pb.h"
#include "fake_state.h"
#include "metric_value.h"

namespace baton::feedback::app {
namespace {

using namespace baton::feedback::test;
using baton::test::FakeState;

runtime::Record record(const std::string& topic, const google::protobuf::Message& m,
                       const std::string& key = "L1", int64_t offset = 0) {
  runtime::Record r;
  r.topic = topic;
  r.key = key;
  r.offset = offset;
  r.value = m.SerializeAsString();
  return r;
}

class ProcessorTest : public ::testing::Test {
 protected:
  FeedbackConfig config;
  prometheus::Registry registry;
  std::shared_ptr<FeedbackMetrics> metrics = std::make_shared<FeedbackMetrics>(registry, config);
  FeedbackProcessor proc{config, metrics};
  FakeState state;

  runtime::Effects feed(const std::string& topic, const google::protobuf::Message& m) {
    auto r = proc.on_record(record(topic, m), state, tp(0));
    EXPECT_TRUE(r.has_value()) << (r.has_value() ? "" : r.error().reason + ": " + r.error().detail);
    if (!r.has_value()) return {};
    state.apply(*r);
    return std::move(*r);
  }

  double counter(const std::string& name, const std::map<std::string, std::string>& labels) const {
    return baton::test::metric_value(registry, name, labels).value_or(-1);
  }

  void journey_to_won() {
    const auto& t = config.topics;
    feed(t.leads_captured, captured("c1", 1000));
    feed(t.routing_events, assignment("a1", 1060, "rep-1"));
    feed(t.sla_events, sla_met("m1", 1200, "rep-1", 140));
    feed(t.sales_activities, activity("t1", 1200, "rep-1"));
    feed(t.stage_changes, change("s1", 2000, v1::STAGE_QUALIFIED));
    feed(t.stage_changes, change("s2", 3000, v1::STAGE_OPPORTUNITY));
    feed(t.stage_changes, won("s3", 4000, 99999));
  }
};

TEST_F(ProcessorTest, ReadsTheSixLeadTopics) {
  EXPECT_EQ(proc.name(), "feedback");
  EXPECT_EQ(proc.input_topics().size(), 6u);
}

TEST_F(ProcessorTest, UndecodableInputIsRejected) {
  runtime::Record r;
  r.topic = config.topics.stage_changes;
  r.key = "L1";
  r.value = std::string("\xff\xff\xff garbage");
  auto res = proc.on_record(r, state, tp(0));
  ASSERT_FALSE(res.has_value());
  EXPECT_EQ(res.error().reason, "decode");
  r.topic = "some.other.topic";
  EXPECT_EQ(proc.on_record(r, state, tp(0)).error().reason, "invalid");
}

TEST_F(ProcessorTest, CaptureStoresRecordAndFunnelAggregates) {
  const auto fx = feed(config.topics.leads_captured, captured("c1", 1000));
  EXPECT_EQ(fx.dedup_id, "c1");
  EXPECT_TRUE(state.kv.count("lead/L1"));
  EXPECT_FALSE(state.kv.count("funnel/source/google")) << "counted when the router accepts it";
  feed(config.topics.routing_events, assignment("a1", 1100, "rep-1"));
  EXPECT_TRUE(state.kv.count("funnel/source/google"));
  EXPECT_TRUE(state.kv.count("funnel/campaign/spring"));
  EXPECT_TRUE(fx.outputs.empty());
  EXPECT_EQ(state.kv.at("lead/L1").find("ada@example.com"), std::string::npos);
}

TEST_F(ProcessorTest, LeadIdFallsBackToTheRecordKey) {
  auto c = captured("c1", 1000);
  c.mutable_envelope()->clear_lead_id();
  auto r = proc.on_record(record(config.topics.leads_captured, c, "K9"), state, tp(0));
  ASSERT_TRUE(r.has_value());
  state.apply(*r);
  EXPECT_TRUE(state.kv.count("lead/K9"));
}

TEST_F(ProcessorTest, JourneyEmitsOneOutcomePerStageWithDeterministicIds) {
  journey_to_won();
  const auto& t = config.topics;
  // Replaying the Won input yields the same derived ids (and, with the
  // record's seen ids, nothing at all).
  auto replay = proc.on_record(record(t.stage_changes, won("s3", 4000, 99999)), state, tp(0));
  ASSERT_TRUE(replay.has_value());
  EXPECT_TRUE(replay->outputs.empty());

  std::vector<runtime::Output> outcomes;
  // Re-run the journey on a fresh store: outputs carry the same ids.
  auto run = [&](FakeState& st, FeedbackProcessor& p) {
    std::vector<std::string> ids;
    auto step = [&](const std::string& topic, const google::protobuf::Message& m) {
      auto r = p.on_record(record(topic, m), st, tp(0));
      ASSERT_TRUE(r.has_value());
      for (const auto& o : r->outputs) {
        ids.push_back(o.event_id);
        if (o.topic == t.outcomes) outcomes.push_back(o);
      }
      st.apply(*r);
    };
    step(t.leads_captured, captured("c1", 1000));
    step(t.routing_events, assignment("a1", 1060, "rep-1"));
    step(t.sales_activities, activity("t1", 1200, "rep-1"));
    step(t.stage_changes, change("s1", 2000, v1::STAGE_QUALIFIED));
    step(t.stage_changes, change("s2", 3000, v1::STAGE_OPPORTUNITY));
    step(t.stage_changes, won("s3", 4000, 99999));
    return ids;
  };
  FakeState a, b;
  FeedbackProcessor pa{config, nullptr}, pb{config, nullptr};
  const auto ids_a = run(a, pa);
  outcomes.clear();
  const auto ids_b = run(b, pb);
  EXPECT_EQ(ids_a, ids_b);
  ASSERT_EQ(outcomes.size(), 3u);  // Qualified, Opportunity, Won
  v1::Outcome o;
  ASSERT_TRUE(o.ParseFromString(outcomes[2].value));
  EXPECT_EQ(o.stage(), v1::STAGE_WON);
  EXPECT_EQ(outcomes[2].key, "L1");
  EXPECT_EQ(o.envelope().event_id(), outcomes[2].event_id);
  int64_t sum = 0;
  for (const auto& c : o.attribution().w_shaped()) sum += c.amount_minor();
  EXPECT_EQ(sum, 99999);
}

TEST_F(ProcessorTest, RefusedChangeGoesToTheLifecycleTopicAndTheMetric) {
  const auto& t = config.topics;
  feed(t.leads_captured, captured("c1", 1000));
  const auto fx = feed(t.stage_changes, won("s1", 2000, 10));
  ASSERT_EQ(fx.outputs.size(), 1u);
  EXPECT_EQ(fx.outputs[0].topic, t.lifecycle_events);
  EXPECT_EQ(fx.outputs[0].ce_type, "baton.v1.TransitionRejected");
  v1::LifecycleEvent ev;
  ASSERT_TRUE(ev.ParseFromString(fx.outputs[0].value));
  EXPECT_EQ(ev.rejected().rule(), "skips_stages");
  EXPECT_EQ(counter("baton_feedback_transitions_rejected_total", {{"rule", "skips_stages"}}), 1);
}

TEST_F(ProcessorTest, MetricsCountFunnelOutcomesDispositionsAndCalibration) {
  journey_to_won();
  EXPECT_EQ(counter("baton_funnel_transitions_total",
                    {{"source", "google"}, {"campaign", "spring"}, {"stage", "contacted"}}),
            1);
  EXPECT_EQ(counter("baton_feedback_outcomes_total", {{"stage", "won"}, {"source", "google"}}), 1);
  feed(config.topics.leads_captured, captured("c2", 1000, "L2"));
  auto rej = with_disposition(change("s9", 1500, v1::STAGE_REJECTED), v1::DISPOSITION_BAD_DATA);
  rej.mutable_envelope()->set_lead_id("L2");
  feed(config.topics.stage_changes, rej);
  EXPECT_EQ(counter("baton_feedback_dispositions_total",
                    {{"campaign", "spring"}, {"reason", "bad_data"}}),
            1);
  EXPECT_EQ(counter("baton_calibration_conversion_ratio", {{"band", "50-75"}}), 1);
  EXPECT_EQ(counter("baton_calibration_flagged_bands", {}), 0);
}

TEST_F(ProcessorTest, ErasureDeletesEveryKeyOfTheLeadAndKeepsAMarker) {
  journey_to_won();
  v1::ErasureRequest req;
  *req.mutable_envelope() = env("e1", 5000);
  const auto fx = feed(config.topics.erasure, req);
  ASSERT_EQ(fx.writes.size(), 2u);
  EXPECT_EQ(fx.writes[0].first, "lead/L1");
  EXPECT_FALSE(fx.writes[0].second.has_value()) << "a delete tombstones the changelog key";
  EXPECT_EQ(fx.writes[1].first, "erased/L1");
  EXPECT_EQ(fx.writes[1].second, std::optional<std::string>("5000000"));
  EXPECT_EQ(fx.dedup_id, "e1");
  for (const auto& [k, v] : state.kv)
    EXPECT_TRUE(k == "erased/L1" || k.find("L1") == std::string::npos) << k;
  EXPECT_TRUE(state.kv.count("funnel/source/google")) << "aggregates hold counts only";
}

TEST_F(ProcessorTest, LateInputsNeverBringAnErasedLeadBack) {
  const auto& t = config.topics;
  feed(t.leads_captured, captured("c1", 1000));
  v1::ErasureRequest req;
  *req.mutable_envelope() = env("e1", 1500);
  feed(t.erasure, req);
  // Replays and late events of every kind: no state, no outcome.
  for (const auto& fx : {feed(t.leads_captured, captured("c1", 1000)),
                         feed(t.routing_events, assignment("a1", 1060, "rep-1")),
                         feed(t.sla_events, sla_met("m1", 1200, "rep-1", 140)),
                         feed(t.sales_activities, activity("t1", 1200, "rep-1"))}) {
    EXPECT_TRUE(fx.outputs.empty());
    for (const auto& [k, v] : fx.writes) EXPECT_NE(k, "lead/L1");
  }
  EXPECT_FALSE(state.kv.count("lead/L1"));
  // A stage change is refused by rule "erased", naming no stage it had.
  const auto fx = feed(t.stage_changes, change("s1", 2000, v1::STAGE_QUALIFIED));
  ASSERT_EQ(fx.outputs.size(), 1u);
  EXPECT_EQ(fx.outputs[0].topic, t.lifecycle_events);
  v1::LifecycleEvent ev;
  ASSERT_TRUE(ev.ParseFromString(fx.outputs[0].value));
  ASSERT_TRUE(ev.has_rejected());
  EXPECT_EQ(ev.rejected().rule(), "erased");
  EXPECT_EQ(ev.rejected().envelope().lead_id(), "L1");
  EXPECT_FALSE(state.kv.count("lead/L1"));
  EXPECT_EQ(counter("baton_feedback_transitions_rejected_total", {{"rule", "erased"}}), 1);
}

TEST_F(ProcessorTest, ErasureOfAnUnknownLeadStillGuardsAgainstLateEvents) {
  v1::ErasureRequest req;
  *req.mutable_envelope() = env("e1", 1500, "L9");
  feed(config.topics.erasure, req);
  feed(config.topics.routing_events, assignment("a9", 1600, "rep-1", 40, 30, "L9"));
  EXPECT_FALSE(state.kv.count("lead/L9"));
  EXPECT_TRUE(state.kv.count("erased/L9"));
}

TEST_F(ProcessorTest, TimersAreUnused) {
  EXPECT_TRUE(proc.on_timer(runtime::Timer{}, state, tp(0)).has_value());
}

}  // namespace
}  // namespace baton::feedback::app
