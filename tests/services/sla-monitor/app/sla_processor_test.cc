#include "sla_processor.h"

#include <gtest/gtest.h>
#include <prometheus/registry.h>

#include <nlohmann/json.hpp>
#include <set>

#include "baton/runtime/events.h"
#include "baton/v1/roster.pb.h"
#include "fake_state.h"
#include "sla_query.h"
#include "state_codec.h"

namespace baton::sla::app {
namespace {

using namespace std::chrono_literals;
using runtime::TimePoint;

TimePoint at(int64_t s) { return TimePoint(std::chrono::seconds(s)); }
const TimePoint kT0 = at(1720533600);  // 2024-07-09T14:00:00Z, a Tuesday

class SlaProcessorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto root = runtime::ConfigNode::load_file(
        std::string(BATON_SOURCE_DIR) + "/services/sla-monitor/config/sla-monitor.example.yaml");
    auto section = root.child("sla-monitor");
    auto cfg = read_config(section);
    ASSERT_TRUE(cfg.has_value());
    metrics = std::make_shared<SlaMetrics>(registry, 10);
    proc = std::make_unique<SlaProcessor>(std::move(*cfg), metrics);
    v1::Rep rep;
    rep.set_id("rep-1");
    rep.set_manager_id("mgr-9");
    rep.set_time_zone("Europe/Berlin");
    rep.SerializeToString(&state.globals["baton.roster.reps"]["rep-1"]);
  }

  runtime::Record record(const std::string& topic, const google::protobuf::Message& m,
                         const std::string& key = "L1") {
    runtime::Record r;
    r.topic = topic;
    r.key = key;
    r.partition = 3;
    m.SerializeToString(&r.value);
    return r;
  }

  runtime::Effects ok(runtime::ProcessResult r) {
    EXPECT_TRUE(r.has_value()) << (r.has_value() ? "" : r.error().reason + " " + r.error().detail);
    if (!r.has_value()) return {};
    state.apply(r.value());
    return std::move(r.value());
  }

  runtime::Effects assign(v1::Tier tier, const std::string& lead = "L1") {
    v1::RoutingEvent ev;
    auto* a = ev.mutable_assignment();
    a->mutable_envelope()->set_event_id(lead == "L1" ? "A1" : "A-" + lead);
    a->mutable_envelope()->set_lead_id(lead);
    a->set_owner_rep_id("rep-1");
    a->set_tier(tier);
    *a->mutable_assigned_at() = runtime::to_timestamp(kT0);
    *a->mutable_captured_at() = runtime::to_timestamp(kT0 - 30s);
    return ok(proc->on_record(record("baton.routing.events", ev, lead), state, kT0));
  }

  size_t sla_timers() const { return state.timers.size(); }

  // The label values of a metric family's series for one label name.
  std::set<std::string> labels(const std::string& name, const std::string& label) {
    std::set<std::string> out;
    for (const auto& f : registry.Collect())
      if (f.name == name)
        for (const auto& m : f.metric)
          for (const auto& l : m.label)
            if (l.name == label) out.insert(l.value);
    return out;
  }

  double metric(const std::string& name) {
    double total = 0;
    for (const auto& f : registry.Collect())
      if (f.name == name)
        for (const auto& m : f.metric) total += m.counter.value + m.gauge.value;
    return total;
  }

  prometheus::Registry registry;
  std::shared_ptr<SlaMetrics> metrics;
  std::unique_ptr<SlaProcessor> proc;
  baton::test::FakeState state;
};

TEST_F(SlaProcessorTest, AssignmentStartsAClockInTheOwnersCalendar) {
  auto fx = assign(v1::TIER_HIGH_INTENT);
  EXPECT_EQ(fx.dedup_id, "A1");
  ASSERT_EQ(fx.outputs.size(), 1u);
  EXPECT_EQ(fx.outputs[0].topic, "baton.sla.events");
  EXPECT_EQ(fx.outputs[0].ce_type, "baton.v1.SlaClockStarted");
  EXPECT_EQ(fx.outputs[0].event_id, runtime::derive_event_id("A1", "sla.started"));
  EXPECT_EQ(state.timers.at("L1/breach").due, kT0 + 5min);
  EXPECT_EQ(state.timers.at("L1/reassign").payload, "A1");
  auto s = decode_state(state.kv.at("lead/L1"));
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(s->calendar.time_zone, "Europe/Berlin");
  EXPECT_EQ(s->clock.manager_id, "mgr-9");  // from the roster
  EXPECT_EQ(metric("baton_sla_open_clocks"), 1);
}

TEST_F(SlaProcessorTest, DueTimersEscalateAndRequestReassignment) {
  assign(v1::TIER_HIGH_INTENT);
  runtime::Timer t = state.timers.at("L1/reassign");
  auto fx = ok(proc->on_timer(t, state, t.due + 2s));
  ASSERT_EQ(fx.outputs.size(), 5u);  // late warning, breach, escalation, request, mirror
  std::map<std::string, int> topics;
  for (const auto& o : fx.outputs) ++topics[o.topic];
  EXPECT_EQ(topics["baton.routing.reassign"], 1);
  EXPECT_EQ(topics["baton.sla.events"], 4);
  EXPECT_EQ(sla_timers(), 0u);
  EXPECT_EQ(metric("baton_sla_breaches_total"), 1);
  EXPECT_EQ(metric("baton_sla_escalations_total"), 1);
  EXPECT_EQ(metric("baton_sla_reassignments_total"), 1);
  EXPECT_EQ(labels("baton_sla_breaches_total", "tier"), std::set<std::string>{"high-intent"});
}

TEST_F(SlaProcessorTest, GaugesFromStateOpenClocksFollowAssignmentAndRevocation) {
  assign(v1::TIER_HIGH_INTENT, "L1");
  assign(v1::TIER_STANDARD, "L2");
  EXPECT_EQ(state.kv.at(std::string(kOpenClocksKey)), "2");
  EXPECT_EQ(metric("baton_sla_open_clocks"), 2);

  // A fresh process on the restored state reports the count as soon as the
  // task is assigned, and forgets it when the task is revoked.
  prometheus::Registry fresh_registry;
  auto fresh_metrics = std::make_shared<SlaMetrics>(fresh_registry, 10);
  auto root = runtime::ConfigNode::load_file(
      std::string(BATON_SOURCE_DIR) + "/services/sla-monitor/config/sla-monitor.example.yaml");
  auto section = root.child("sla-monitor");
  SlaProcessor restarted(std::move(*read_config(section)), fresh_metrics);
  auto open = [&] {
    for (const auto& f : fresh_registry.Collect())
      if (f.name == "baton_sla_open_clocks") return f.metric.at(0).gauge.value;
    return -1.0;
  };
  EXPECT_EQ(open(), 0);
  restarted.on_assigned(3, state);
  restarted.on_assigned(4, baton::test::FakeState{});
  EXPECT_EQ(open(), 2);
  restarted.on_assigned(3, state);  // announced again (after a restore): not added
  EXPECT_EQ(open(), 2);
  restarted.on_revoked(3);
  EXPECT_EQ(open(), 0);
}

TEST_F(SlaProcessorTest, StateWithoutACounterIsRecountedOnce) {
  assign(v1::TIER_HIGH_INTENT, "L1");
  assign(v1::TIER_HIGH_INTENT, "L2");
  state.kv.erase(std::string(kOpenClocksKey));
  EXPECT_EQ(open_clocks(state), 2);
  proc->on_assigned(3, state);
  EXPECT_EQ(metric("baton_sla_open_clocks"), 2);
}

TEST_F(SlaProcessorTest, ARetiredCensusTimerIsDroppedWithItsKey) {
  state.kv[std::string(kRetiredCensusKey)] = "3";
  runtime::Timer census{std::string(kRetiredCensusTimer), kT0, "3"};
  auto fx = ok(proc->on_timer(census, state, kT0));
  EXPECT_TRUE(fx.outputs.empty());
  EXPECT_TRUE(fx.set_timers.empty());
  ASSERT_EQ(fx.writes.size(), 1u);
  EXPECT_EQ(fx.writes[0].first, kRetiredCensusKey);
  EXPECT_FALSE(fx.writes[0].second.has_value());
}

TEST_F(SlaProcessorTest, OwnerTouchMeetsTheSla) {
  assign(v1::TIER_HIGH_INTENT);
  v1::SalesActivity a;
  a.mutable_envelope()->set_event_id("S1");  // lead id from the record key
  *a.mutable_envelope()->mutable_event_time() = runtime::to_timestamp(kT0 + 2min);
  a.set_rep_id("rep-1");
  a.set_type(v1::ACTIVITY_CALL);
  auto fx = ok(proc->on_record(record("baton.sales.activities", a), state, kT0 + 2min));
  ASSERT_EQ(fx.outputs.size(), 1u);
  EXPECT_EQ(fx.outputs[0].ce_type, "baton.v1.SlaMet");
  EXPECT_EQ(sla_timers(), 0u);
  EXPECT_EQ(metric("baton_sla_met_total"), 1);
  EXPECT_EQ(metric("baton_sla_open_clocks"), 0);
}

TEST_F(SlaProcessorTest, StageChangesAreForwardedUnchanged) {
  v1::StageChange sc;
  sc.mutable_envelope()->set_event_id("C1");
  sc.mutable_envelope()->set_lead_id("L1");
  sc.set_stage(v1::STAGE_CONTACTED);
  auto in = record("baton.crm.stage-changes", sc);
  auto fx = ok(proc->on_record(in, state, kT0));
  ASSERT_EQ(fx.outputs.size(), 1u);
  EXPECT_EQ(fx.outputs[0].topic, "baton.lifecycle.stage-changes");
  EXPECT_EQ(fx.outputs[0].value, in.value);
}

TEST_F(SlaProcessorTest, BadInputIsRejected) {
  runtime::Record junk;
  junk.topic = "baton.sales.activities";
  junk.value = "\xff\xff\xff";
  auto r = proc->on_record(junk, state, kT0);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().reason, "decode");
  v1::SalesActivity a;
  a.mutable_envelope()->set_event_id("S1");
  a.set_type(v1::ACTIVITY_CALL);  // no rep
  r = proc->on_record(record("baton.sales.activities", a), state, kT0);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().reason, "invalid");
}

TEST_F(SlaProcessorTest, OtherRoutingEventsAreIgnored) {
  v1::RoutingEvent ev;
  ev.mutable_nurture()->mutable_envelope()->set_event_id("N1");
  auto fx = ok(proc->on_record(record("baton.routing.events", ev), state, kT0));
  EXPECT_TRUE(fx.outputs.empty());
  EXPECT_TRUE(fx.writes.empty());
}

TEST_F(SlaProcessorTest, QueryShowsTheClock) {
  assign(v1::TIER_STANDARD);
  runtime::QueryRouter router;
  router.lookup = [&](std::string_view proc_name, std::string_view key) {
    EXPECT_EQ(proc_name, "sla-monitor");
    return state.get(key);
  };
  add_sla_routes(router);
  ASSERT_EQ(router.routes().size(), 1u);
  runtime::QueryRequest req{"/leads/L1/sla", {"L1"}, {}};
  auto res = router.routes()[0].handler(req);
  EXPECT_EQ(res.status, 200);
  auto j = nlohmann::json::parse(res.body);
  EXPECT_EQ(j["owner_rep_id"], "rep-1");
  EXPECT_EQ(j["tier"], "standard");
  EXPECT_EQ(j["time_zone"], "Europe/Berlin");
  req.params = {"L404"};
  EXPECT_EQ(router.routes()[0].handler(req).status, 404);
}

}  // namespace
}  // namespace baton::sla::app
