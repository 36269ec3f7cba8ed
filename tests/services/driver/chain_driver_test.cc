// The three services' processors chained on the in-process TopologyDriver
// (no broker, milliseconds): a high-intent capture is routed with its
// handoff, its first-touch clock warns, breaches, escalates and asks for a
// new owner, the router reassigns, the new owner's touch meets the clock,
// and feedback keeps the whole story. ctest -R Driver.
#include <gtest/gtest.h>

#include "chain.h"

namespace baton {
namespace {

using namespace std::chrono_literals;
using driver_test::Chain;

TEST(Driver, HighIntentLeadIsRoutedClockedEscalatedReassignedAndMet) {
  Chain c;
  const auto t0 = fuzz::fuzz_now();  // a Tuesday, 12:00 UTC
  c.d.pipe(c.settings->topics.captured, "L-7", fuzz::sample_lead("L-7", "cap-7", t0), t0);
  ASSERT_TRUE(c.d.rejections().empty()) << c.d.rejection_details()[0];

  // Routed at once, with the why and the handoff package.
  auto a = c.assignments("L-7");
  ASSERT_EQ(a.size(), 1u);
  const std::string first = a[0].owner_rep_id();
  EXPECT_EQ(first.rfind("rep-dach-", 0), 0u) << first;
  EXPECT_EQ(a[0].handoff().pool(), "dach");
  EXPECT_FALSE(a[0].handoff().why().empty());
  // The SLA monitor started the first-touch clock; feedback holds the lead.
  auto started = [&] {
    int n = 0;
    for (const auto& e : c.sla_events()) n += e.has_started() ? 1 : 0;
    return n;
  };
  EXPECT_EQ(started(), 1);
  EXPECT_TRUE(c.d.state("feedback").get("lead/L-7"));

  // Nobody touches it: warning at 4 min, breach at 5, escalation at 10,
  // a reassignment request at 20, and the router picks another owner.
  c.d.advance(t0 + 21min);
  bool warned = false, breached = false, escalated = false, asked = false;
  for (const auto& e : c.sla_events()) {
    warned |= e.has_warning();
    breached |= e.has_breached();
    escalated |= e.has_escalated();
    asked |= e.has_reassignment_requested();
  }
  EXPECT_TRUE(warned && breached && escalated && asked) << warned << breached << escalated << asked;
  a = c.assignments("L-7");
  ASSERT_EQ(a.size(), 2u) << "reassigned once";
  const std::string second = a[1].owner_rep_id();
  EXPECT_NE(second, first);
  EXPECT_EQ(started(), 2) << "a new clock for the new owner";

  // The new owner calls: the clock is met, and feedback sees the touch.
  auto call = fuzz::sample_activity("L-7", "call-7", v1::ACTIVITY_CALL, t0 + 22min);
  call.set_rep_id(second);
  c.d.pipe("baton.sales.activities", "L-7", call, t0 + 22min);
  ASSERT_TRUE(c.d.rejections().empty()) << c.d.rejection_details()[0];
  bool met = false;
  for (const auto& e : c.sla_events()) met |= e.has_met() && e.met().owner_rep_id() == second;
  EXPECT_TRUE(met) << "the second owner's call meets the clock";
  EXPECT_TRUE(c.d.state("feedback").get("lead/L-7"));
}

}  // namespace
}  // namespace baton
