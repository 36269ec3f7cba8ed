// Caps are per rep, across every pool the rep works in (issue 19): a rep in
// two pools with capacity 2 holds at most two open leads in total. Both pools
// are decided by one desk (the pool-requests key), so the count is exact
// whatever the number of router instances. The router's two processors on the
// in-process TopologyDriver. ctest -R PerRepCap.
#include <gtest/gtest.h>
#include <prometheus/registry.h>

#include <set>

#include "app/processors.h"
#include "app/router_config.h"
#include "baton/testing/topology_driver.h"
#include "baton/v1/lifecycle.pb.h"
#include "baton/v1/roster.pb.h"
#include "baton/v1/routing.pb.h"
#include "harness/pump.h"
#include "harness/samples.h"
#include "harness/service_world.h"
#include "router_driver.h"

namespace baton::router {
namespace {

using namespace std::chrono_literals;

v1::Rep rep(const std::string& id, const std::vector<std::string>& pools, int capacity,
            bool active) {
  v1::Rep r;
  r.set_id(id);
  for (const auto& p : pools) r.add_pools(p);
  r.set_time_zone("UTC");  // no working hours: always working
  r.set_capacity(capacity);
  r.set_active(active);
  return r;
}

struct Router : test::RouterDriver {
  Router() {
    // rep-x works dach and general with room for two open leads; general's
    // other member is inactive, so only the cap can keep rep-x from a third.
    for (const auto& r : {rep("rep-x", {"dach", "general"}, 2, true),
                          rep("rep-y", {"general"}, 0, false), rep("rep-mgr", {}, 0, true)})
      put(r);
  }

  void capture(const std::string& lead, const std::string& country, runtime::TimePoint at) {
    auto l = fuzz::sample_lead(lead, lead + "-cap", at);
    l.mutable_person()->set_email(lead + "@" + lead + ".example");  // one person each
    l.mutable_company()->set_country(country);
    l.set_source(country == "DE" ? "web" : "webinar");  // webinar: the general pool
    d.pipe(s->topics.captured, lead, l, at);
  }
  std::vector<v1::RoutingEvent> events(const std::string& lead) const {
    std::vector<v1::RoutingEvent> out;
    for (const auto& ev : d.read<v1::RoutingEvent>(s->topics.routing))
      if ((ev.has_assignment() && ev.assignment().envelope().lead_id() == lead) ||
          (ev.has_held() && ev.held().envelope().lead_id() == lead))
        out.push_back(ev);
    return out;
  }
  std::string owner(const std::string& lead) const {
    for (const auto& ev : events(lead))
      if (ev.has_assignment()) return ev.assignment().owner_rep_id();
    return {};
  }
};

TEST(PerRepCap, CapacityCountsEveryPoolOfTheRep) {
  Router r;
  const auto t0 = fuzz::fuzz_now();
  r.capture("L-1", "DE", t0);
  r.capture("L-2", "DE", t0 + 1s);
  ASSERT_TRUE(r.d.rejections().empty()) << r.d.rejection_details()[0];
  EXPECT_EQ(r.owner("L-1"), "rep-x");
  EXPECT_EQ(r.owner("L-2"), "rep-x");

  // A general-pool lead: rep-x has no lead in general, but two open in dach.
  r.capture("L-3", "FR", t0 + 2s);
  ASSERT_TRUE(r.d.rejections().empty()) << r.d.rejection_details()[0];
  EXPECT_EQ(r.owner("L-3"), "") << "rep-x is at capacity across pools";
  bool held_at_capacity = false;
  for (const auto& ev : r.events("L-3"))
    if (ev.has_held())
      for (const auto& sk : ev.held().skipped())
        held_at_capacity |= sk.rep_id() == "rep-x" && sk.reason() == "at_capacity";
  EXPECT_TRUE(held_at_capacity) << "the hold names rep-x's cap";

  // L-1 is won: rep-x's slot frees, and the held lead goes to rep-x.
  r.d.pipe(r.s->topics.lifecycle, "L-1",
           fuzz::sample_transition("L-1", "L-1-won", v1::STAGE_WON, t0 + 1h), t0 + 1h);
  r.d.advance(t0 + 1h + r.s->routing.held_retry + 1s);
  ASSERT_TRUE(r.d.rejections().empty()) << r.d.rejection_details()[0];
  EXPECT_EQ(r.owner("L-3"), "rep-x");
}

TEST(PerRepCap, EveryPoolOfADeskIsDecidedByOneTask) {
  Router r;
  const auto t0 = fuzz::fuzz_now();
  r.capture("L-1", "DE", t0);
  r.capture("L-3", "FR", t0 + 1s);
  std::set<std::string> keys;
  for (const auto& rec : r.d.output(r.s->topics.pool_requests)) keys.insert(rec.key);
  EXPECT_EQ(keys, (std::set<std::string>{kDefaultDesk}))
      << "both pools' requests share one key, so one task owns every rep's count";
}

}  // namespace
}  // namespace baton::router
