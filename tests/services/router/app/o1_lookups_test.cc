// O(1) lookups (issue 18 point 3): the lead desk's account index and the
// pool desk's parsed roster are built once per change of their global table,
// not per record. An update is seen by the next lead or request; without one
// nothing is rebuilt (baton_router_global_rebuilds_total{table}). The router's
// two processors on the in-process TopologyDriver. ctest -R O1Lookups.
#include <gtest/gtest.h>
#include <prometheus/registry.h>

#include <set>

#include "app/processors.h"
#include "app/router_config.h"
#include "baton/testing/topology_driver.h"
#include "baton/v1/roster.pb.h"
#include "baton/v1/router_state.pb.h"
#include "baton/v1/routing.pb.h"
#include "harness/samples.h"
#include "harness/service_world.h"
#include "metric_value.h"
#include "router_driver.h"

namespace baton::router {
namespace {

using namespace std::chrono_literals;

v1::Rep rep(const std::string& id, const std::vector<std::string>& pools, bool active) {
  v1::Rep r;
  r.set_id(id);
  for (const auto& p : pools) r.add_pools(p);
  r.set_time_zone("UTC");  // no working hours: always working
  r.set_active(active);
  return r;
}

v1::Account account(const std::string& id, const std::vector<std::string>& domains,
                    const std::string& owner) {
  v1::Account a;
  a.set_id(id);
  for (auto& d : domains) a.add_domains(d);
  a.set_owner_rep_id(owner);
  return a;
}

struct Router : test::RouterDriver {
  using RouterDriver::put;
  void put(const std::string& key, const v1::Account& a) {
    d.put_global(s->topics.accounts, key, a.SerializeAsString());
  }
  // A DACH lead (pool dach, fallback general) from its own person at `domain`.
  void capture(const std::string& lead, const std::string& domain, runtime::TimePoint at) {
    auto l = fuzz::sample_lead(lead, lead + "-cap", at);
    l.mutable_person()->set_email(lead + "@" + domain);
    l.mutable_company()->set_domain(domain);
    d.pipe(s->topics.captured, lead, l, at);
    ASSERT_TRUE(d.rejections().empty()) << d.rejection_details()[0];
  }
  std::string account_of(const std::string& lead) const {
    v1::LeadState st;
    auto raw = d.state(kLeadDeskName).get("lead/" + lead);
    return raw && st.ParseFromString(*raw) ? st.account_id() : "(no state)";
  }
  std::string owner(const std::string& lead) const {
    std::string out;
    for (const auto& ev : d.read<v1::RoutingEvent>(s->topics.routing))
      if (ev.has_assignment() && ev.assignment().envelope().lead_id() == lead)
        out = ev.assignment().owner_rep_id();
    return out;
  }
  double rebuilds(const std::string& table) const {
    return baton::test::metric_value(registry, "baton_router_global_rebuilds_total",
                                     {{"table", table}})
        .value_or(0);
  }
};

TEST(O1Lookups, TheAccountIndexIsBuiltOnceAndAgainWhenTheAccountsChange) {
  Router r;
  for (const auto& x :
       {rep("rep-a", {}, true), rep("rep-b", {}, true), rep("rep-x", {"dach", "general"}, true)})
    r.put(x);
  r.put("acc-1", account("acc-1", {"Northwind.Example"}, "rep-a"));  // matched lower case
  r.put("acc-2", account("acc-2", {"contoso.example"}, "rep-b"));
  const auto t0 = fuzz::fuzz_now();

  r.capture("L-1", "northwind.example", t0);
  r.capture("L-2", "contoso.example", t0 + 1s);
  r.capture("L-3", "nowhere.example", t0 + 2s);
  EXPECT_EQ(r.account_of("L-1"), "acc-1");
  EXPECT_EQ(r.owner("L-1"), "rep-a") << "the account owner";
  EXPECT_EQ(r.account_of("L-2"), "acc-2");
  EXPECT_EQ(r.owner("L-2"), "rep-b");
  EXPECT_EQ(r.account_of("L-3"), "");
  EXPECT_EQ(r.owner("L-3"), "rep-x") << "no account: the pool's rotation";
  EXPECT_EQ(r.rebuilds("accounts"), 1) << "three leads, one unchanged table: one build";

  // An account earlier in key order claims northwind.example: the first one
  // in table order wins, as the scan did. The next lead sees the update.
  r.put("acc-0", account("acc-0", {"northwind.example"}, "rep-b"));
  r.capture("L-4", "northwind.example", t0 + 3s);
  EXPECT_EQ(r.account_of("L-4"), "acc-0");
  EXPECT_EQ(r.owner("L-4"), "rep-b");
  EXPECT_EQ(r.rebuilds("accounts"), 2);

  // A roster change is not an accounts change.
  r.put(rep("rep-c", {}, true));
  r.capture("L-5", "contoso.example", t0 + 4s);
  EXPECT_EQ(r.account_of("L-5"), "acc-2");
  EXPECT_EQ(r.rebuilds("accounts"), 2);
}

TEST(O1Lookups, TheRosterIsParsedOnceAndAgainWhenItChanges) {
  Router r;
  r.put(rep("rep-x", {"dach", "general"}, true));
  r.put(rep("rep-z", {"dach", "general"}, false));
  const auto t0 = fuzz::fuzz_now();

  r.capture("L-1", "a.example", t0);
  r.capture("L-2", "b.example", t0 + 1s);
  EXPECT_EQ(r.owner("L-1"), "rep-x");
  EXPECT_EQ(r.owner("L-2"), "rep-x");
  EXPECT_EQ(r.rebuilds("roster"), 1) << "two requests, one unchanged roster: one parse";

  // rep-x leaves, rep-z starts: the next request sees both.
  r.put(rep("rep-x", {"dach", "general"}, false));
  r.put(rep("rep-z", {"dach", "general"}, true));
  r.capture("L-3", "c.example", t0 + 2s);
  EXPECT_EQ(r.owner("L-3"), "rep-z");
  EXPECT_EQ(r.rebuilds("roster"), 2);

  // Nobody at work: L-4 is held, and its retries reuse the parsed roster.
  r.put(rep("rep-z", {"dach", "general"}, false));
  r.capture("L-4", "d.example", t0 + 3s);
  EXPECT_EQ(r.owner("L-4"), "");
  const double before_retries = r.rebuilds("roster");
  r.d.advance(t0 + 3s + 3 * r.s->routing.held_retry + 1s);
  EXPECT_EQ(r.owner("L-4"), "");
  EXPECT_EQ(r.rebuilds("roster"), before_retries) << "retries of an unchanged roster";

  // rep-x comes back: the held lead's next retry assigns it.
  r.put(rep("rep-x", {"dach", "general"}, true));
  r.d.advance(r.d.now() + r.s->routing.held_retry + 1s);
  EXPECT_EQ(r.owner("L-4"), "rep-x");
  EXPECT_EQ(r.rebuilds("roster"), before_retries + 1);
  ASSERT_TRUE(r.d.rejections().empty()) << r.d.rejection_details()[0];
}

TEST(O1Lookups, AnUnknownPoolIsReportedOncePerRosterChange) {
  Router r;
  r.put(rep("rep-x", {"dach", "atlantis"}, true));
  const auto t0 = fuzz::fuzz_now();
  auto unknown = [&] {
    for (const auto& fam : r.registry.Collect())
      if (fam.name == "baton_router_roster_unknown_pool_total") return fam.metric[0].counter.value;
    return -1.0;
  };
  r.capture("L-1", "a.example", t0);
  r.capture("L-2", "b.example", t0 + 1s);
  EXPECT_EQ(r.owner("L-2"), "rep-x") << "the known pool is kept";
  EXPECT_EQ(unknown(), 1);
  r.put(rep("rep-y", {"dach"}, true));  // another rep changed: rep-x not reported again
  r.capture("L-3", "c.example", t0 + 2s);
  EXPECT_EQ(unknown(), 1);
  r.put(rep("rep-x", {"general", "atlantis"}, true));  // rep-x changed: reported again
  r.capture("L-4", "d.example", t0 + 3s);
  EXPECT_EQ(unknown(), 2);
  EXPECT_EQ(r.rebuilds("roster"), 3);
}

}  // namespace
}  // namespace baton::router
