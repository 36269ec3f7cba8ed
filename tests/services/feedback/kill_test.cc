// kill -9 of feedback mid-stream: 300 leads go through their journeys
// (assigned, touched, qualified, opportunity, won) while the feedback
// instance is SIGKILLed in every phase and restarted. Afterwards every
// expected outcome and transition is on its topic exactly once
// (read_committed): none lost, none duplicated.
//
// Assignments and touches are produced by the test (no router or
// sla-monitor) to keep the run fast and deterministic; each phase starts
// once feedback applied the previous one, since inputs on different topics
// have no order between them.
#include <gtest/gtest.h>
#include <signal.h>

#include <random>
#include <thread>

#include "journey_support.h"

namespace baton::test {
namespace {

using namespace std::chrono_literals;
using namespace journey;

constexpr int kLeads = 300;

std::string lead_id(int i) { return "K" + std::to_string(i); }
std::string rep_of(int i) { return i % 2 ? "rep-dach-1" : "rep-dach-2"; }
int64_t amount_of(int i) { return 100'000 + 7 * i; }

v1::RoutingEvent assignment(int i, runtime::TimePoint at) {
  const Context c = context(at);
  v1::RoutingEvent ev;
  auto* a = ev.mutable_assignment();
  *a->mutable_envelope() = envelope("assign-" + lead_id(i), lead_id(i), at, "baton-router");
  a->set_owner_rep_id(rep_of(i));
  a->set_tier(v1::TIER_HIGH_INTENT);
  *a->mutable_captured_at() = runtime::to_timestamp(at - 1s);
  *a->mutable_assigned_at() = runtime::to_timestamp(at);
  auto* h = a->mutable_handoff();
  h->set_source("linkedin");
  h->set_medium("paid-social");
  h->set_campaign(i % 3 ? "q4-demo" : "q4-retarget");
  *h->mutable_first_touch() = c.first;
  *h->mutable_latest_touch() = c.latest;
  h->set_landing_page("/demo");
  h->mutable_score()->set_fit(40 + i % 30);
  h->mutable_score()->set_intent(40);
  h->set_pool("dach");
  h->set_selection("round_robin");
  h->set_rule_matched("dach");
  return ev;
}

v1::SlaEvent sla_met(int i, runtime::TimePoint at) {
  v1::SlaEvent ev;
  auto* m = ev.mutable_met();
  *m->mutable_envelope() = envelope("met-" + lead_id(i), lead_id(i), at, "baton-sla-monitor");
  m->set_owner_rep_id(rep_of(i));
  m->set_within_sla(true);
  m->set_rep_delay_seconds(60);
  return ev;
}

class FeedbackKill : public ::testing::Test {
 protected:
  System sys{"fbkill"};
  std::mt19937 rng{std::random_device{}()};
  int kills = 0;

  void SetUp() override {
    sys.create_topics();
    sys.start("feedback", "f0");
    ASSERT_TRUE(sys.all_ready(180s)) << "logs in " << sys.dir();
  }

  // Distinct leads whose `stage` is done: a transition (Assigned,
  // Contacted) or an outcome (Qualified, Opportunity, Won).
  size_t done(v1::Stage stage, std::chrono::milliseconds budget) {
    std::multiset<std::string> got;
    if (stage == v1::STAGE_ASSIGNED || stage == v1::STAGE_CONTACTED)
      got = transitioned_to(lifecycle(sys, budget), stage);
    else
      got = outcomes_at(outcomes(sys, budget), stage);
    return std::set<std::string>(got.begin(), got.end()).size();
  }

  void kill_feedback() {
    ASSERT_EQ(sys.stop("feedback", "f0", SIGKILL), std::optional<int>(128 + SIGKILL));
    ++kills;
  }

  // Produces a phase's inputs in two halves; feedback is SIGKILLed once it
  // made random progress on the first half (a transaction may be open),
  // the second half is produced while it is down, then it restarts.
  void phase(v1::Stage stage, const std::function<void(int)>& produce) {
    for (int i = 0; i < kLeads / 2; ++i) produce(i);
    const size_t step = 1 + rng() % (kLeads / 2);
    wait_until([&] { return done(stage, 50ms) >= step; }, 60s, 10ms);
    std::this_thread::sleep_for(std::chrono::milliseconds(rng() % 150));  // a random moment
    kill_feedback();
    for (int i = kLeads / 2; i < kLeads; ++i) produce(i);
    sys.start("feedback", "f0");
    if (stage == v1::STAGE_WON) {
      // Once more, while the restarted instance restores or resumes.
      std::this_thread::sleep_for(std::chrono::milliseconds(500 + rng() % 2000));
      kill_feedback();
      sys.start("feedback", "f0");
    }
    ASSERT_TRUE(wait_until([&] { return done(stage, 200ms) >= size_t{kLeads}; }, 240s))
        << v1::Stage_Name(stage) << ": " << done(stage, 200ms) << " of " << kLeads << "; logs in "
        << sys.dir();
  }
};

TEST_F(FeedbackKill, SigkillInEveryPhaseLosesAndDuplicatesNoOutcome) {
  const auto t0 = runtime::Clock::now() - 1h;  // event times increase phase by phase
  phase(v1::STAGE_ASSIGNED, [&](int i) {
    const auto at = t0 + std::chrono::milliseconds(i);
    const std::string id = lead_id(i);
    sys.send("baton.leads.captured", id, demo_request(id, "cap-" + id, id + "@kill.example", at),
             "cap-" + id);
    sys.send("baton.routing.events", id, assignment(i, at + 1s), "assign-" + id);
  });
  ASSERT_FALSE(HasFatalFailure());
  phase(v1::STAGE_CONTACTED, [&](int i) {
    const auto at = t0 + 10min + std::chrono::milliseconds(i);
    sys.send("baton.sla.events", lead_id(i), sla_met(i, at), "met-" + lead_id(i));
    sys.send("baton.sales.activities", lead_id(i),
             call(lead_id(i), "call-" + lead_id(i), rep_of(i), at), "call-" + lead_id(i));
  });
  ASSERT_FALSE(HasFatalFailure());
  const std::vector<std::pair<v1::Stage, std::chrono::minutes>> moves{
      {v1::STAGE_QUALIFIED, 20min}, {v1::STAGE_OPPORTUNITY, 30min}, {v1::STAGE_WON, 40min}};
  for (const auto& [to, offset] : moves) {
    phase(to, [&, to = to, offset = offset](int i) {
      const auto at = t0 + offset + std::chrono::milliseconds(i);
      const std::string id = "move-" + v1::Stage_Name(to) + "-" + lead_id(i);
      const auto change = to == v1::STAGE_WON ? won(lead_id(i), id, rep_of(i), at, amount_of(i))
                                              : stage(lead_id(i), id, to, rep_of(i), at);
      sys.send("baton.lifecycle.stage-changes", lead_id(i), change, id);
    });
    ASSERT_FALSE(HasFatalFailure());
  }
  EXPECT_GE(kills, 6);

  // Every expected outcome exactly once, with the right amount.
  std::map<std::pair<std::string, v1::Stage>, int> seen;
  std::set<std::string> ids;
  const auto all = outcomes(sys, 1s);
  for (const auto& o : all) {
    ++seen[{o.envelope().lead_id(), o.stage()}];
    ids.insert(o.envelope().event_id());
    if (o.stage() == v1::STAGE_WON) {
      const int i = std::stoi(o.envelope().lead_id().substr(1));
      EXPECT_EQ(o.amount_minor(), amount_of(i));
      EXPECT_EQ(credited(o.attribution().w_shaped()), amount_of(i));
    }
  }
  EXPECT_EQ(all.size(), size_t{3 * kLeads});
  EXPECT_EQ(ids.size(), all.size()) << "an outcome was produced twice";
  for (int i = 0; i < kLeads; ++i)
    for (auto s : {v1::STAGE_QUALIFIED, v1::STAGE_OPPORTUNITY, v1::STAGE_WON})
      EXPECT_EQ((seen[{lead_id(i), s}]), 1) << lead_id(i) << " " << v1::Stage_Name(s);

  // Every transition exactly once and nothing refused.
  const auto events = lifecycle(sys, 1s);
  size_t refused = 0;
  for (const auto& e : events) refused += e.has_rejected();
  EXPECT_EQ(refused, 0u);
  for (auto s : {v1::STAGE_ASSIGNED, v1::STAGE_CONTACTED, v1::STAGE_QUALIFIED,
                 v1::STAGE_OPPORTUNITY, v1::STAGE_WON}) {
    const auto leads = transitioned_to(events, s);
    EXPECT_EQ(leads.size(), size_t{kLeads}) << v1::Stage_Name(s);
    for (int i = 0; i < kLeads; ++i) EXPECT_EQ(leads.count(lead_id(i)), 1u) << lead_id(i);
  }
}

}  // namespace
}  // namespace baton::test
