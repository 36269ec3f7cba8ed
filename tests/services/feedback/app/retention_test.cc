// Retention of closed leads (issue 21): a closed lead with no input for
// retention.closed_leads is erased from every service by an erasure request
// that feedback issues from a durable timer; any input restarts the clock,
// reopening the lead stops it, and the erasure leaves nothing to restore.
#include "domain/retention.h"

#include <gtest/gtest.h>
#include <prometheus/registry.h>

#include "../domain/fixtures.h"
#include "app/processor.h"
#include "fake_state.h"

namespace baton::feedback::app {
namespace {

using namespace baton::feedback::test;
using baton::test::FakeState;
using namespace std::chrono_literals;

class RetentionTest : public ::testing::Test {
 protected:
  FeedbackConfig config = [] {
    FeedbackConfig c;
    c.closed_lead_retention = 24h * 730;
    return c;
  }();
  FeedbackProcessor proc{config, nullptr};
  FakeState state;

  runtime::Effects feed(const std::string& topic, const google::protobuf::Message& m,
                        TimePoint now) {
    runtime::Record r;
    r.topic = topic;
    r.key = "L1";
    r.value = m.SerializeAsString();
    auto fx = proc.on_record(r, state, now);
    EXPECT_TRUE(fx.has_value());
    if (!fx) return {};
    state.apply(*fx);
    return std::move(*fx);
  }
  void close_as_won(TimePoint now) {
    const auto& t = config.topics;
    feed(t.leads_captured, captured("c1", 1000), now);
    feed(t.routing_events, assignment("a1", 1060, "rep-1"), now);
    feed(t.sales_activities, activity("t1", 1200, "rep-1"), now);
    feed(t.stage_changes, change("s1", 2000, v1::STAGE_QUALIFIED), now);
    feed(t.stage_changes, change("s2", 3000, v1::STAGE_OPPORTUNITY), now);
    feed(t.stage_changes, won("s3", 4000, 99999), now);
  }
  runtime::Effects fire(TimePoint now) {
    auto it = state.timers.find(retention_timer_id("L1"));
    EXPECT_NE(it, state.timers.end());
    if (it == state.timers.end()) return {};
    const auto timer = it->second;
    state.timers.erase(it);
    auto fx = proc.on_timer(timer, state, now);
    EXPECT_TRUE(fx.has_value());
    if (!fx) return {};
    state.apply(*fx);
    return std::move(*fx);
  }
};

TEST_F(RetentionTest, RetentionErasesAClosedLeadAfterTheConfiguredQuietTime) {
  close_as_won(tp(5000));
  ASSERT_TRUE(state.timers.count(retention_timer_id("L1")));
  EXPECT_EQ(state.timers.at(retention_timer_id("L1")).due, tp(5000) + 24h * 730);
  const auto fx = fire(tp(5000) + 24h * 730);
  ASSERT_EQ(fx.outputs.size(), 1u);
  EXPECT_EQ(fx.outputs[0].topic, config.topics.erasure);
  EXPECT_EQ(fx.outputs[0].key, "L1");
  v1::ErasureRequest req;
  ASSERT_TRUE(req.ParseFromString(fx.outputs[0].value));
  EXPECT_EQ(req.envelope().lead_id(), "L1");
  EXPECT_EQ(req.legal_basis().rfind("retention", 0), 0u) << req.legal_basis();
  // The request comes back on the erasure topic, as for every service.
  feed(config.topics.erasure, req, tp(5000) + 24h * 730);
  for (const auto& [k, v] : state.kv)
    EXPECT_TRUE(k == "erased/L1" || k.find("L1") == std::string::npos) << k;
  // A rebuild from the changelog replays these writes: the lead's key is a
  // tombstone, so nothing comes back.
  EXPECT_FALSE(state.get("lead/L1"));
}

TEST_F(RetentionTest, RetentionClockRestartsOnInputAndStopsWhenReopened) {
  close_as_won(tp(5000));
  feed(config.topics.sales_activities, activity("t2", 6000, "rep-1"), tp(9000));
  EXPECT_EQ(state.timers.at(retention_timer_id("L1")).due, tp(9000) + 24h * 730)
      << "an input restarts the clock";
}

TEST_F(RetentionTest, RetentionClockRunsExactlyWhileTheLeadIsClosed) {
  const auto& t = config.topics;
  auto check = [&](const char* step) {
    state::LeadRecord rec;
    ASSERT_TRUE(state.get("lead/L1") && rec.ParseFromString(*state.get("lead/L1"))) << step;
    EXPECT_EQ(state.timers.count(retention_timer_id("L1")) == 1, is_closed(rec.stage()))
        << step << ": stage " << v1::Stage_Name(rec.stage());
  };
  feed(t.leads_captured, captured("c1", 1000), tp(1));
  check("captured");
  feed(t.routing_events, assignment("a1", 1060, "rep-1"), tp(2));
  check("assigned");
  feed(t.sales_activities, activity("t1", 1200, "rep-1"), tp(3));
  check("contacted");
  feed(t.stage_changes,
       with_disposition(change("s1", 2000, v1::STAGE_RECYCLED), v1::DISPOSITION_NO_URGENCY), tp(4));
  check("recycled");
  EXPECT_TRUE(state.timers.count(retention_timer_id("L1"))) << "Recycled is closed";
  feed(t.stage_changes, change("s2", 3000, v1::STAGE_CONTACTED), tp(5));
  check("back in play");
}

TEST_F(RetentionTest, RetentionTimerOfAnErasedOrReopenedLeadDoesNothing) {
  close_as_won(tp(5000));
  const auto timer = state.timers.at(retention_timer_id("L1"));
  v1::ErasureRequest req;
  *req.mutable_envelope() = env("e1", 6000);
  feed(config.topics.erasure, req, tp(6000));
  auto fx = proc.on_timer(timer, state, timer.due);
  ASSERT_TRUE(fx.has_value());
  EXPECT_TRUE(fx->outputs.empty()) << "already erased";
}

TEST_F(RetentionTest, RetentionZeroKeepsClosedLeads) {
  config.closed_lead_retention = 0ms;
  FeedbackProcessor keep{config, nullptr};
  runtime::Record r;
  r.topic = config.topics.leads_captured;
  r.key = "L1";
  r.value = captured("c1", 1000).SerializeAsString();
  auto fx = keep.on_record(r, state, tp(1));
  ASSERT_TRUE(fx.has_value());
  EXPECT_TRUE(fx->set_timers.empty());
}

}  // namespace
}  // namespace baton::feedback::app
