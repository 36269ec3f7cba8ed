// One lead's whole journey through the three services on the real broker:
// captured with its marketing context, routed, touched by its owner, then
// qualified, turned into an opportunity and won in the CRM (stage changes
// vetted by the sla-monitor). Marketing gets exactly one outcome per stage
// with the right attribution, and the lead has a complete timeline.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "journey_support.h"

namespace baton::test {
namespace {

using namespace std::chrono_literals;
using namespace journey;
using nlohmann::json;

constexpr int64_t kAmount = 4'200'017;  // minor units; not divisible by 3

class Journey : public ::testing::Test {
 protected:
  System sys{"journey"};

  void SetUp() override {
    sys.create_topics();
    send_roster(sys);
    sys.start("router", "r0");
    sys.start("sla-monitor", "s0");
    sys.start("feedback", "f0");
    ASSERT_TRUE(sys.all_ready(180s)) << "logs in " << sys.dir();
  }

  std::optional<v1::Outcome> outcome_of(const std::string& lead, v1::Stage s) {
    for (const auto& o : outcomes(sys, 100ms))
      if (o.envelope().lead_id() == lead && o.stage() == s) return o;
    return std::nullopt;
  }

  json timeline(const std::string& lead) {
    auto r = http_get(sys.port("feedback", "f0"), "/leads/" + lead + "/timeline");
    if (!r || r->status != 200) return json();
    return json::parse(r->body, nullptr, false);
  }
};

TEST_F(Journey, CapturedRoutedTouchedQualifiedWonYieldsOneOutcomePerStageAndAFullTimeline) {
  const std::string lead = "J1";
  const auto t0 = runtime::Clock::now();
  const Context ctx = context(t0);
  sys.send("baton.leads.captured", lead, demo_request(lead, "cap-J1", "ana@acme.example", t0),
           "cap-J1");

  // Routed: an Assignment with the handoff package.
  v1::Assignment assignment;
  ASSERT_TRUE(wait_until(
      [&] {
        for (const auto& r : sys.read("baton.routing.events", 100ms)) {
          v1::RoutingEvent ev;
          if (r.key == lead && ev.ParseFromString(r.value) && ev.has_assignment()) {
            assignment = ev.assignment();
            return true;
          }
        }
        return false;
      },
      90s))
      << "no assignment; logs in " << sys.dir();
  const std::string owner = assignment.owner_rep_id();
  ASSERT_FALSE(owner.empty());
  EXPECT_EQ(assignment.handoff().pool(), "dach");

  // Touched by its owner: the SLA is met and feedback derives Contacted.
  ASSERT_TRUE(wait_until(
      [&] {
        for (const auto& r : sys.read("baton.sla.events", 100ms)) {
          v1::SlaEvent ev;
          if (r.key == lead && ev.ParseFromString(r.value) && ev.has_started()) return true;
        }
        return false;
      },
      90s))
      << "no SLA clock; logs in " << sys.dir();
  sys.send("baton.sales.activities", lead, call(lead, "touch-J1", owner, runtime::Clock::now()),
           "touch-J1");
  ASSERT_TRUE(wait_until([&] { return timeline(lead).value("stage", "") == "contacted"; }, 90s))
      << "lead never contacted; logs in " << sys.dir();

  // The CRM moves the lead; each stage's outcome arrives before the next move.
  const std::vector<v1::Stage> stages{v1::STAGE_QUALIFIED, v1::STAGE_OPPORTUNITY, v1::STAGE_WON};
  for (size_t i = 0; i < stages.size(); ++i) {
    const std::string id = "stage-J1-" + std::to_string(i);
    const auto at = runtime::Clock::now();
    const auto change = stages[i] == v1::STAGE_WON ? won(lead, id, owner, at, kAmount)
                                                   : stage(lead, id, stages[i], owner, at);
    sys.send("baton.crm.stage-changes", lead, change, id);
    ASSERT_TRUE(wait_until([&] { return outcome_of(lead, stages[i]).has_value(); }, 90s))
        << "no outcome for " << v1::Stage_Name(stages[i]) << "; logs in " << sys.dir();
  }

  // A replayed CRM event and a move after Won change nothing; the refusal
  // of the latter proves every earlier output is committed and read.
  sys.send("baton.crm.stage-changes", lead,
           stage(lead, "stage-J1-0", v1::STAGE_QUALIFIED, owner, runtime::Clock::now()),
           "stage-J1-0");
  sys.send("baton.crm.stage-changes", lead,
           stage(lead, "stage-J1-late", v1::STAGE_OPPORTUNITY, owner, runtime::Clock::now()),
           "stage-J1-late");
  ASSERT_TRUE(wait_until(
      [&] {
        for (const auto& e : lifecycle(sys, 100ms))
          if (e.has_rejected() && e.rejected().envelope().lead_id() == lead &&
              e.rejected().rule() == "terminal_stage")
            return true;
        return false;
      },
      90s))
      << "move after Won not refused; logs in " << sys.dir();

  // Exactly one outcome per stage, nothing else.
  const auto all = outcomes(sys, 500ms);
  std::map<v1::Stage, std::vector<v1::Outcome>> by_stage;
  for (const auto& o : all)
    if (o.envelope().lead_id() == lead) by_stage[o.stage()].push_back(o);
  ASSERT_EQ(by_stage.size(), 3u);
  for (auto s : stages) ASSERT_EQ(by_stage[s].size(), 1u) << v1::Stage_Name(s);

  for (auto s : stages) {
    const v1::Outcome& o = by_stage[s][0];
    EXPECT_EQ(o.source(), "linkedin");
    EXPECT_EQ(o.medium(), "paid-social");
    EXPECT_EQ(o.campaign(), "q4-demo");
    EXPECT_EQ(o.first_touch().campaign(), ctx.first.campaign());
    EXPECT_EQ(o.first_touch().landing_page(), "/webinar");
    EXPECT_EQ(o.latest_touch().campaign(), ctx.latest.campaign());
    EXPECT_EQ(o.landing_page(), "/demo");
    EXPECT_EQ(o.ad_message(), "See Baton live");
    EXPECT_EQ(o.owner_rep_id(), owner);
    EXPECT_EQ(o.tier_at_handoff(), assignment.tier());
    EXPECT_DOUBLE_EQ(o.score_fit_at_handoff(), assignment.handoff().score().fit());
    EXPECT_DOUBLE_EQ(o.score_intent_at_handoff(), assignment.handoff().score().intent());
    EXPECT_GE(o.response_time_seconds(), 0);
    std::set<v1::Stage> timed;
    for (const auto& d : o.stage_durations()) timed.insert(d.stage());
    EXPECT_TRUE(timed.count(v1::STAGE_ASSIGNED) && timed.count(v1::STAGE_CONTACTED));
  }

  // Won: amount, currency and three attribution models that sum exactly.
  const v1::Outcome& w = by_stage[v1::STAGE_WON][0];
  EXPECT_EQ(w.amount_minor(), kAmount);
  EXPECT_EQ(w.currency(), "EUR");
  const auto& a = w.attribution();
  ASSERT_EQ(a.first_touch_size(), 1);
  EXPECT_EQ(a.first_touch(0).campaign(), "q3-webinar");
  EXPECT_EQ(a.first_touch(0).amount_minor(), kAmount);
  ASSERT_EQ(a.last_touch_size(), 1);
  EXPECT_EQ(a.last_touch(0).campaign(), "q4-demo");
  EXPECT_EQ(a.last_touch(0).amount_minor(), kAmount);
  EXPECT_EQ(credited(a.w_shaped()), kAmount);
  std::set<std::string> positions;
  for (const auto& c : a.w_shaped()) positions.insert(c.touch());
  EXPECT_EQ(positions,
            (std::set<std::string>{"first_touch", "lead_creation", "opportunity_creation"}));
  EXPECT_EQ(a.w_shaped(0).campaign(), "q3-webinar");
  EXPECT_EQ(a.w_shaped(1).campaign(), "q4-demo");

  // The timeline: every seam with its time, owner and duration, in order.
  json tl;
  ASSERT_TRUE(wait_until(
      [&] {
        tl = timeline(lead);
        if (!tl.is_object()) return false;
        for (const auto& s : tl["steps"])
          if (s["kind"] == "sla_met") return true;
        return false;
      },
      60s))
      << tl.dump();
  EXPECT_EQ(tl["stage"], "won");
  EXPECT_EQ(tl["owner"], owner);
  std::vector<std::string> kinds, stage_moves;
  for (const auto& s : tl["steps"]) {
    const std::string kind = s["kind"];
    kinds.push_back(kind);
    ASSERT_TRUE(s.contains("at")) << s.dump();
    // Durations since the previous step are never negative: steps are in time order.
    EXPECT_GE(s["since_previous_seconds"].get<double>(), 0) << s.dump();
    if (kind != "captured" && kind != "scored") {
      EXPECT_EQ(s.value("owner", ""), owner) << s.dump();
    }
    if (kind == "assigned") {
      EXPECT_FALSE(s["reasons"].empty()) << "assignment says why";
    }
    if (kind == "stage_changed") stage_moves.push_back(s["stage"]);
  }
  for (const char* k : {"captured", "assigned", "sla_clock_started", "touch", "sla_met",
                        "stage_changed", "outcome"})
    EXPECT_NE(std::find(kinds.begin(), kinds.end(), k), kinds.end()) << k << " missing";
  EXPECT_EQ(stage_moves,
            (std::vector<std::string>{"assigned", "contacted", "qualified", "opportunity", "won"}));
  EXPECT_EQ(std::count(kinds.begin(), kinds.end(), "outcome"), 3);
  EXPECT_EQ(kinds.front(), "captured");
}

}  // namespace
}  // namespace baton::test
