// Response time by source and campaign in the funnel aggregate (issue 19
// point 2): ctest -R FunnelResponseTime.
#include "domain/response_time.h"

#include <gtest/gtest.h>

#include "domain/funnel.h"

namespace baton::feedback {
namespace {

TEST(FunnelResponseTime, EmptyHasNoQuantiles) {
  state::FunnelCounts c;
  const auto r = response_time(c);
  EXPECT_EQ(r.count, 0);
  EXPECT_EQ(r.p50_seconds, 0);
  EXPECT_EQ(r.p90_seconds, 0);
}

TEST(FunnelResponseTime, BucketsAreFixedAndBounded) {
  state::FunnelCounts c;
  count_rep_delay(c, 5'000);               // <= 10 s
  count_rep_delay(c, 10'000);              // <= 10 s (upper bound inclusive)
  count_rep_delay(c, 90'000);              // <= 120 s
  count_rep_delay(c, 365LL * 86'400'000);  // above every bound
  count_rep_delay(c, -5);                  // clock skew counts as 0
  EXPECT_EQ(c.rep_delay_buckets_size(), static_cast<int>(rep_delay_bounds().size()) + 1);
  EXPECT_EQ(c.rep_delay_buckets(0), 3);
  EXPECT_EQ(c.rep_delay_buckets(3), 1);
  EXPECT_EQ(c.rep_delay_buckets(c.rep_delay_buckets_size() - 1), 1);
  EXPECT_EQ(response_time(c).count, 5);
}

TEST(FunnelResponseTime, QuantilesInterpolateWithinABucket) {
  state::FunnelCounts c;
  // Ten delays between 60 and 120 s, ten between 300 and 600 s.
  for (int i = 0; i < 10; ++i) count_rep_delay(c, 100'000);
  for (int i = 0; i < 10; ++i) count_rep_delay(c, 500'000);
  const auto r = response_time(c);
  EXPECT_EQ(r.count, 20);
  EXPECT_DOUBLE_EQ(r.p50_seconds, 120);        // rank 10: the top of the 60-120 bucket
  EXPECT_DOUBLE_EQ(r.p90_seconds, 300 + 240);  // rank 18: 8/10 into 300-600
}

TEST(FunnelResponseTime, AboveEveryBoundReportsTheHighestBound) {
  state::FunnelCounts c;
  count_rep_delay(c, 10LL * 86'400'000);
  EXPECT_DOUBLE_EQ(response_time(c).p90_seconds, rep_delay_bounds().back());
}

TEST(FunnelResponseTime, MergeAddsBucketsAndTheReportFoldsOther) {
  state::FunnelCounts web, ads, events;
  count_rep_delay(web, 20'000);
  count_rep_delay(ads, 20'000);
  count_rep_delay(ads, 4'000'000);
  count_rep_delay(events, 4'000'000);
  merge(web, ads);
  EXPECT_EQ(response_time(web).count, 3);
  // Funnel rows carry the response time; rows beyond top_n fold into
  // "other" with their buckets summed.
  std::map<std::string, state::FunnelCounts> by_key{{"ads", ads}, {"events", events}, {"web", web}};
  (*by_key["web"].mutable_reached())[v1::STAGE_CAPTURED] = 10;
  const auto rows = funnel_report(by_key, 1);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].key, "web");
  EXPECT_EQ(rows[0].response_time.count, 3);
  EXPECT_EQ(rows[1].key, "other");
  EXPECT_EQ(rows[1].response_time.count, 3);
  EXPECT_GT(rows[1].response_time.p90_seconds, 3600);
}

}  // namespace
}  // namespace baton::feedback
