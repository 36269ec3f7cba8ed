// Per-assignment delays (issue 19 point 2) through the in-process chain: a
// reassigned lead's system delay counts from the reassignment request, not
// from the capture, and its rep delay from the second assignment to the
// second owner's first touch. ctest -R ReassignmentDelay.
#include <algorithm>

#include "baton/time/time.h"
#include "chain.h"

namespace baton {
namespace {

using namespace std::chrono_literals;
using driver_test::Chain;

bool has_reason(const feedback::state::TimelineEntry& e, const std::string& prefix) {
  return std::any_of(e.reasons().begin(), e.reasons().end(),
                     [&](const std::string& r) { return r.rfind(prefix, 0) == 0; });
}

TEST(ReassignmentDelay, SecondAssignmentCountsFromTheReassignmentRequest) {
  Chain c;
  const auto t0 = fuzz::fuzz_now();
  c.d.pipe(c.settings->topics.captured, "L-D", fuzz::sample_lead("L-D", "cap-d", t0), t0);
  ASSERT_TRUE(c.d.rejections().empty()) << c.d.rejection_details()[0];
  auto a = c.assignments("L-D");
  ASSERT_EQ(a.size(), 1u);
  // The first assignment's cause is the capture.
  ASSERT_TRUE(a[0].has_requested_at());
  EXPECT_EQ(time::timestamp_millis(a[0].requested_at()),
            time::timestamp_millis(a[0].captured_at()));
  EXPECT_LT(
      time::timestamp_millis(a[0].assigned_at()) - time::timestamp_millis(a[0].requested_at()),
      1000);

  // Nobody touches it: breach, escalation, reassignment request at t0+20min.
  c.d.advance(t0 + 21min);
  a = c.assignments("L-D");
  ASSERT_EQ(a.size(), 2u) << "reassigned once";
  const std::string second = a[1].owner_rep_id();
  ASSERT_TRUE(a[1].has_requested_at());
  // The cause is the reassignment request (about t0+20min), not the capture.
  EXPECT_GE(
      time::timestamp_millis(a[1].requested_at()) - time::timestamp_millis(a[1].captured_at()),
      19 * 60 * 1000);
  const int64_t system_ms =
      time::timestamp_millis(a[1].assigned_at()) - time::timestamp_millis(a[1].requested_at());
  EXPECT_GE(system_ms, 0);
  EXPECT_LT(system_ms, 1000) << "milliseconds in the driver, not 20 minutes";

  // Feedback: the reassignment's timeline entry says its system delay.
  auto rec = driver_test::feedback_lead(c, "L-D");
  ASSERT_TRUE(rec);
  ASSERT_TRUE(rec->has_system_delay_ms());
  EXPECT_EQ(rec->system_delay_ms(), system_ms);
  EXPECT_FALSE(rec->has_rep_delay_ms());
  bool said = false;
  for (const auto& e : rec->timeline())
    said |=
        e.kind() == "reassigned" && e.owner_rep_id() == second && has_reason(e, "system delay ");
  EXPECT_TRUE(said) << "reassigned entry names its system delay";

  // The second owner calls 2 minutes after the reassignment: the rep delay
  // counts from the second assignment.
  const auto call_at = time::from_timestamp(a[1].assigned_at()) + 2min;
  auto call = fuzz::sample_activity("L-D", "call-d", v1::ACTIVITY_CALL, call_at);
  call.set_rep_id(second);
  c.d.pipe(driver_test::kActivities, "L-D", call, call_at);
  ASSERT_TRUE(c.d.rejections().empty()) << c.d.rejection_details()[0];
  rec = driver_test::feedback_lead(c, "L-D");
  ASSERT_TRUE(rec && rec->has_rep_delay_ms());
  EXPECT_EQ(rec->rep_delay_ms(), 120000);
  bool touch_said = false;
  for (const auto& e : rec->timeline())
    touch_said |= e.kind() == "touch" && has_reason(e, "rep delay 120s");
  EXPECT_TRUE(touch_said) << "first touch entry names its rep delay";

  // A second touch changes nothing.
  auto again = fuzz::sample_activity("L-D", "call-d2", v1::ACTIVITY_CALL, call_at + 5min);
  again.set_rep_id(second);
  c.d.pipe(driver_test::kActivities, "L-D", again, call_at + 5min);
  EXPECT_EQ(driver_test::feedback_lead(c, "L-D")->rep_delay_ms(), 120000);

  // The Outcome carries both delays of the last assignment.
  driver_test::work_through(c, "L-D", second, {v1::STAGE_QUALIFIED}, call_at + 10min);
  auto outs = driver_test::outcomes(c, "L-D");
  ASSERT_FALSE(outs.empty());
  const v1::Outcome& o = outs.back();
  EXPECT_EQ(o.stage(), v1::STAGE_QUALIFIED);
  ASSERT_TRUE(o.has_system_delay_ms());
  EXPECT_EQ(o.system_delay_ms(), system_ms);
  ASSERT_TRUE(o.has_rep_delay_ms());
  EXPECT_EQ(o.rep_delay_ms(), 120000);

  // The router's histogram saw no 20-minute wait: every observation of the
  // system delay (first assignment and reassignment) is under a second.
  bool all_fast = false;
  for (const auto& fam : c.registry.Collect())
    if (fam.name == "baton_router_capture_to_assignment_seconds")
      for (const auto& m : fam.metric)
        for (const auto& l : m.label)
          if (l.name == "tier" && l.value == "high-intent") {
            const auto& h = m.histogram;
            EXPECT_EQ(h.sample_count, 2u);
            EXPECT_LT(h.sample_sum, 2.0);
            all_fast = h.sample_count == 2 && h.sample_sum < 2.0;
          }
  EXPECT_TRUE(all_fast);
  // Feedback's rep-delay histogram saw the second owner's 2 minutes.
  bool rep_seen = false;
  for (const auto& fam : c.registry.Collect())
    if (fam.name == "baton_feedback_rep_delay_seconds")
      for (const auto& m : fam.metric) rep_seen |= m.histogram.sample_sum == 120.0;
  EXPECT_TRUE(rep_seen);
}

}  // namespace
}  // namespace baton
