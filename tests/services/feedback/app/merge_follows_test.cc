// Feedback follows identity merges (issue 19 point 8): a LeadMerged (the
// same person captured again under another id) makes the surviving lead
// remember the merged id; the survivor's outcomes name every merged lead,
// and erasing the survivor erases every merged record too (an erasure
// request per merged id on the erasure topic, which every service reads).
// ctest -R MergeFollowsFeedback.
#include <gtest/gtest.h>

#include "../domain/fixtures.h"
#include "app/processor.h"
#include "domain/erasure.h"
#include "fake_state.h"

namespace baton::feedback::app {
namespace {

using namespace baton::feedback::test;
using baton::test::FakeState;

v1::RoutingEvent merged(const std::string& id, int64_t t, const std::string& survivor,
                        const std::string& merged_id) {
  v1::RoutingEvent ev;
  auto* m = ev.mutable_merged();
  *m->mutable_envelope() = env(id, t, survivor);
  m->set_merged_lead_id(merged_id);
  *m->mutable_touch() = touch(t, "linkedin", "autumn");
  m->set_source("linkedin");
  m->set_campaign("autumn");
  return ev;
}

class MergeFollowsFeedbackTest : public ::testing::Test {
 protected:
  FeedbackConfig config;
  FeedbackProcessor proc{config, nullptr};
  FakeState state;  // one store for both leads: the processor is partition-agnostic

  runtime::Effects feed(const std::string& topic, const std::string& key,
                        const google::protobuf::Message& m) {
    runtime::Record r;
    r.topic = topic;
    r.key = key;
    r.value = m.SerializeAsString();
    auto fx = proc.on_record(r, state, tp(9000));
    EXPECT_TRUE(fx.has_value());
    if (!fx) return {};
    state.apply(*fx);
    return std::move(*fx);
  }
  state::LeadRecord record(const std::string& lead) {
    state::LeadRecord rec;
    auto raw = state.get("lead/" + lead);
    EXPECT_TRUE(raw && rec.ParseFromString(*raw)) << lead;
    return rec;
  }
  // L1 captured and assigned; L2 (the same person) captured and merged into L1.
  void merge_l2_into_l1() {
    const auto& t = config.topics;
    feed(t.leads_captured, "L1", captured("c1", 1000));
    feed(t.routing_events, "L1", assignment("a1", 1060, "rep-1"));
    feed(t.leads_captured, "L2", captured("c2", 1100, "L2"));
    feed(t.routing_events, "L1", merged("m1", 1101, "L1", "L2"));
  }
};

TEST_F(MergeFollowsFeedbackTest, SurvivorRemembersMergedIdsOnce) {
  merge_l2_into_l1();
  feed(config.topics.routing_events, "L1", merged("m1", 1101, "L1", "L2"));  // replay
  feed(config.topics.routing_events, "L1", merged("m2", 1200, "L1", "L2"));  // again, new id
  const auto rec = record("L1");
  ASSERT_EQ(rec.merged_lead_ids_size(), 1);
  EXPECT_EQ(rec.merged_lead_ids(0), "L2");
}

TEST_F(MergeFollowsFeedbackTest, OutcomeOfTheSurvivorCoversEveryMergedLead) {
  merge_l2_into_l1();
  const auto& t = config.topics;
  feed(t.sales_activities, "L1", activity("t1", 1300, "rep-1"));
  feed(t.stage_changes, "L1", change("s1", 2000, v1::STAGE_QUALIFIED));
  feed(t.stage_changes, "L1", change("s2", 3000, v1::STAGE_OPPORTUNITY));
  const auto fx = feed(t.stage_changes, "L1", won("s3", 4000, 99999));
  std::vector<v1::Outcome> won_outcomes;
  for (const auto& o : fx.outputs)
    if (o.topic == t.outcomes) {
      v1::Outcome out;
      ASSERT_TRUE(out.ParseFromString(o.value));
      if (out.stage() == v1::STAGE_WON) won_outcomes.push_back(out);
    }
  ASSERT_EQ(won_outcomes.size(), 1u);
  ASSERT_EQ(won_outcomes[0].merged_lead_ids_size(), 1);
  EXPECT_EQ(won_outcomes[0].merged_lead_ids(0), "L2");
}

TEST_F(MergeFollowsFeedbackTest, ErasingTheSurvivorErasesEveryMergedRecord) {
  merge_l2_into_l1();
  ASSERT_TRUE(state.get("lead/L2")) << "the merged capture left a record of its own";
  v1::ErasureRequest req;
  *req.mutable_envelope() = env("e1", 5000, "L1");
  req.set_legal_basis("gdpr art. 17");
  const auto fx = feed(config.topics.erasure, "L1", req);
  EXPECT_FALSE(state.get("lead/L1"));
  std::vector<runtime::Output> cascades;
  for (const auto& o : fx.outputs)
    if (o.topic == config.topics.erasure) cascades.push_back(o);
  ASSERT_EQ(cascades.size(), 1u);
  EXPECT_EQ(cascades[0].key, "L2");
  v1::ErasureRequest follow;
  ASSERT_TRUE(follow.ParseFromString(cascades[0].value));
  EXPECT_EQ(follow.envelope().lead_id(), "L2");
  EXPECT_EQ(follow.envelope().causation_id(), "e1");
  EXPECT_FALSE(follow.envelope().event_id().empty());
  EXPECT_NE(follow.legal_basis().find("L1"), std::string::npos);

  // The request comes back on the erasure topic (every service reads it).
  const auto fx2 = feed(config.topics.erasure, "L2", follow);
  EXPECT_FALSE(state.get("lead/L2"));
  EXPECT_TRUE(state.get("erased/L2"));
  for (const auto& o : fx2.outputs) EXPECT_NE(o.topic, config.topics.erasure) << "no loop";
  // A replay of the first erasure derives the same id (runtime dedup drops it).
  state.kv.clear();
  merge_l2_into_l1();
  const auto again = feed(config.topics.erasure, "L1", req);
  ASSERT_EQ(again.outputs.size(), 1u);
  EXPECT_EQ(again.outputs[0].event_id, cascades[0].event_id);
}

TEST_F(MergeFollowsFeedbackTest, ErasingAMergedAwayIdLeavesTheSurvivor) {
  // Policy (docs/design.md, feedback): an erasure names one lead id; the
  // survivor's record stays (its owner keeps working the person's lead).
  merge_l2_into_l1();
  v1::ErasureRequest req;
  *req.mutable_envelope() = env("e2", 5000, "L2");
  const auto fx = feed(config.topics.erasure, "L2", req);
  EXPECT_FALSE(state.get("lead/L2"));
  EXPECT_TRUE(state.get("lead/L1"));
  EXPECT_TRUE(fx.outputs.empty());
}

}  // namespace
}  // namespace baton::feedback::app
