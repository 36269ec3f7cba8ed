// kill -9 while a burst of SLA timers comes due: 500 high-intent clocks with
// a 2 s first-touch budget; the sla-monitor is SIGKILLed several times as
// their warnings, breaches, escalations and reassignments fall due. Every
// lead ends with each of those exactly once (read_committed), none missing.
#include <gtest/gtest.h>
#include <signal.h>

#include "sla_system.h"

namespace baton::test::sla {
namespace {

using namespace std::chrono_literals;

constexpr int kLeads = 500;
const char* const kKinds[] = {"started", "warning", "breached", "escalated",
                              "reassignment_requested"};

size_t total_events(System& sys) { return sys.read("baton.sla.events").size(); }

TEST(SlaKill, SigkillDuringABurstOfDueTimersFiresEachMilestoneExactlyOnce) {
  System sys("sla-kill");
  sys.create_topics();
  ShortPolicy p;
  p.first_touch = "2s";
  p.warning_fraction = 0.5;
  p.escalate_after = "4s";
  p.reassign_after = "6s";
  const std::string config = write_short_config(sys, p);
  sys.start("sla-monitor", "s0", config);
  ASSERT_TRUE(sys.all_ready(120s)) << sys.dir();

  const auto t0 = runtime::Clock::now();
  for (int i = 0; i < kLeads; ++i) {
    const std::string lead = "K" + std::to_string(i);
    sys.send("baton.routing.events", lead, assignment(lead, "rep-" + std::to_string(i % 7), t0),
             "assign-" + lead);
  }

  // Kill at rising progress marks while the timers come due (and again right
  // after each restart, when the timers that fell due meanwhile burst out).
  const size_t expected = static_cast<size_t>(kLeads) * std::size(kKinds);
  int kills = 0;
  for (size_t mark : {expected / 10, expected * 3 / 10, expected / 2, expected * 7 / 10}) {
    wait_until([&] { return total_events(sys) >= mark; }, 90s, 20ms);
    ASSERT_TRUE(sys.stop("sla-monitor", "s0", SIGKILL).has_value());
    ++kills;
    sys.start("sla-monitor", "s0", config);
    ASSERT_TRUE(sys.all_ready(120s)) << sys.dir();
  }
  ASSERT_TRUE(wait_until([&] { return total_events(sys) >= expected; }, 180s, 100ms))
      << total_events(sys) << " of " << expected << " SLA events; logs in " << sys.dir();
  sys.read("baton.sla.events", 2s);  // anything committed later would be a duplicate

  auto events = sla_events(sys);
  ASSERT_EQ(events.size(), static_cast<size_t>(kLeads));
  int wrong = 0;
  for (const auto& [lead, e] : events) {
    for (const char* kind : kKinds) {
      if (e.count(kind) != 1 && ++wrong <= 10)
        ADD_FAILURE() << lead << ": " << e.count(kind) << " x " << kind;
    }
    if (e.count("met") || e.count("recycle_rejected")) ADD_FAILURE() << lead << ": stray event";
  }
  EXPECT_EQ(wrong, 0);
  EXPECT_EQ(total_events(sys), expected);

  std::map<std::string, int> requests;
  for (const auto& r : sys.read("baton.routing.reassign", 2s)) ++requests[r.key];
  EXPECT_EQ(requests.size(), static_cast<size_t>(kLeads));
  for (const auto& [lead, n] : requests) EXPECT_EQ(n, 1) << lead;
  EXPECT_EQ(kills, 4);
}

}  // namespace
}  // namespace baton::test::sla
