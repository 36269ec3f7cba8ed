// The SLA clock of an overnight rep (22:00-06:00) runs across midnight and
// on into the next night; the roster's overnight hours are kept.
// ctest -R OvernightShift.
#include <gtest/gtest.h>

#include "sla_clock.h"
#include "test_support.h"

namespace baton::sla {
namespace {

using namespace std::chrono_literals;
using testing::assignment;
using testing::has_timer;
using testing::utc;

class OvernightShift : public ::testing::Test {
 protected:
  void SetUp() override {
    rep.set_id("rep-n");
    rep.set_time_zone("Europe/Berlin");
    for (int d = 1; d <= 5; ++d) rep.mutable_working_hours()->add_days(d);
    rep.mutable_working_hours()->set_start_minute(22 * 60);
    rep.mutable_working_hours()->set_end_minute(6 * 60);
  }
  Calendar calendar() const {
    return time::calendar_in(time::system_zones(), cfg.calendar_for(&rep));
  }
  SlaConfig cfg = testing::example_config();
  v1::Rep rep;
};

TEST_F(OvernightShift, RostersOvernightHoursAreKept) {
  CalendarSpec spec = cfg.calendar_for(&rep);
  EXPECT_EQ(spec.start_minute, 22 * 60);
  EXPECT_EQ(spec.end_minute, 6 * 60);
  EXPECT_EQ(spec.time_zone, "Europe/Berlin");
}

TEST_F(OvernightShift, SlaClockRunsAcrossMidnight) {
  // Standard tier: 15 business minutes. Tuesday 2024-07-09 23:50 CEST (21:50 UTC).
  const TimePoint t = utc(2024, 7, 9, 21, 50);
  auto a = assignment("L1", "A1", "rep-n", v1::TIER_STANDARD, t, t);
  SlaDecision d = on_assignment(a, nullptr, cfg, calendar(), t);
  ASSERT_TRUE(d.state);
  // Wednesday 00:05 CEST, not Wednesday 09:15 (the old 9-17 cut).
  EXPECT_EQ(d.state->clock.deadline, utc(2024, 7, 9, 22, 5));
  EXPECT_TRUE(has_timer(d, "L1/breach", utc(2024, 7, 9, 22, 5)));
}

TEST_F(OvernightShift, SlaClockPausesAfterTheShiftAndResumesAtNight) {
  // Wednesday 05:50 CEST (03:50 UTC): 10 minutes tonight, 5 from 22:00.
  const TimePoint t = utc(2024, 7, 10, 3, 50);
  auto a = assignment("L2", "A2", "rep-n", v1::TIER_STANDARD, t, t);
  SlaDecision d = on_assignment(a, nullptr, cfg, calendar(), t);
  ASSERT_TRUE(d.state);
  EXPECT_EQ(d.state->clock.deadline, utc(2024, 7, 10, 20, 5));
}

TEST_F(OvernightShift, SlaClockAcrossTheDstNight) {
  // Friday 2024-10-25 is a working night; Saturday 2024-10-26's shift runs
  // into the fall-back night when the rep also works Saturdays.
  rep.mutable_working_hours()->add_days(6);
  // Sunday 2024-10-27 05:55 CET (04:55 UTC, after the 03:00 CEST -> 02:00 CET
  // fall back): 5 minutes left of Saturday's 9-hour shift, then Monday 22:00 CET.
  const TimePoint t = utc(2024, 10, 27, 4, 55);
  auto a = assignment("L3", "A3", "rep-n", v1::TIER_STANDARD, t, t);
  SlaDecision d = on_assignment(a, nullptr, cfg, calendar(), t);
  ASSERT_TRUE(d.state);
  EXPECT_EQ(d.state->clock.deadline, utc(2024, 10, 28, 21, 10));
}

}  // namespace
}  // namespace baton::sla
