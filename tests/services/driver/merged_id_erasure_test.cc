// Erasing a merged-away id reaches the survivor (issue 19): the router, which
// keeps the merged id's alias (LeadState.canonical_lead_id), asks for the
// survivor's erasure on the erasure topic; erasing the survivor erases every
// id merged into it (feedback). So an erasure naming any id of a merge group
// erases the whole group's records in every service, once.
// ctest -R MergedIdErasure.
#include <algorithm>

#include "chain.h"

namespace baton {
namespace {

using namespace std::chrono_literals;
using driver_test::Chain;

inline constexpr const char* kErasure = "baton.privacy.erasure";

std::vector<v1::ErasureRequest> erasures_of(const Chain& c, const std::string& lead) {
  std::vector<v1::ErasureRequest> out;
  for (const auto& e : c.d.read<v1::ErasureRequest>(kErasure))
    if (e.envelope().lead_id() == lead) out.push_back(e);
  return out;
}

bool has_key(const Chain& c, const std::string& processor, const std::string& key) {
  return c.d.state(processor).get(key).has_value();
}

int keys_with_prefix(const Chain& c, const std::string& processor, const std::string& prefix) {
  int n = 0;
  c.d.state(processor).scan(prefix, [&](std::string_view, std::string_view) {
    ++n;
    return true;
  });
  return n;
}

// L-a captured and assigned; the same person captured again as L-b, merged
// into L-a (the samples share one email address).
void merge_b_into_a(Chain& c, runtime::TimePoint t0) {
  c.d.pipe(c.settings->topics.captured, "L-a", fuzz::sample_lead("L-a", "L-a-cap", t0), t0);
  c.d.pipe(c.settings->topics.captured, "L-b", fuzz::sample_lead("L-b", "L-b-cap", t0 + 1h),
           t0 + 1h);
  ASSERT_TRUE(c.d.rejections().empty()) << c.d.rejection_details()[0];
  ASSERT_EQ(driver_test::router_lead(c, "L-b")->canonical_lead_id(), "L-a");
  auto fb = driver_test::feedback_lead(c, "L-a");
  ASSERT_TRUE(fb);
  ASSERT_EQ(std::count(fb->merged_lead_ids().begin(), fb->merged_lead_ids().end(), "L-b"), 1);
  ASSERT_TRUE(has_key(c, "sla-monitor", "lead/L-a")) << "the survivor's clock runs";
  ASSERT_EQ(keys_with_prefix(c, router::kPoolDeskName, "person/"), 1);
}

TEST(MergedIdErasure, ErasingTheMergedAwayIdErasesTheSurvivorEverywhere) {
  Chain c;
  const auto t0 = fuzz::fuzz_now();
  merge_b_into_a(c, t0);

  c.d.pipe(kErasure, "L-b", fuzz::sample_erasure("L-b", "erase-b", t0 + 2h), t0 + 2h);
  ASSERT_TRUE(c.d.rejections().empty()) << c.d.rejection_details()[0];

  // The router asked for the survivor's erasure, once, with ids only.
  auto asked = erasures_of(c, "L-a");
  ASSERT_EQ(asked.size(), 1u);
  EXPECT_EQ(asked[0].requested_by(), "baton-router");
  EXPECT_EQ(asked[0].envelope().causation_id(), "erase-b");
  EXPECT_EQ(asked[0].legal_basis(), "lead L-b merged into it was erased");

  // Router: both leads, their routing records and the person are gone.
  for (const char* key : {"lead/L-a", "lead/L-b", "routing/L-a", "routing/L-b"})
    EXPECT_FALSE(has_key(c, router::kLeadDeskName, key)) << key;
  EXPECT_EQ(keys_with_prefix(c, router::kPoolDeskName, "person/"), 0);
  // SLA monitor: the survivor's clock is gone.
  EXPECT_FALSE(has_key(c, "sla-monitor", "lead/L-a"));
  // Feedback: both records gone, both marked erased (late inputs stay out).
  EXPECT_FALSE(driver_test::feedback_lead(c, "L-a"));
  EXPECT_FALSE(driver_test::feedback_lead(c, "L-b"));
  EXPECT_TRUE(has_key(c, "feedback", "erased/L-a"));
  EXPECT_TRUE(has_key(c, "feedback", "erased/L-b"));

  // A late touch of the survivor does not bring it back.
  auto call = fuzz::sample_activity("L-a", "L-a-late-call", v1::ACTIVITY_CALL, t0 + 3h);
  c.d.pipe(driver_test::kActivities, "L-a", call, t0 + 3h);
  EXPECT_FALSE(driver_test::feedback_lead(c, "L-a"));
}

TEST(MergedIdErasure, ARepeatedRequestAsksNothingMore) {
  Chain c;
  const auto t0 = fuzz::fuzz_now();
  merge_b_into_a(c, t0);
  c.d.pipe(kErasure, "L-b", fuzz::sample_erasure("L-b", "erase-b", t0 + 2h), t0 + 2h);
  const size_t after_first = c.d.output(kErasure).size();
  // The same request again (a replay) and a new request for the same id.
  c.d.pipe(kErasure, "L-b", fuzz::sample_erasure("L-b", "erase-b", t0 + 2h), t0 + 2h);
  c.d.pipe(kErasure, "L-b", fuzz::sample_erasure("L-b", "erase-b-again", t0 + 4h), t0 + 4h);
  ASSERT_TRUE(c.d.rejections().empty()) << c.d.rejection_details()[0];
  EXPECT_EQ(erasures_of(c, "L-a").size(), 1u) << "the survivor was asked for once";
  EXPECT_EQ(c.d.output(kErasure).size(), after_first) << "nobody derived another request";
}

TEST(MergedIdErasure, ErasingTheSurvivorStillErasesTheMergedIds) {
  Chain c;
  const auto t0 = fuzz::fuzz_now();
  merge_b_into_a(c, t0);
  c.d.pipe(kErasure, "L-a", fuzz::sample_erasure("L-a", "erase-a", t0 + 2h), t0 + 2h);
  ASSERT_TRUE(c.d.rejections().empty()) << c.d.rejection_details()[0];
  ASSERT_EQ(erasures_of(c, "L-b").size(), 1u);
  EXPECT_EQ(erasures_of(c, "L-b")[0].requested_by(), "baton-feedback");
  EXPECT_TRUE(erasures_of(c, "L-a").empty()) << "no request goes back to the survivor";
  EXPECT_FALSE(has_key(c, router::kLeadDeskName, "lead/L-b"));
  EXPECT_TRUE(has_key(c, "feedback", "erased/L-b"));
}

}  // namespace
}  // namespace baton
