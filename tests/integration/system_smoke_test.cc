// The three services together on the real broker: a lead captured with a
// demo request is routed with its handoff package, gets an SLA clock, and
// has a timeline in feedback.
#include <gtest/gtest.h>

#include "baton/runtime/events.h"
#include "baton/v1/lead.pb.h"
#include "baton/v1/roster.pb.h"
#include "baton/v1/routing.pb.h"
#include "baton/v1/sla.pb.h"
#include "builders.h"
#include "system.h"

namespace baton::test {
namespace {

using namespace std::chrono_literals;

TEST(SystemSmoke, CapturedLeadIsRoutedClockedAndTimelined) {
  System sys("smoke");
  sys.create_topics();
  for (const auto& [id, pool] : std::vector<std::pair<std::string, std::string>>{
           {"rep-dach-1", "dach"}, {"rep-dach-2", "dach"}, {"rep-gen-1", "general"}})
    sys.send("baton.roster.reps", id, always_on_rep(id, pool));
  sys.start("router", "r0");
  sys.start("sla-monitor", "s0");
  sys.start("feedback", "f0");
  ASSERT_TRUE(sys.all_ready(120s)) << sys.dir();

  v1::LeadCaptured lead;
  auto now = runtime::Clock::now();
  lead.mutable_envelope()->set_event_id("cap-1");
  lead.mutable_envelope()->set_lead_id("L1");
  *lead.mutable_envelope()->mutable_event_time() = runtime::to_timestamp(now);
  lead.mutable_envelope()->set_source_system("web-form");
  lead.mutable_person()->set_email("ana@acme-industries.example");
  lead.mutable_person()->set_seniority("vp");
  lead.mutable_company()->set_industry("software");
  lead.mutable_company()->set_employee_band("201-1000");
  lead.mutable_company()->set_country("de");
  lead.set_source("google");
  lead.set_campaign("q4-demo");
  lead.set_trigger_signal("demo_request");
  lead.set_hand_raise_reason("Wants a demo for 40 reps");
  lead.mutable_first_touch()->set_landing_page("/pricing");
  sys.send("baton.leads.captured", "L1", lead, "cap-1");

  v1::Assignment assignment;
  ASSERT_TRUE(wait_until(
      [&] {
        for (const auto& r : sys.read("baton.routing.events")) {
          v1::RoutingEvent ev;
          if (r.key == "L1" && ev.ParseFromString(r.value) && ev.has_assignment()) {
            assignment = ev.assignment();
            return true;
          }
        }
        return false;
      },
      60s))
      << "no assignment; logs in " << sys.dir();
  EXPECT_EQ(assignment.handoff().pool(), "dach");
  EXPECT_FALSE(assignment.owner_rep_id().empty());
  EXPECT_EQ(assignment.handoff().campaign(), "q4-demo");
  EXPECT_FALSE(assignment.handoff().score().breakdown().empty());

  ASSERT_TRUE(wait_until(
      [&] {
        for (const auto& r : sys.read("baton.sla.events")) {
          v1::SlaEvent ev;
          if (r.key == "L1" && ev.ParseFromString(r.value) && ev.has_started()) return true;
        }
        return false;
      },
      60s))
      << "no SLA clock; logs in " << sys.dir();
  ASSERT_TRUE(wait_until(
      [&] {
        auto r = http_get(sys.port("feedback", "f0"), "/leads/L1/timeline");
        return r && r->status == 200;
      },
      60s));
}

}  // namespace
}  // namespace baton::test
