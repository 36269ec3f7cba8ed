// The domain's half of the O(1) lookups (issue 18 point 3): the account index
// answers as the scan of the accounts table did, and an indexed roster lists
// the same members as a scan. ctest -R O1Lookups.
#include <gtest/gtest.h>

#include "domain/identity.h"
#include "domain/selection.h"
#include "fixtures.h"

namespace baton::router {
namespace {

v1::Account account(const std::string& id, const std::vector<std::string>& domains) {
  v1::Account a;
  a.set_id(id);
  for (auto& d : domains) a.add_domains(d);
  return a;
}

std::vector<std::string> ids(const std::vector<const v1::Rep*>& reps) {
  std::vector<std::string> out;
  out.reserve(reps.size());
  for (const auto* r : reps) out.push_back(r->id());
  return out;
}

TEST(O1Lookups, TheAccountIndexFindsTheFirstAccountNamingADomainLowerCased) {
  AccountIndex index;
  index.add(account("acc-1", {"Contoso.Example", "contoso.example"}));
  index.add(account("acc-2", {"northwind.example", "CONTOSO.example"}));
  ASSERT_NE(index.find("contoso.example"), nullptr);
  EXPECT_EQ(index.find("contoso.example")->id(), "acc-1") << "first in table order";
  EXPECT_EQ(index.find("northwind.example")->id(), "acc-2");
  EXPECT_EQ(index.find("Contoso.Example"), nullptr) << "the query is given lower case";
  EXPECT_EQ(index.find("fabrikam.example"), nullptr);
  EXPECT_EQ(index.size(), 2u);

  // Through match_account, as the lead desk asks it.
  v1::LeadCaptured lead;
  lead.mutable_person()->set_email("anna@contoso.example");
  auto m = match_account(lead, {}, index.lookup());
  ASSERT_TRUE(m);
  EXPECT_EQ(m->account.id(), "acc-1");
  EXPECT_EQ(m->by, kMatchedByEmailDomain);
}

TEST(O1Lookups, AnIndexedRosterListsTheMembersAScanLists) {
  Roster roster;
  for (auto r :
       {test::rep("rep-c", "dach"), test::rep("rep-a", "dach"), test::rep("rep-b", "general")}) {
    r.add_pools("general");
    r.add_pools("general");  // named twice: listed once
    roster.reps[r.id()] = r;
  }
  const auto scanned_dach = ids(roster.members("dach"));
  const auto scanned_general = ids(roster.members("general"));
  roster.index();
  EXPECT_EQ(ids(roster.members("dach")), scanned_dach);
  EXPECT_EQ(ids(roster.members("general")), scanned_general);
  EXPECT_EQ(scanned_dach, (std::vector<std::string>{"rep-a", "rep-c"}));
  EXPECT_EQ(scanned_general, (std::vector<std::string>{"rep-a", "rep-b", "rep-c"}));
  EXPECT_TRUE(roster.members("atlantis").empty());

  // A copy's index points at the copy's reps, not the original's.
  Roster copy = roster;
  roster.reps.clear();
  roster.index();
  ASSERT_EQ(copy.members("dach").size(), 2u);
  EXPECT_EQ(copy.members("dach")[0], copy.find("rep-a"));
}

TEST(O1Lookups, AnIndexedRosterBuildsEachRepsCalendarOnceWithTheSameDecisions) {
  Roster roster;
  for (const auto& r : {test::rep("rep-a", "dach", "Europe/Berlin"), test::rep("rep-b", "dach"),
                        test::rep("rep-c", "dach", "Nowhere/Unknown")}) {
    roster.reps[r.id()] = r;
  }
  roster.reps["rep-b"].add_holidays("2024-07-10");
  const auto& zones = time::system_zones();
  EXPECT_EQ(roster.cached_time(*roster.find("rep-a"), zones, "UTC", nullptr), nullptr)
      << "not indexed: built per call";

  PoolConfig pool;
  pool.name = "dach";
  pool.time_zone = "Europe/Berlin";
  v1::PoolRequest req;
  req.set_pool("dach");
  std::vector<std::string> before;
  for (const char* t : {"2024-07-10T10:00:00Z", "2024-07-10T20:00:00Z", "2024-07-11T10:00:00Z"}) {
    v1::PoolLedger ledger;
    auto sel = select_owner(req, pool, roster, ledger, zones, test::at(t));
    std::string line = sel.rep_id;
    for (const auto& sk : sel.skipped) line += " " + sk.rep_id() + ":" + sk.reason();
    before.push_back(line);
  }
  roster.index();
  const RepTime* a = roster.cached_time(*roster.find("rep-a"), zones, "UTC", nullptr);
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(roster.cached_time(*roster.find("rep-a"), zones, "UTC", nullptr), a) << "kept";
  std::vector<std::string> after;
  for (const char* t : {"2024-07-10T10:00:00Z", "2024-07-10T20:00:00Z", "2024-07-11T10:00:00Z"}) {
    v1::PoolLedger ledger;
    auto sel = select_owner(req, pool, roster, ledger, zones, test::at(t));
    std::string line = sel.rep_id;
    for (const auto& sk : sel.skipped) line += " " + sk.rep_id() + ":" + sk.reason();
    after.push_back(line);
  }
  EXPECT_EQ(after, before);
  EXPECT_EQ(before[0], "rep-a rep-b:holiday rep-c:unknown_time_zone");
}

}  // namespace
}  // namespace baton::router
