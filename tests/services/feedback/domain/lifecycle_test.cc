#include "domain/lifecycle.h"

#include <gtest/gtest.h>

#include <map>
#include <string>

namespace baton::feedback {
namespace {

// Expected rule for every (from, to) pair; "" = allowed.
const std::string ok = "", same = "same_stage", init = "captured_is_initial",
                  term = "terminal_stage", skip = "skips_stages", back = "backwards",
                  oppc = "opportunity_closes_won_or_lost", lopp = "lost_needs_opportunity",
                  closed = "closed_only_recycles", recy = "recycled_needs_assignment";

// Rows: from; columns: to. Order: Captured Assigned Contacted Qualified
// Opportunity Won Lost Recycled Rejected.
const std::string kTable[9][9] = {
    /* Captured    */ {same, ok, skip, skip, skip, skip, lopp, skip, ok},
    /* Assigned    */ {init, same, ok, skip, skip, skip, lopp, ok, ok},
    /* Contacted   */ {init, back, same, ok, skip, skip, lopp, ok, ok},
    /* Qualified   */ {init, back, back, same, ok, skip, lopp, ok, ok},
    /* Opportunity */ {init, back, back, back, same, ok, ok, oppc, oppc},
    /* Won         */ {term, term, term, term, term, term, term, term, term},
    /* Lost        */ {init, closed, closed, closed, closed, closed, same, ok, closed},
    /* Recycled    */ {init, ok, recy, recy, recy, recy, recy, same, recy},
    /* Rejected    */ {init, closed, closed, closed, closed, closed, closed, ok, same},
};

TEST(Lifecycle, EveryStagePairFollowsTheTable) {
  for (int i = 0; i < 9; ++i) {
    for (int j = 0; j < 9; ++j) {
      const Stage from = kAllStages[i], to = kAllStages[j];
      const auto rule = refusing_rule(from, to);
      const std::string got = rule ? std::string(*rule) : "";
      EXPECT_EQ(got, kTable[i][j]) << stage_name(from) << " -> " << stage_name(to);
    }
  }
}

TEST(Lifecycle, UnknownStagesAreRefused) {
  for (Stage s : kAllStages) {
    EXPECT_EQ(refusing_rule(s, v1::STAGE_UNSPECIFIED), rule::kUnknownStage);
    EXPECT_EQ(refusing_rule(v1::STAGE_UNSPECIFIED, s), rule::kUnknownStage);
    EXPECT_EQ(refusing_rule(s, static_cast<Stage>(42)), rule::kUnknownStage);
  }
}

TEST(Lifecycle, CapturedToWonSkipsAndNothingFollowsWon) {
  EXPECT_EQ(refusing_rule(v1::STAGE_CAPTURED, v1::STAGE_WON), rule::kSkipsStages);
  EXPECT_EQ(refusing_rule(v1::STAGE_WON, v1::STAGE_RECYCLED), rule::kTerminalStage);
  EXPECT_FALSE(refusing_rule(v1::STAGE_OPPORTUNITY, v1::STAGE_WON).has_value());
}

TEST(Lifecycle, StageNamesRoundTrip) {
  for (Stage s : kAllStages) EXPECT_EQ(stage_from_name(stage_name(s)), s);
  EXPECT_FALSE(stage_from_name("nope").has_value());
}

v1::Disposition disp(v1::DispositionReason r, std::string text = {}) {
  v1::Disposition d;
  d.set_reason(r);
  d.set_text(std::move(text));
  return d;
}

TEST(Dispositions, RequiredForRejectedRecycledLostOnly) {
  for (Stage s : kAllStages) {
    const bool required = s == v1::STAGE_REJECTED || s == v1::STAGE_RECYCLED || s == v1::STAGE_LOST;
    EXPECT_EQ(needs_disposition(s), required) << stage_name(s);
    EXPECT_EQ(disposition_problem(s, v1::Disposition{}).has_value(), required);
  }
  EXPECT_EQ(disposition_problem(v1::STAGE_LOST, v1::Disposition{}), rule::kDispositionRequired);
}

TEST(Dispositions, ControlledListIsAccepted) {
  for (auto r : {v1::DISPOSITION_WRONG_ICP, v1::DISPOSITION_NO_BUDGET, v1::DISPOSITION_NO_URGENCY,
                 v1::DISPOSITION_COMPETITOR_CHOSEN, v1::DISPOSITION_UNRESPONSIVE,
                 v1::DISPOSITION_DUPLICATE, v1::DISPOSITION_BAD_DATA}) {
    EXPECT_FALSE(disposition_problem(v1::STAGE_REJECTED, disp(r)).has_value()) << r;
    EXPECT_NE(disposition_name(r), "unspecified");
  }
}

TEST(Dispositions, OtherNeedsText) {
  EXPECT_EQ(disposition_problem(v1::STAGE_RECYCLED, disp(v1::DISPOSITION_OTHER)),
            rule::kDispositionTextRequired);
  EXPECT_EQ(disposition_problem(v1::STAGE_RECYCLED, disp(v1::DISPOSITION_OTHER, "  \t")),
            rule::kDispositionTextRequired);
  EXPECT_FALSE(disposition_problem(v1::STAGE_RECYCLED, disp(v1::DISPOSITION_OTHER, "moved abroad"))
                   .has_value());
}

TEST(Dispositions, NumberOutsideTheListIsUnknown) {
  EXPECT_EQ(disposition_problem(v1::STAGE_LOST, disp(static_cast<v1::DispositionReason>(99))),
            rule::kDispositionUnknown);
}

}  // namespace
}  // namespace baton::feedback
