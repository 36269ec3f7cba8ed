// The open transaction's writes over committed state: read-your-writes,
// deletes that shadow committed values, and a merged ordered scan.
#include "state/overlay.h"

#include <gtest/gtest.h>

#include <utility>
#include <vector>

#include "map_state.h"

namespace baton::runtime {
namespace {

using testing::MapState;
using KV = std::pair<std::string, std::string>;

std::vector<KV> scan_all(const Overlay& o, std::string_view prefix, size_t stop_after = SIZE_MAX) {
  std::vector<KV> out;
  o.scan(prefix, [&](std::string_view k, std::string_view v) {
    out.emplace_back(std::string(k), std::string(v));
    return out.size() < stop_after;
  });
  return out;
}

TEST(Overlay, ReadsCommittedValueWhenNothingPending) {
  MapState base;
  base.data["a"] = "1";
  Overlay o(base);
  EXPECT_EQ(o.get("a"), std::optional<std::string>("1"));
  EXPECT_EQ(o.get("b"), std::nullopt);
  EXPECT_TRUE(o.empty());
}

TEST(Overlay, ReadsItsOwnWritesBeforeCommit) {
  MapState base;
  base.data["a"] = "1";
  Overlay o(base);
  o.put("a", "2");
  o.put("new", "x");
  EXPECT_EQ(o.get("a"), std::optional<std::string>("2"));
  EXPECT_EQ(o.get("new"), std::optional<std::string>("x"));
  // Committed state is untouched until the commit.
  EXPECT_EQ(base.data.at("a"), "1");
  EXPECT_FALSE(base.data.count("new"));
}

TEST(Overlay, DeleteShadowsCommittedValue) {
  MapState base;
  base.data["a"] = "1";
  Overlay o(base);
  o.del("a");
  EXPECT_EQ(o.get("a"), std::nullopt);
  EXPECT_EQ(base.data.at("a"), "1");
  o.put("a", "3");  // later write wins
  EXPECT_EQ(o.get("a"), std::optional<std::string>("3"));
}

TEST(Overlay, TakeReturnsPendingInKeyOrderAndEmpties) {
  MapState base;
  Overlay o(base);
  o.put("b", "2");
  o.del("c");
  o.put("a", "1");
  auto w = o.take();
  ASSERT_EQ(w.size(), 3u);
  EXPECT_EQ(w[0], Write("a", "1"));
  EXPECT_EQ(w[1], Write("b", "2"));
  EXPECT_EQ(w[2], Write("c", std::nullopt));
  EXPECT_TRUE(o.empty());
}

TEST(Overlay, ClearDiscardsPendingWrites) {
  MapState base;
  base.data["a"] = "1";
  Overlay o(base);
  o.put("a", "2");
  o.clear();
  EXPECT_EQ(o.get("a"), std::optional<std::string>("1"));
}

TEST(Overlay, MergedScanIsOrderedWithPendingShadowingCommitted) {
  MapState base;
  base.data = {{"p/b", "B"}, {"p/d", "D"}, {"p/f", "F"}, {"q/x", "X"}, {"o/z", "Z"}};
  Overlay o(base);
  o.put("p/a", "a*");  // before all committed
  o.put("p/d", "d*");  // overrides committed
  o.del("p/f");        // deletes committed
  o.put("p/e", "e*");  // between committed
  o.put("p/g", "g*");  // after all committed
  o.del("p/zz");       // delete of a key nobody has
  o.put("q/y", "Y");   // other prefix
  std::vector<KV> want{{"p/a", "a*"}, {"p/b", "B"}, {"p/d", "d*"}, {"p/e", "e*"}, {"p/g", "g*"}};
  EXPECT_EQ(scan_all(o, "p/"), want);
}

TEST(Overlay, ScanOfOnlyPendingOrOnlyCommitted) {
  MapState base;
  base.data = {{"c/1", "x"}, {"c/2", "y"}};
  Overlay o(base);
  EXPECT_EQ(scan_all(o, "c/"), (std::vector<KV>{{"c/1", "x"}, {"c/2", "y"}}));
  o.put("n/1", "z");
  EXPECT_EQ(scan_all(o, "n/"), (std::vector<KV>{{"n/1", "z"}}));
  o.del("c/1");
  o.del("c/2");
  EXPECT_TRUE(scan_all(o, "c/").empty());
}

TEST(Overlay, ScanStopsEarlyWhateverSideTheStopFallsOn) {
  MapState base;
  base.data = {{"k/2", "c2"}, {"k/4", "c4"}, {"k/6", "c6"}};
  Overlay o(base);
  o.put("k/1", "p1");
  o.put("k/3", "p3");
  o.put("k/4", "p4");
  o.put("k/7", "p7");
  // Full merged order: 1(p) 2(c) 3(p) 4(p over c) 6(c) 7(p).
  for (size_t n = 1; n <= 6; ++n) {
    auto got = scan_all(o, "k/", n);
    ASSERT_EQ(got.size(), n) << "stop after " << n;
  }
  EXPECT_EQ(scan_all(o, "k/", 1), (std::vector<KV>{{"k/1", "p1"}}));
  EXPECT_EQ(scan_all(o, "k/", 2), (std::vector<KV>{{"k/1", "p1"}, {"k/2", "c2"}}));
  EXPECT_EQ(scan_all(o, "k/", 4).back(), KV("k/4", "p4"));
  EXPECT_EQ(scan_all(o, "k/", 5).back(), KV("k/6", "c6"));
  EXPECT_EQ(scan_all(o, "k/").size(), 6u);
}

TEST(Overlay, ScanSkipsDeletedPendingBeforeStop) {
  MapState base;
  base.data = {{"k/1", "c1"}, {"k/3", "c3"}};
  Overlay o(base);
  o.del("k/1");
  o.del("k/2");
  EXPECT_EQ(scan_all(o, "k/", 1), (std::vector<KV>{{"k/3", "c3"}}));
}

}  // namespace
}  // namespace baton::runtime
