#include "domain/attribution.h"

#include <gtest/gtest.h>

#include <numeric>

#include "fixtures.h"

namespace baton::feedback {
namespace {

using namespace test;

int64_t sum(const google::protobuf::RepeatedPtrField<v1::AttributionCredit>& cs) {
  int64_t s = 0;
  for (const auto& c : cs) s += c.amount_minor();
  return s;
}

state::LeadRecord lead_with_touches(int middle) {
  state::LeadRecord l;
  l.set_source("google");
  l.set_campaign("spring");
  *l.mutable_first_touch() = touch(1, "linkedin", "awareness");
  *l.mutable_creation_touch() = touch(2, "google", "spring");
  for (int i = 0; i < middle; ++i)
    *l.add_middle_touches() = touch(3 + i, "email", "nurture-" + std::to_string(i));
  *l.mutable_latest_touch() = touch(100, "webinar", "launch");
  *l.mutable_opportunity_touch() = touch(100, "webinar", "launch");
  return l;
}

TEST(Allocate, SumsExactlyAndFloorsFairly) {
  EXPECT_EQ(allocate(100, {1, 1, 1}), (std::vector<int64_t>{34, 33, 33}));
  EXPECT_EQ(allocate(2, {1, 1, 1}), (std::vector<int64_t>{1, 1, 0}));
  EXPECT_EQ(allocate(0, {30, 30, 30, 10}), (std::vector<int64_t>{0, 0, 0, 0}));
  EXPECT_EQ(allocate(-100, {1, 1, 1}), (std::vector<int64_t>{-34, -33, -33}));
  for (int64_t amount : {1LL, 7LL, 99LL, 1000LL, 123457LL, 9'223'372'036'854'775'807LL}) {
    for (auto w : std::vector<std::vector<int64_t>>{{1, 1, 1}, {60, 60, 10, 10, 60}, {3, 7}, {1}}) {
      auto parts = allocate(amount, w);
      EXPECT_EQ(std::accumulate(parts.begin(), parts.end(), __int128{0}), __int128{amount});
    }
  }
}

TEST(Attribution, ThreePositionsGetAThirdEach) {
  const auto a = attribute(100'00, lead_with_touches(0));
  ASSERT_EQ(a.w_shaped_size(), 3);
  EXPECT_EQ(a.w_shaped(0).touch(), "first_touch");
  EXPECT_EQ(a.w_shaped(0).campaign(), "awareness");
  EXPECT_EQ(a.w_shaped(1).touch(), "lead_creation");
  EXPECT_EQ(a.w_shaped(1).campaign(), "spring");
  EXPECT_EQ(a.w_shaped(2).touch(), "opportunity_creation");
  EXPECT_EQ(a.w_shaped(2).campaign(), "launch");
  EXPECT_EQ(a.w_shaped(0).amount_minor(), 3334);
  EXPECT_EQ(a.w_shaped(1).amount_minor(), 3333);
  EXPECT_EQ(a.w_shaped(2).amount_minor(), 3333);
  EXPECT_NEAR(a.w_shaped(0).weight(), 1.0 / 3, 1e-12);
  EXPECT_EQ(sum(a.w_shaped()), 100'00);
}

TEST(Attribution, MiddleTouchesShareTenPercent) {
  const auto a = attribute(1000'00, lead_with_touches(2));
  ASSERT_EQ(a.w_shaped_size(), 5);
  EXPECT_EQ(a.w_shaped(0).amount_minor(), 300'00);
  EXPECT_EQ(a.w_shaped(1).amount_minor(), 300'00);
  EXPECT_EQ(a.w_shaped(2).touch(), "middle");
  EXPECT_EQ(a.w_shaped(2).amount_minor(), 50'00);
  EXPECT_EQ(a.w_shaped(3).amount_minor(), 50'00);
  EXPECT_EQ(a.w_shaped(4).touch(), "opportunity_creation");
  EXPECT_EQ(a.w_shaped(4).amount_minor(), 300'00);
  EXPECT_NEAR(a.w_shaped(2).weight(), 0.05, 1e-12);
}

TEST(Attribution, EveryModelSumsExactlyForAwkwardAmounts) {
  for (int middle = 0; middle < 5; ++middle) {
    for (int64_t amount : {1LL, 2LL, 3LL, 10LL, 101LL, 99999LL, 1234567LL}) {
      const auto a = attribute(amount, lead_with_touches(middle));
      EXPECT_EQ(sum(a.first_touch()), amount);
      EXPECT_EQ(sum(a.last_touch()), amount);
      EXPECT_EQ(sum(a.w_shaped()), amount) << "middle=" << middle << " amount=" << amount;
    }
  }
}

TEST(Attribution, FirstAndLastTouchCreditOneTouchEach) {
  const auto a = attribute(500, lead_with_touches(1));
  ASSERT_EQ(a.first_touch_size(), 1);
  EXPECT_EQ(a.first_touch(0).campaign(), "awareness");
  EXPECT_EQ(a.first_touch(0).amount_minor(), 500);
  ASSERT_EQ(a.last_touch_size(), 1);
  EXPECT_EQ(a.last_touch(0).campaign(), "launch");
  EXPECT_DOUBLE_EQ(a.last_touch(0).weight(), 1.0);
}

TEST(Attribution, MissingTouchesFallBackToTheLeadsSourceAndCampaign) {
  state::LeadRecord l;
  l.set_source("direct");
  l.set_campaign("(organic)");
  const auto a = attribute(10, l);
  ASSERT_EQ(a.w_shaped_size(), 3);
  for (const auto& c : a.w_shaped()) EXPECT_EQ(c.source(), "direct");
  EXPECT_EQ(sum(a.w_shaped()), 10);
}

}  // namespace
}  // namespace baton::feedback
