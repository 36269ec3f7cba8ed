#include "app/queries.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <regex>

#include "../domain/fixtures.h"
#include "app/processor.h"
#include "baton/runtime/config.h"
#include "fake_state.h"

namespace baton::feedback::app {
namespace {

using namespace baton::feedback::test;
using baton::test::FakeState;
using nlohmann::json;

runtime::Record record(const std::string& topic, const google::protobuf::Message& m) {
  runtime::Record r;
  r.topic = topic;
  r.key = "L1";
  r.value = m.SerializeAsString();
  return r;
}

class QueriesTest : public ::testing::Test {
 protected:
  FeedbackConfig config;
  FeedbackProcessor proc{config, nullptr};
  FakeState task0, task1;

  void feed(FakeState& st, const std::string& topic, const google::protobuf::Message& m) {
    auto r = proc.on_record(record(topic, m), st, tp(0));
    ASSERT_TRUE(r.has_value());
    st.apply(*r);
  }

  runtime::QueryRouter router() {
    runtime::QueryRouter r;
    r.lookup = FakeState::lookup_over({&task0, &task1});
    r.scan = FakeState::scan_over({&task0, &task1});
    install_routes(r, config);
    return r;
  }

  runtime::QueryResponse get(const runtime::QueryRouter& r, const std::string& path,
                             std::vector<std::string> params,
                             std::map<std::string, std::string> query = {}) {
    for (const auto& [pattern, scope, handler] : r.routes()) {
      if (std::regex_match(path, std::regex(pattern)))
        return handler(runtime::QueryRequest{path, std::move(params), std::move(query)});
    }
    return {404, "no route"};
  }
};

TEST_F(QueriesTest, TimelineOfAKnownLeadIsOrderedWithDurations) {
  const auto& t = config.topics;
  feed(task1, t.leads_captured, captured("c1", 1000));
  feed(task1, t.routing_events, assignment("a1", 1060, "rep-1"));
  feed(task1, t.sales_activities, activity("t1", 1360, "rep-1"));
  const auto r = router();
  const auto resp = get(r, "/leads/L1/timeline", {"L1"});
  ASSERT_EQ(resp.status, 200) << resp.body;
  const auto j = json::parse(resp.body);
  EXPECT_EQ(j["stage"], "contacted");
  EXPECT_EQ(j["owner"], "rep-1");
  ASSERT_GE(j["steps"].size(), 4u);
  EXPECT_EQ(j["steps"][0]["kind"], "captured");
  std::string prev;
  for (const auto& s : j["steps"]) {
    EXPECT_GE(s["at"].get<std::string>(), prev);
    prev = s["at"].get<std::string>();
    EXPECT_GE(s["since_previous_seconds"].get<double>(), 0);
  }
  EXPECT_EQ(resp.body.find("ada@example.com"), std::string::npos);
}

TEST_F(QueriesTest, TimelineIs404WhenUnknownOrErased) {
  const auto& t = config.topics;
  EXPECT_EQ(get(router(), "/leads/L1/timeline", {"L1"}).status, 404);
  feed(task0, t.leads_captured, captured("c1", 1000));
  EXPECT_EQ(get(router(), "/leads/L1/timeline", {"L1"}).status, 200);
  v1::ErasureRequest req;
  *req.mutable_envelope() = env("e1", 2000);
  feed(task0, t.erasure, req);
  const auto resp = get(router(), "/leads/L1/timeline", {"L1"});
  EXPECT_EQ(resp.status, 404);
  EXPECT_NE(resp.body.find("erased"), std::string::npos) << resp.body;
}

TEST_F(QueriesTest, FunnelSumsTasksAndRejectsUnknownBy) {
  const auto& t = config.topics;
  feed(task0, t.leads_captured, captured("c1", 1000));
  feed(task0, t.routing_events, assignment("a1", 1100, "rep-1"));
  auto other = captured("c2", 1000, "L2");
  feed(task1, t.leads_captured, other);
  feed(task1, t.routing_events, assignment("a2", 1100, "rep-2", 40, 30, "L2"));
  auto touch = activity("t2", 1200, "rep-2");
  touch.mutable_envelope()->set_lead_id("L2");
  feed(task1, t.sales_activities, touch);
  const auto r = router();
  auto resp = get(r, "/funnel", {}, {{"by", "source"}});
  ASSERT_EQ(resp.status, 200);
  auto j = json::parse(resp.body);
  ASSERT_EQ(j["rows"].size(), 1u);
  EXPECT_EQ(j["rows"][0]["source"], "google");
  EXPECT_EQ(j["rows"][0]["reached"]["captured"], 2);
  EXPECT_EQ(j["rows"][0]["reached"]["contacted"], 1);
  EXPECT_DOUBLE_EQ(j["rows"][0]["rates"]["lead_to_contact"].get<double>(), 0.5);
  resp = get(r, "/funnel", {}, {{"by", "campaign"}});
  EXPECT_EQ(json::parse(resp.body)["rows"][0]["campaign"], "spring");
  EXPECT_EQ(get(r, "/funnel", {}, {{"by", "rep"}}).status, 400);
  EXPECT_EQ(get(r, "/funnel", {}).status, 200) << "by defaults to source";
}

TEST_F(QueriesTest, CalibrationReportsBands) {
  feed(task0, config.topics.routing_events, assignment("a1", 1060, "rep-1", 60, 20));
  const auto resp = get(router(), "/calibration", {});
  ASSERT_EQ(resp.status, 200);
  const auto j = json::parse(resp.body);
  ASSERT_EQ(j["bands"].size(), 1u);
  EXPECT_EQ(j["bands"][0]["band"], "75-100");
  EXPECT_EQ(j["bands"][0]["handed_off"], 1);
  EXPECT_EQ(j["flagged"], 0);
}

TEST(FeedbackConfigTest, ReadsTheExampleConfig) {
  auto root = runtime::ConfigNode::load_file(std::string(BATON_SOURCE_DIR) +
                                             "/services/feedback/config/feedback.example.yaml");
  auto section = root.child("feedback");
  const auto c = read_config(section);
  section.done();
  EXPECT_TRUE(root.errors().messages.empty()) << root.status().message();
  EXPECT_EQ(c.topics.stage_changes, "baton.lifecycle.stage-changes");
  EXPECT_EQ(c.top_campaigns, 20u);
  EXPECT_EQ(c.policy.calibration.converted_at, v1::STAGE_OPPORTUNITY);
}

TEST(FeedbackConfigTest, BadFieldsAreNamed) {
  auto root = runtime::ConfigNode::parse(
      "feedback:\n  calibration:\n    band_edges: [50, 10]\n    ratio: 3\n"
      "    converted_at: lunch\n  funnel:\n    top_campaign: 5\n",
      "test");
  auto section = root.child("feedback");
  (void)read_config(section);
  const auto msg = root.status().message();
  EXPECT_NE(msg.find("feedback.calibration.band_edges"), std::string::npos) << msg;
  EXPECT_NE(msg.find("feedback.calibration.ratio"), std::string::npos) << msg;
  EXPECT_NE(msg.find("feedback.calibration.converted_at"), std::string::npos) << msg;
  EXPECT_NE(msg.find("feedback.funnel.top_campaign"), std::string::npos) << msg;
}

}  // namespace
}  // namespace baton::feedback::app
