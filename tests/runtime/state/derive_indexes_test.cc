// The changelog leaves out the two secondary indexes (timer id -> due, dedup
// expiry -> id); restore rebuilds them. A store restored from the changelog
// alone must equal the store that wrote it, whatever the timers and the
// de-duplication window went through.
#include <gtest/gtest.h>

#include <random>

#include "map_state.h"
#include "state/overlay.h"

namespace baton::runtime {
namespace {

using testing::MapState;

// Commits `live` into `local` as the engine does, and replays the changelog
// records it would send into `restored` (in batches of `batch`).
void commit_and_restore(Overlay& live, MapState& local, MapState& restored, size_t batch) {
  std::vector<Write> changelog;
  for (const auto& [k, v] : live.pending())
    if (keys::changelogged(k)) changelog.emplace_back(k, v);
  local.commit(live);
  for (size_t i = 0; i < changelog.size(); i += batch) {
    std::vector<Write> part(
        changelog.begin() + static_cast<long>(i),
        changelog.begin() + static_cast<long>(std::min(i + batch, changelog.size())));
    auto writes =
        derive_indexes(std::move(part), [&](std::string_view k) { return restored.get(k); });
    for (auto& [k, v] : writes) {
      if (v)
        restored.data[k] = *v;
      else
        restored.data.erase(k);
    }
  }
}

TEST(DeriveIndexes, TheChangelogCarriesNoSecondaryIndex) {
  EXPECT_FALSE(keys::changelogged(keys::timer_id("a")));
  EXPECT_FALSE(keys::changelogged(keys::dedup_expiry(5, "e")));
  EXPECT_TRUE(keys::changelogged(keys::timer_due(5, "a")));
  EXPECT_TRUE(keys::changelogged(keys::dedup("e")));
  EXPECT_TRUE(keys::changelogged("lead/L1"));
}

TEST(DeriveIndexes, ATimerMovedEarlierKeepsItsIndex) {
  MapState local, restored;
  Overlay live(local);
  set_timer(live, Timer{"a", from_millis(9000), "p"});
  commit_and_restore(live, local, restored, 100);
  // The new due key sorts before the old one: the put comes before the delete.
  set_timer(live, Timer{"a", from_millis(100), "p"});
  commit_and_restore(live, local, restored, 100);
  EXPECT_EQ(restored.data, local.data);
  Overlay check(restored);
  ASSERT_EQ(due_timers(check, 100, 10).size(), 1u);
}

TEST(DeriveIndexes, RandomHistoriesRestoreToTheSameStore) {
  for (int seed = 1; seed <= 40; ++seed) {
    std::mt19937 rng(static_cast<unsigned>(seed));
    MapState local, restored;
    Overlay live(local);
    int64_t now = 1000;
    const size_t batch = 1 + rng() % 7;
    for (int txn = 0; txn < 30; ++txn) {
      for (int op = 0; op < 12; ++op) {
        const std::string id = "t" + std::to_string(rng() % 8);
        switch (rng() % 6) {
          case 0:
          case 1:
            set_timer(live, Timer{id, from_millis(now + static_cast<int64_t>(rng() % 400) - 100),
                                  "p" + id});
            break;
          case 2:
            cancel_timer(live, id);
            break;
          case 3:
            for (const auto& t : due_timers(live, now, 3)) remove_timer(live, t);
            break;
          case 4:
            remember(live, "e" + std::to_string(rng() % 8),
                     now + static_cast<int64_t>(rng() % 300));
            break;
          default:
            expire_dedup(live, now, 2);
        }
        now += static_cast<int64_t>(rng() % 40);
      }
      commit_and_restore(live, local, restored, batch);
      ASSERT_EQ(restored.data, local.data) << "seed " << seed << " transaction " << txn;
    }
  }
}

}  // namespace
}  // namespace baton::runtime
