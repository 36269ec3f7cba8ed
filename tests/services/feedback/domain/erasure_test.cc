#include "domain/erasure.h"

#include <gtest/gtest.h>

#include "fixtures.h"

namespace baton::feedback {
namespace {

using namespace test;

TEST(Erasure, DeletesTheLeadAndKeepsAMarkerWithTheErasureTimeOnly) {
  v1::ErasureRequest req;
  *req.mutable_envelope() = env("e1", 7000, "L7");
  req.set_requested_by("dpo@example.org");
  const Erasure e = forget_lead(req, tp(9000));
  EXPECT_EQ(e.deletes, erase_lead("L7"));
  EXPECT_EQ(e.marker_key, "erased/L7");
  EXPECT_EQ(e.marker_value, "7000000");
}

TEST(Erasure, MarkerTimeFallsBackToNowWithoutEventTime) {
  v1::ErasureRequest req;
  req.mutable_envelope()->set_lead_id("L7");
  EXPECT_EQ(forget_lead(req, tp(9000)).marker_value, "9000000");
}

TEST(Erasure, StageChangeForAnErasedLeadIsRefusedWithoutState) {
  const Step s = on_erased_stage_change(change("s1", 100, v1::STAGE_WON), tp(200));
  EXPECT_FALSE(s.lead.has_value());
  EXPECT_TRUE(s.outcomes.empty());
  ASSERT_EQ(s.lifecycle.size(), 1u);
  ASSERT_TRUE(s.lifecycle[0].has_rejected());
  EXPECT_EQ(s.lifecycle[0].rejected().rule(), "erased");
  EXPECT_EQ(s.lifecycle[0].rejected().to(), v1::STAGE_WON);
  EXPECT_EQ(s.lifecycle[0].rejected().envelope().causation_id(), "s1");
  EXPECT_EQ(s.rejected_rules, std::vector<std::string>{"erased"});
}

TEST(Erasure, OtherInputsForAnErasedLeadAreIgnored) {
  const Step s = on_erased_input();
  EXPECT_FALSE(s.lead.has_value());
  EXPECT_TRUE(s.lifecycle.empty());
  EXPECT_EQ(s.ignored, "erased");
}

}  // namespace
}  // namespace baton::feedback
