// What `baton dev demo` shows of the stream and counts (dev/stream_view.h).
#include "dev/stream_view.h"

#include <gtest/gtest.h>

#include <sstream>

namespace baton::dev {
namespace {

TEST(DevDemoStreamView, ShowsHandoffsSlaEventsAndOutcomesOnly) {
  StreamView v;
  EXPECT_EQ(v.take("10:00:01 ASSIGNED L00ab-000001 → rep-ana (tier A, pool west)", false),
            "10:00:01 ASSIGNED L00ab-000001 → rep-ana (tier A, pool west)");
  EXPECT_FALSE(v.take("10:00:00 CAPTURED L00ab-000001 web form", false));
  EXPECT_FALSE(v.take("10:00:02 SLA MET L00ab-000001 rep-ana", false));
  EXPECT_TRUE(v.take("10:00:03 SLA BREACHED L00ab-000002 rep-bo", false));
  EXPECT_TRUE(v.take("10:00:04 OUTCOME L00ab-000001 won", false));
  // A word inside another is not that word.
  EXPECT_TRUE(v.take("10:00:05 REASSIGNED L00ab-000002 rep-bo → rep-cy", false));
  EXPECT_EQ(v.seen("ASSIGNED"), 1);
  EXPECT_EQ(v.seen("REASSIGNED"), 1);
  EXPECT_EQ(v.seen("SLA MET"), 1);
  EXPECT_EQ(v.seen("SLA BREACHED"), 1);
  EXPECT_EQ(v.seen("NOT COUNTED"), 0);
}

TEST(DevDemoStreamView, ColoursByEvent) {
  StreamView v;
  EXPECT_EQ(v.take("t ESCALATED L1 rep-bo → manager mgr-1", true),
            "\033[31mt ESCALATED L1 rep-bo → manager mgr-1\033[0m");
  EXPECT_EQ(v.take("t SLA WARNING L1 rep-bo", true), "\033[33mt SLA WARNING L1 rep-bo\033[0m");
  EXPECT_EQ(v.take("t ASSIGNED L1 → rep-bo", true), "\033[32mt ASSIGNED L1 → rep-bo\033[0m");
  EXPECT_EQ(v.take("t OUTCOME L1 won", true), "\033[36mt OUTCOME L1 won\033[0m");
}

TEST(DevDemoStreamView, UntilSeenCountsExtraWords) {
  StreamView v(split_words("ASSIGNED,,CAPTURED"));
  EXPECT_FALSE(v.all_seen({"ASSIGNED", "CAPTURED"}));
  v.take("t CAPTURED L1 web", false);
  v.take("t ASSIGNED L1 → rep-a", false);
  EXPECT_TRUE(v.all_seen({"ASSIGNED", "CAPTURED"}));
  EXPECT_EQ(split_words("a,b,,c"), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_TRUE(split_words("").empty());
}

TEST(DevDemoStreamView, LeadToShowPrefersEscalatedThenOutcome) {
  StreamView v;
  EXPECT_EQ(v.lead_to_show(), "");
  v.take("t ASSIGNED L1 → rep-a", false);
  EXPECT_EQ(v.lead_to_show(), "L1");
  v.take("t OUTCOME L2 won", false);
  EXPECT_EQ(v.lead_to_show(), "L2");
  v.take("t ESCALATED L3 rep-a → manager mgr-1", false);
  v.take("t ESCALATED L4 rep-a → manager mgr-1", false);
  EXPECT_EQ(v.lead_to_show(), "L3");
}

TEST(DevDemoStreamView, SummaryNamesEveryCount) {
  StreamView v;
  v.take("t ASSIGNED L1 → rep-a", false);
  v.take("t ASSIGNED L2 → rep-b", false);
  v.take("t RECYCLE REFUSED L2 no disposition", false);
  std::ostringstream out;
  v.summary(out);
  EXPECT_NE(out.str().find("assignments 2, reassignments 0, held 0"), std::string::npos);
  EXPECT_NE(out.str().find("recycles refused 1"), std::string::npos);
}

}  // namespace
}  // namespace baton::dev
