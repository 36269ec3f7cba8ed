// The typed PoolRequest kind through the router's processors on the
// in-process TopologyDriver (ctest -R TypedContract): a request an earlier
// build wrote (the string kind only) is read as its kind, and a request with
// no known kind is dead-lettered with a named reason, never assigned.
#include <gtest/gtest.h>
#include <prometheus/registry.h>

#include <set>

#include "app/processors.h"
#include "app/router_config.h"
#include "baton/runtime/events.h"
#include "baton/testing/topology_driver.h"
#include "baton/v1/contract.h"
#include "baton/v1/roster.pb.h"
#include "baton/v1/router_state.pb.h"
#include "baton/v1/routing.pb.h"
#include "harness/samples.h"
#include "harness/service_world.h"
#include "router_driver.h"

namespace baton::router {
namespace {

using namespace std::chrono_literals;

// What an earlier build wrote: field 13 (the deprecated string) only.
v1::PoolRequest legacy(v1::PoolRequest r, const std::string& kind) {
  r.clear_request_kind();
  r.GetReflection()->SetString(&r, v1::PoolRequest::descriptor()->FindFieldByNumber(13), kind);
  return r;
}

struct Router : test::RouterDriver {
  Router() {
    v1::Rep x;  // no working hours: always working; no caps
    x.set_id("rep-x");
    x.add_pools("dach");
    x.add_pools("general");
    x.set_time_zone("UTC");
    x.set_active(true);
    put(x);
  }

  // A request sent to the pool desk as the lead desk would (keyed by desk).
  void send(const v1::PoolRequest& r, runtime::TimePoint at) {
    d.pipe(s->topics.pool_requests, desk_of(s->routing, r.pool()), r, at);
  }
  std::optional<std::string> open_slot(const std::string& pool, const std::string& lead) const {
    return d.state(kPoolDeskName).get("open/" + pool + "/" + lead);
  }
};

TEST(TypedContract, LegacyAssignAndReleasePassThroughThePoolDesk) {
  Router r;
  const auto t0 = fuzz::fuzz_now();
  r.send(legacy(fuzz::sample_pool_request("L-1", "pr-1", t0), "assign"), t0);
  ASSERT_TRUE(r.d.rejections().empty()) << r.d.rejection_details()[0];
  auto a = r.assignments("L-1");
  ASSERT_EQ(a.size(), 1u);
  EXPECT_EQ(a[0].owner_rep_id(), "rep-x");
  EXPECT_EQ(r.open_slot("dach", "L-1"), "rep-x");

  // The lead closes; an old build's release frees the slot.
  auto rel = fuzz::sample_pool_request("L-1", "pr-2", t0 + 1h);
  rel.set_release_rep_id("rep-x");
  r.send(legacy(rel, "release"), t0 + 1h);
  ASSERT_TRUE(r.d.rejections().empty()) << r.d.rejection_details()[0];
  EXPECT_FALSE(r.open_slot("dach", "L-1").has_value());
  EXPECT_EQ(r.assignments("L-1").size(), 1u) << "a release assigns nobody";
}

TEST(TypedContract, LegacyWithdrawStopsHoldingTheLead) {
  Router r;
  const auto t0 = fuzz::fuzz_now();
  auto req = fuzz::sample_pool_request("L-2", "pr-1", t0);
  req.add_excluded_reps("rep-x");  // nobody else: held
  req.set_fallback_pool("");
  r.send(req, t0);
  ASSERT_TRUE(r.d.rejections().empty()) << r.d.rejection_details()[0];
  ASSERT_TRUE(r.d.state(kPoolDeskName).get("held/dach/L-2").has_value());
  r.send(legacy(fuzz::sample_pool_request("L-2", "pr-2", t0 + 1min), "withdraw"), t0 + 1min);
  ASSERT_TRUE(r.d.rejections().empty()) << r.d.rejection_details()[0];
  EXPECT_FALSE(r.d.state(kPoolDeskName).get("held/dach/L-2").has_value());
}

TEST(TypedContract, ARequestWithoutAKnownKindIsDeadLettered) {
  Router r;
  const auto t0 = fuzz::fuzz_now();
  auto none = fuzz::sample_pool_request("L-3", "pr-1", t0);
  none.clear_request_kind();
  r.send(legacy(none, ""), t0);  // neither field
  r.send(legacy(fuzz::sample_pool_request("L-4", "pr-1", t0), "reassign"), t0);
  ASSERT_EQ(r.d.rejections(), (std::vector<std::string>{"unknown_enum", "unknown_enum"}));
  EXPECT_NE(r.d.rejection_details()[0].find("request_kind"), std::string::npos)
      << r.d.rejection_details()[0];
  EXPECT_TRUE(r.assignments("L-3").empty());
  EXPECT_TRUE(r.assignments("L-4").empty());
  EXPECT_FALSE(r.d.state(kPoolDeskName).get("ledger/dach").has_value()) << "nothing decided";
}

TEST(TypedContract, ForwardIdsKeepTheLegacyPurpose) {
  // The fallback hop's ids are derived from the kinds' legacy names, so a
  // replay across the upgrade yields the ids the earlier build wrote. dach and
  // general share the example's one desk, so the hop and its answer are
  // decided in place (no record): the LeadHeld's id carries the whole chain.
  Router r;
  const auto t0 = fuzz::fuzz_now();
  auto req = fuzz::sample_pool_request("L-5", "pr-1", t0);
  req.add_excluded_reps("rep-x");  // nobody in dach nor general: held
  r.send(req, t0);
  ASSERT_TRUE(r.d.rejections().empty()) << r.d.rejection_details()[0];
  EXPECT_EQ(r.d.output(r.s->topics.pool_requests).size(), 0u)
      << "a fallback on the same desk is not a round trip through the topic";
  std::vector<v1::LeadHeld> held;
  for (const auto& ev : r.d.read<v1::RoutingEvent>(r.s->topics.routing))
    if (ev.has_held()) held.push_back(ev.held());
  ASSERT_EQ(held.size(), 1u);
  EXPECT_EQ(held[0].pool(), "dach");
  // No ce_id header or source in the driver: the input id is the envelope's.
  const std::string hop = runtime::derive_event_id("pr-1", "forward/fallback");
  const std::string answer = runtime::derive_event_id(hop, "forward/fallback_none");
  EXPECT_EQ(held[0].envelope().event_id(), runtime::derive_event_id(answer, "held"));
}

}  // namespace
}  // namespace baton::router
