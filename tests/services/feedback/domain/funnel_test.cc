#include "domain/funnel.h"

#include <gtest/gtest.h>

namespace baton::feedback {
namespace {

state::FunnelCounts reached(int64_t captured, int64_t contacted, int64_t qualified,
                            int64_t opportunity, int64_t won) {
  state::FunnelCounts c;
  auto& m = *c.mutable_reached();
  m[v1::STAGE_CAPTURED] = captured;
  m[v1::STAGE_CONTACTED] = contacted;
  m[v1::STAGE_QUALIFIED] = qualified;
  m[v1::STAGE_OPPORTUNITY] = opportunity;
  m[v1::STAGE_WON] = won;
  return c;
}

TEST(Funnel, CountsStagesAndDispositions) {
  state::FunnelCounts c;
  count(c, {"google", "spring", v1::STAGE_CAPTURED, {}});
  count(c, {"google", "spring", v1::STAGE_REJECTED, "wrong_icp"});
  count(c, {"google", "spring", v1::STAGE_REJECTED, "wrong_icp", false});  // same lead again
  EXPECT_EQ(c.reached().at(v1::STAGE_CAPTURED), 1);
  EXPECT_EQ(c.reached().at(v1::STAGE_REJECTED), 1);
  EXPECT_EQ(c.dispositions().at("wrong_icp"), 2);
}

TEST(Funnel, RatesPerRow) {
  const auto rows = funnel_report({{"google", reached(100, 50, 20, 10, 4)}}, 10);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_DOUBLE_EQ(rows[0].lead_to_contact, 0.5);
  EXPECT_DOUBLE_EQ(rows[0].contact_to_qualified, 0.4);
  EXPECT_DOUBLE_EQ(rows[0].qualified_to_opportunity, 0.5);
  EXPECT_DOUBLE_EQ(rows[0].opportunity_to_won, 0.4);
}

TEST(Funnel, ZeroDenominatorGivesZeroRate) {
  const auto rows = funnel_report({{"x", reached(0, 0, 0, 0, 0)}}, 0);
  EXPECT_DOUBLE_EQ(rows[0].lead_to_contact, 0);
}

TEST(Funnel, CampaignsBeyondTopNFoldIntoOther) {
  std::map<std::string, state::FunnelCounts> by{{"a", reached(5, 1, 0, 0, 0)},
                                                {"b", reached(50, 10, 0, 0, 0)},
                                                {"c", reached(20, 2, 0, 0, 0)},
                                                {"d", reached(1, 1, 0, 0, 0)}};
  const auto rows = funnel_report(by, 2);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].key, "b");
  EXPECT_EQ(rows[1].key, "c");
  EXPECT_EQ(rows[2].key, "other");
  EXPECT_EQ(rows[2].counts.reached().at(v1::STAGE_CAPTURED), 6);
  EXPECT_DOUBLE_EQ(rows[2].lead_to_contact, 2.0 / 6.0);
  EXPECT_EQ(funnel_report(by, 0).size(), 4u);
}

TEST(Funnel, KeysUseNoneForEmpty) {
  EXPECT_EQ(funnel_source_key(""), "funnel/source/(none)");
  EXPECT_EQ(funnel_campaign_key("spring"), "funnel/campaign/spring");
}

TEST(BoundedLabels, AdmitsPinnedAndFirstNThenOther) {
  BoundedLabels labels(2, {"pinned"});
  EXPECT_EQ(labels.label("a"), "a");
  EXPECT_EQ(labels.label("pinned"), "pinned");
  EXPECT_EQ(labels.label("b"), "b");
  EXPECT_EQ(labels.label("c"), "other");
  EXPECT_EQ(labels.label("a"), "a");
  EXPECT_EQ(labels.label(""), "other");
}

}  // namespace
}  // namespace baton::feedback
