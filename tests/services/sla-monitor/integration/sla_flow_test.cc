// The sla-monitor on the real broker with the real binaries: a breached
// high-intent lead is warned about, breached, escalated to the manager and
// handed back to the router, which assigns it to someone else; that owner's
// touch meets the new clock. And the minimum-attempts gate between the CRM
// and the lifecycle.
#include <gtest/gtest.h>

#include <set>

#include "baton/v1/lead.pb.h"
#include "sla_system.h"

namespace baton::test::sla {
namespace {

using namespace std::chrono_literals;

v1::LeadCaptured demo_request(const std::string& lead, runtime::TimePoint now) {
  v1::LeadCaptured c;
  c.mutable_envelope()->set_event_id("cap-" + lead);
  c.mutable_envelope()->set_lead_id(lead);
  *c.mutable_envelope()->mutable_event_time() = runtime::to_timestamp(now);
  c.mutable_envelope()->set_source_system("web-form");
  c.mutable_person()->set_email("ana@acme-industries.example");
  c.mutable_person()->set_seniority("vp");
  c.mutable_company()->set_industry("software");
  c.mutable_company()->set_employee_band("201-1000");
  c.mutable_company()->set_country("de");
  c.set_source("google");
  c.set_campaign("q4-demo");
  c.set_trigger_signal("demo_request");
  return c;
}

// Assignments of a lead on the routing topic, in order.
std::vector<v1::Assignment> assignments(System& sys, const std::string& lead) {
  std::vector<v1::Assignment> out;
  for (const auto& r : sys.read("baton.routing.events")) {
    v1::RoutingEvent ev;
    if (r.key == lead && ev.ParseFromString(r.value) && ev.has_assignment())
      out.push_back(ev.assignment());
  }
  return out;
}

// Events of one kind caused by one clock (its assignment's event id).
size_t of_clock(const LeadEvents& e, const std::string& kind, const std::string& clock) {
  size_t n = 0;
  auto it = e.by_kind.find(kind);
  if (it == e.by_kind.end()) return 0;
  for (const auto& ev : it->second) {
    const auto* f = ev.GetDescriptor()->FindFieldByName(kind);
    const auto& msg = ev.GetReflection()->GetMessage(ev, f);
    const auto* env_field = msg.GetDescriptor()->FindFieldByName("envelope");
    const auto& env =
        static_cast<const v1::Envelope&>(msg.GetReflection()->GetMessage(msg, env_field));
    n += env.causation_id() == clock;
  }
  return n;
}

TEST(SlaFlow, BreachEscalatesAndTheRouterReassignsToSomeoneElse) {
  System sys("sla-flow");
  sys.create_topics();
  for (const char* id : {"rep-dach-1", "rep-dach-2", "rep-dach-3"})
    sys.send("baton.roster.reps", id, always_on_rep(id, "dach"));
  sys.start("router", "r0");
  sys.start("sla-monitor", "s0", write_short_config(sys, ShortPolicy{}));
  ASSERT_TRUE(sys.all_ready(120s)) << sys.dir();

  sys.send("baton.leads.captured", "L1", demo_request("L1", runtime::Clock::now()), "cap-L1");
  // Nobody touches the lead: the second assignment comes back from the router.
  ASSERT_TRUE(wait_until([&] { return assignments(sys, "L1").size() >= 2; }, 120s))
      << "no reassignment; logs in " << sys.dir();
  auto as = assignments(sys, "L1");
  const v1::Assignment first = as[0], second = as[1];
  EXPECT_EQ(first.tier(), v1::TIER_HIGH_INTENT);
  EXPECT_EQ(first.handoff().pool(), "dach");
  EXPECT_NE(second.owner_rep_id(), first.owner_rep_id()) << "reassigned to the breacher";
  EXPECT_FALSE(second.owner_rep_id().empty());
  EXPECT_EQ(second.reassignment_count(), 1);

  const auto now = runtime::Clock::now();
  sys.send("baton.sales.activities", "L1",
           activity("L1", "touch-L1", second.owner_rep_id(), v1::ACTIVITY_CALL, now), "touch-L1");
  ASSERT_TRUE(wait_until([&] { return sla_events(sys)["L1"].count("met") >= 1; }, 60s))
      << "no SlaMet; logs in " << sys.dir();
  sys.read("baton.sla.events", 1s);  // anything committed meanwhile

  const LeadEvents e = sla_events(sys)["L1"];
  const std::string clock1 = first.envelope().event_id(), clock2 = second.envelope().event_id();
  EXPECT_EQ(of_clock(e, "started", clock1), 1u);
  EXPECT_EQ(of_clock(e, "warning", clock1), 1u);
  EXPECT_EQ(of_clock(e, "breached", clock1), 1u);
  EXPECT_EQ(of_clock(e, "escalated", clock1), 1u);
  EXPECT_EQ(of_clock(e, "reassignment_requested", clock1), 1u);
  EXPECT_EQ(of_clock(e, "started", clock2), 1u);
  EXPECT_EQ(e.count("breached"), of_clock(e, "breached", clock1) + of_clock(e, "breached", clock2));
  ASSERT_EQ(e.count("escalated"), 1u);
  const auto& esc = e.by_kind.at("escalated")[0].escalated();
  EXPECT_EQ(esc.owner_rep_id(), first.owner_rep_id());
  EXPECT_FALSE(esc.manager_id().empty());
  EXPECT_EQ(esc.tier(), v1::TIER_HIGH_INTENT);
  EXPECT_EQ(e.by_kind.at("breached")[0].breached().owner_rep_id(), first.owner_rep_id());

  ASSERT_EQ(e.count("met"), 1u);
  const auto& met = e.by_kind.at("met")[0].met();
  EXPECT_EQ(met.owner_rep_id(), second.owner_rep_id());
  // Reassignment request -> the second assignment (not from the capture).
  EXPECT_GE(met.system_delay_seconds(), 0.0);
  EXPECT_GE(met.rep_delay_seconds(), 0.0);
  EXPECT_EQ(met.activity_type(), "call");

  // The reassign topic is read here for the first time: wait for the reader.
  size_t requests = 0;
  std::string asked_about;
  wait_until(
      [&] {
        requests = 0;
        for (const auto& r : sys.read("baton.routing.reassign")) {
          v1::ReassignmentRequest req;
          if (r.key == "L1" && req.ParseFromString(r.value)) {
            ++requests;
            asked_about = req.current_owner_rep_id();
          }
        }
        return requests >= 1;
      },
      60s);
  EXPECT_EQ(requests, 1u);
  EXPECT_EQ(asked_about, first.owner_rep_id());
  EXPECT_EQ(assignments(sys, "L1").size(), 2u);
}

v1::StageChange unresponsive_recycle(const std::string& lead, const std::string& id,
                                     const std::string& owner) {
  v1::StageChange sc;
  sc.mutable_envelope()->set_event_id(id);
  sc.mutable_envelope()->set_lead_id(lead);
  *sc.mutable_envelope()->mutable_event_time() = runtime::to_timestamp(runtime::Clock::now());
  sc.set_stage(v1::STAGE_RECYCLED);
  sc.mutable_disposition()->set_reason(v1::DISPOSITION_UNRESPONSIVE);
  sc.set_owner_rep_id(owner);
  return sc;
}

// Lifecycle stage changes forwarded for a lead, by input event id.
std::set<std::string> forwarded(System& sys, const std::string& lead) {
  std::set<std::string> ids;
  for (const auto& r : sys.read("baton.lifecycle.stage-changes")) {
    v1::StageChange sc;
    if (r.key == lead && sc.ParseFromString(r.value)) ids.insert(sc.envelope().event_id());
  }
  return ids;
}

TEST(SlaFlow, UnresponsiveRecycleNeedsTheMinimumAttempts) {
  System sys("sla-attempts");
  sys.create_topics();
  ShortPolicy slow;
  slow.first_touch = "1h";
  slow.escalate_after = "2h";
  slow.reassign_after = "3h";
  const int port = sys.start("sla-monitor", "s0", write_short_config(sys, slow));
  ASSERT_TRUE(sys.all_ready(120s)) << sys.dir();

  auto t = runtime::Clock::now();
  sys.send("baton.routing.events", "LR", assignment("LR", "rep-a", t), "assign-LR");
  sys.send("baton.sales.activities", "LR", activity("LR", "act-1", "rep-a", v1::ACTIVITY_CALL, t),
           "act-1");
  auto attempts_seen = [&](int n) {
    return wait_until(
        [&] {
          auto r = http_get(port, "/leads/LR/sla");
          return r && r->status == 200 &&
                 r->body.find("\"attempts\":" + std::to_string(n)) != std::string::npos;
        },
        60s);
  };
  ASSERT_TRUE(attempts_seen(1)) << sys.dir();

  // One attempt: refused, named, and kept from the lifecycle.
  sys.send("baton.crm.stage-changes", "LR", unresponsive_recycle("LR", "rec-1", "rep-a"), "rec-1");
  ASSERT_TRUE(wait_until([&] { return sla_events(sys)["LR"].count("recycle_rejected") >= 1; }, 60s))
      << sys.dir();
  const auto rejected = sla_events(sys)["LR"].by_kind.at("recycle_rejected")[0].recycle_rejected();
  EXPECT_EQ(rejected.attempts(), 1);
  EXPECT_EQ(rejected.required_attempts(), 3);
  EXPECT_FALSE(rejected.missing().empty());
  // The refusal and a forward would share one transaction: none committed.
  EXPECT_EQ(forwarded(sys, "LR").count("rec-1"), 0u);

  // Three attempts over three channels: forwarded.
  sys.send("baton.sales.activities", "LR",
           activity("LR", "act-2", "rep-a", v1::ACTIVITY_EMAIL, t + 1s), "act-2");
  sys.send("baton.sales.activities", "LR",
           activity("LR", "act-3", "rep-a", v1::ACTIVITY_SMS, t + 2s), "act-3");
  ASSERT_TRUE(attempts_seen(3)) << sys.dir();
  sys.send("baton.crm.stage-changes", "LR", unresponsive_recycle("LR", "rec-2", "rep-a"), "rec-2");
  ASSERT_TRUE(wait_until([&] { return forwarded(sys, "LR").count("rec-2") == 1; }, 60s))
      << sys.dir();
  EXPECT_EQ(forwarded(sys, "LR").count("rec-1"), 0u);
  EXPECT_EQ(sla_events(sys)["LR"].count("recycle_rejected"), 1u);
}

}  // namespace
}  // namespace baton::test::sla
