// The de-duplication window over input event ids.
#include <gtest/gtest.h>

#include "map_state.h"
#include "state/overlay.h"

namespace baton::runtime {
namespace {

using testing::MapState;

TEST(Dedup, UnknownIdIsNotSeen) {
  MapState base;
  Overlay s(base);
  EXPECT_FALSE(seen(s, "e1", 0));
}

TEST(Dedup, RememberedIdIsSeenWithinItsWindow) {
  MapState base;
  Overlay s(base);
  remember(s, "e1", 1000);
  EXPECT_TRUE(seen(s, "e1", 0));
  EXPECT_TRUE(seen(s, "e1", 999));
  EXPECT_FALSE(seen(s, "e1", 1000)) << "the window ends at the expiry";
  EXPECT_FALSE(seen(s, "e2", 0));
  base.commit(s);
  EXPECT_TRUE(seen(s, "e1", 500)) << "survives the commit";
}

TEST(Dedup, ExpireForgetsOnlyEndedWindows) {
  MapState base;
  Overlay s(base);
  remember(s, "old", 100);
  remember(s, "mid", 200);
  remember(s, "new", 10000);
  base.commit(s);
  EXPECT_EQ(expire_dedup(s, 200, 100), 2u);
  base.commit(s);
  EXPECT_FALSE(seen(s, "old", 0));
  EXPECT_FALSE(seen(s, "mid", 0)) << "expired ids are gone, not just out of window";
  EXPECT_TRUE(seen(s, "new", 200));
  EXPECT_EQ(expire_dedup(s, 200, 100), 0u);
  // Only "new" remains: its id key and its expiry index entry.
  EXPECT_EQ(base.data.size(), 2u);
}

TEST(Dedup, ExpireHonoursItsLimit) {
  MapState base;
  Overlay s(base);
  for (int i = 0; i < 5; ++i) remember(s, "e" + std::to_string(i), 100 + i);
  base.commit(s);
  EXPECT_EQ(expire_dedup(s, 1000, 2), 2u);
  EXPECT_FALSE(seen(s, "e0", 0));
  EXPECT_FALSE(seen(s, "e1", 0));
  EXPECT_TRUE(seen(s, "e2", 0));
  EXPECT_EQ(expire_dedup(s, 1000, 100), 3u);
  base.commit(s);
  EXPECT_TRUE(base.data.empty());
}

TEST(Dedup, RememberingAgainMovesTheExpiry) {
  MapState base;
  Overlay s(base);
  remember(s, "e1", 100);
  base.commit(s);
  remember(s, "e1", 5000);
  base.commit(s);
  // The old expiry entry is gone: expiring at 100 must not forget e1.
  EXPECT_EQ(expire_dedup(s, 100, 10), 0u);
  EXPECT_TRUE(seen(s, "e1", 4999));
  EXPECT_EQ(expire_dedup(s, 5000, 10), 1u);
  EXPECT_FALSE(seen(s, "e1", 0));
}

TEST(Dedup, IdsThatArePrefixesOfOthersStayDistinct) {
  MapState base;
  Overlay s(base);
  remember(s, "1", 100);
  remember(s, "12", 5000);
  EXPECT_EQ(expire_dedup(s, 100, 10), 1u);
  EXPECT_FALSE(seen(s, "1", 0));
  EXPECT_TRUE(seen(s, "12", 0));
}

TEST(Dedup, AnIdRememberedBelowTheLastExpiryStillExpires) {
  MapState base;
  Overlay s(base);
  remember(s, "a", 100);
  EXPECT_EQ(expire_dedup(s, 1000, 10), 1u);
  base.commit(s);
  remember(s, "b", 500);  // the clock stepped back: below the expiry scan's floor
  EXPECT_EQ(expire_dedup(s, 600, 10), 1u);
  EXPECT_FALSE(seen(s, "b", 0));
}

}  // namespace
}  // namespace baton::runtime
