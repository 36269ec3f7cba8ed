// Issue 5 #2/#3 end to end: the same event id twice, the same person under
// another lead id within the window, and the email domain of an account.
#include <gtest/gtest.h>

#include "baton/v1/contract.h"
#include "baton/v1/router_state.pb.h"
#include "router_system.h"

namespace baton::test::router {
namespace {

using namespace std::chrono_literals;

// Asks for an owner of a lead on the pool-request topic: an assign request,
// or an identity check carrying the capture's request (the identity desk
// decides it in place).
int owner_asks_for(System& sys, const std::string& lead_id) {
  int n = 0;
  for (const auto& r : sys.read("baton-router-pool-requests", 2s)) {
    const std::string* type = r.header("ce_type");
    if (type && *type == "baton.v1.IdentityCheck") {
      v1::IdentityCheck check;
      if (check.ParseFromString(r.value) && check.lead().envelope().lead_id() == lead_id)
        n += check.pool_requests_size();
      continue;
    }
    v1::PoolRequest req;
    if (req.ParseFromString(r.value) && req.envelope().lead_id() == lead_id &&
        v1::pool_request_kind(req) == v1::POOL_REQUEST_KIND_ASSIGN)
      ++n;
  }
  return n;
}

bool has_score_update(System& sys, const std::string& lead_id, int min_count) {
  int n = 0;
  for (const auto& r : sys.read("baton.routing.events")) {
    v1::RoutingEvent ev;
    if (ev.ParseFromString(r.value) && ev.has_score_updated() &&
        ev.score_updated().envelope().lead_id() == lead_id)
      ++n;
  }
  return n >= min_count;
}

TEST(RouterDedupAccount, DuplicatesMergeAndAccountsGoToTheirOwner) {
  System sys("router-dedup");
  sys.create_topics();
  auto roster = standard_roster();
  roster.push_back(rep("acct-owner", {"rr"}));
  send_roster(sys, roster);
  v1::Account acc;
  acc.set_id("A1");
  acc.set_name("Acme");
  acc.add_domains("acme-acct.example");
  acc.set_owner_rep_id("acct-owner");
  sys.send("baton.roster.accounts", "A1", acc);
  start_routers(sys, 1);
  ASSERT_TRUE(sys.all_ready(180s)) << sys.dir();
  const int port = sys.port("router", "r0");

  // 1. Same event id twice: one assignment.
  sys.send("baton.leads.captured", "D1", lead("D1", "rr"), "cap-D1");
  sys.send("baton.leads.captured", "D1", lead("D1", "rr"), "cap-D1");
  ASSERT_TRUE(wait_until([&] { return assignments(sys).count("D1") > 0; }, 120s, 200ms))
      << sys.dir();
  ASSERT_TRUE(wait_until(
      [&] {
        auto d = metric(port, "baton_duplicates_total");
        return d && *d >= 1;
      },
      120s, 200ms))
      << "the duplicate was never seen; " << sys.dir();
  EXPECT_EQ(assignments(sys)["D1"].size(), 1u);
  EXPECT_EQ(owner_asks_for(sys, "D1"), 1) << "the duplicate asked again";

  // 2. Same person (same email, another lead id, within the window): merged
  // into the first lead, no second assignment.
  auto first = lead("P1", "rr", "Pat.Doe+web@samecorp.example");
  first.set_trigger_signal("content_download");
  sys.send("baton.leads.captured", "P1", first, "cap-P1");
  ASSERT_TRUE(wait_until([&] { return assignments(sys).count("P1") > 0; }, 120s, 200ms))
      << sys.dir();
  ASSERT_TRUE(wait_until([&] { return has_score_update(sys, "P1", 1); }, 60s, 200ms));
  auto again = lead("P2", "rr", "pat.doe@SameCorp.example");
  again.set_trigger_signal("pricing_page_view");
  sys.send("baton.leads.captured", "P2", again, "cap-P2");
  // The merge re-scores P1 (intent rose) in the transaction that would also
  // have asked for a second owner.
  ASSERT_TRUE(wait_until([&] { return has_score_update(sys, "P1", 2); }, 120s, 200ms))
      << "merge not applied to P1; " << sys.dir();
  ASSERT_TRUE(resolves_to(port, "P2", "P1", 120s))
      << "P2 does not resolve to P1's decision; " << sys.dir();
  auto all = assignments(sys);
  EXPECT_EQ(all["P1"].size(), 1u);
  EXPECT_EQ(all.count("P2"), 0u) << "the same person got a second assignment";
  EXPECT_EQ(owner_asks_for(sys, "P1"), 1);
  // P2's own ask went to the identity desk with its check, which merged it
  // instead (no assignment above); nothing asked again after that.
  EXPECT_EQ(owner_asks_for(sys, "P2"), 1);

  // 3. Email domain of an account: the account owner, ahead of the rotation.
  sys.send("baton.leads.captured", "C1", lead("C1", "rr", "buyer@Acme-Acct.example"), "cap-C1");
  // A free-mail address never matches an account.
  sys.send("baton.leads.captured", "C2", lead("C2", "rr", "someone@gmail.com"), "cap-C2");
  ASSERT_TRUE(wait_until(
      [&] {
        auto a = assignments(sys);
        return a.count("C1") && a.count("C2");
      },
      120s, 200ms))
      << sys.dir();
  auto a = assignments(sys);
  EXPECT_EQ(a["C1"].front().owner_rep_id(), "acct-owner");
  EXPECT_EQ(a["C1"].front().handoff().selection(), "account_owner");
  EXPECT_NE(a["C2"].front().handoff().selection(), "account_owner");
}

}  // namespace
}  // namespace baton::test::router
