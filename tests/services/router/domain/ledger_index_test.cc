// The pool ledger's index by rep (issue 18 point 3: selection in a pool of n
// members costs O(n) per request, not O(n^2)). ctest -R O1Lookups.
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "domain/selection.h"
#include "fixtures.h"

namespace baton::router {
namespace {

using test::at;
using test::make_pool;
using test::rep;

v1::PoolLedger ledger_of(std::initializer_list<std::pair<const char*, double>> entries) {
  v1::PoolLedger ledger;
  ledger.set_seq(7);
  for (const auto& [id, credit] : entries) {
    auto* e = ledger.add_entries();
    e->set_rep_id(id);
    e->set_credit(credit);
  }
  return ledger;
}

TEST(O1Lookups, LedgerIndexFindsWhatFindEntryFinds) {
  v1::PoolLedger ledger = ledger_of({{"a", 3}, {"b", 1.5}, {"c", 2}, {"b", 9}});
  LedgerIndex index(ledger);
  for (const char* id : {"a", "b", "c", "zz"})
    EXPECT_EQ(index.find(id), find_entry(ledger, id)) << id;
  EXPECT_EQ(index.find("b")->credit(), 1.5) << "the first entry of a rep wins, as in find_entry";
  EXPECT_EQ(&index.entry_for("c"), find_entry(ledger, "c")) << "an existing entry, not a copy";
  EXPECT_EQ(ledger.entries_size(), 4);
}

TEST(O1Lookups, LedgerIndexJoinsAsEntryForDoes) {
  v1::PoolLedger a = ledger_of({{"a", 3}, {"b", 1.5}});
  v1::PoolLedger b = a;
  LedgerIndex index(b);
  const v1::LedgerEntry& by_index = index.entry_for("new");
  const v1::LedgerEntry& by_search = entry_for(a, "new");
  EXPECT_EQ(by_index.credit(), 1.5) << "joins at the current position: the lowest credit";
  EXPECT_EQ(by_index.credit(), by_search.credit());
  EXPECT_EQ(by_index.last_seq(), 7) << "at the back of the current round";
  EXPECT_EQ(by_index.last_seq(), by_search.last_seq());
  EXPECT_EQ(index.find("new"), &b.entries(2));
  EXPECT_EQ(&index.entry_for("new"), &b.entries(2)) << "a second call finds the joined entry";
  EXPECT_EQ(b.entries_size(), 3);

  // After booking, joins follow the new lowest credit once refreshed.
  b.mutable_entries(1)->set_credit(5);
  b.mutable_entries(2)->set_credit(5);
  index.refresh_join_credit();
  EXPECT_EQ(index.entry_for("later").credit(), 3);
}

TEST(O1Lookups, EmptyLedgerJoinsAtZero) {
  v1::PoolLedger ledger;
  LedgerIndex index(ledger);
  EXPECT_EQ(index.find("a"), nullptr);
  EXPECT_EQ(index.entry_for("a").credit(), 0);
  EXPECT_EQ(index.entry_for("b").credit(), 0);
  EXPECT_EQ(ledger.entries_size(), 2);
}

// A pool of 300 members, a third of them off (inactive), over two full
// rounds: each working member gets exactly two leads, in id order, and the
// ledger holds one entry per member (the index adds no duplicates).
TEST(O1Lookups, LargePoolRotatesFairlyWithOneEntryPerMember) {
  PoolConfig pool = make_pool("p");
  Roster ros;
  int working = 0;
  for (int i = 0; i < 300; ++i) {
    char id[16];
    std::snprintf(id, sizeof id, "r%03d", i);
    v1::Rep r = rep(id, "p");
    if (i % 3 == 0)
      r.set_active(false);
    else
      ++working;
    ros.reps[id] = r;
  }
  ros.index();
  v1::PoolLedger ledger;
  std::map<std::string, int> got;
  std::string previous;
  v1::PoolRequest req;
  for (int n = 0; n < 2 * working; ++n) {
    Selection sel =
        select_owner(req, pool, ros, ledger, time::system_zones(), at("2024-03-29T10:00:00Z"));
    ASSERT_FALSE(sel.rep_id.empty());
    if (n % working != 0) {
      EXPECT_LT(previous, sel.rep_id) << "id order within a round";
    }
    previous = sel.rep_id;
    ++got[sel.rep_id];
    EXPECT_EQ(sel.skipped.size(), 299u);
  }
  EXPECT_EQ(static_cast<int>(got.size()), working);
  for (const auto& [id, count] : got) EXPECT_EQ(count, 2) << id;
  EXPECT_EQ(ledger.entries_size(), 300);
  std::map<std::string, int> entries;
  for (const auto& e : ledger.entries()) ++entries[e.rep_id()];
  for (const auto& [id, count] : entries) EXPECT_EQ(count, 1) << id;
}

}  // namespace
}  // namespace baton::router
