#include "state_codec.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace baton::sla::app {
namespace {

TEST(StateCodec, RoundTripsEveryField) {
  SlaState s;
  s.lead_id = "L1";
  s.status = ClockStatus::kOpen;
  s.clock.clock_id = "A1";
  s.clock.owner_rep_id = "rep-1";
  s.clock.manager_id = "mgr-1";
  s.clock.tier = v1::TIER_HIGH_INTENT;
  s.clock.policy = "high_intent";
  s.clock.cycle = 2;
  s.clock.started_at = time::from_millis(1720533600000);
  s.clock.deadline = time::from_millis(1720533900000);
  s.clock.escalate_at = time::from_millis(1720534200000);
  s.clock.paused_until = time::from_millis(1720540000000);
  s.clock.breached = true;
  s.calendar.time_zone = "Europe/Berlin";
  s.calendar.holidays = {"2024-12-25"};
  s.attempts.push_back(Attempt{"S1", "rep-1", v1::ACTIVITY_CALL, time::from_millis(1720533700000)});
  s.pending.push_back(PendingActivity{"S2", "rep-2", v1::ACTIVITY_EMAIL, time::from_millis(1),
                                      time::from_millis(2), time::from_millis(3)});
  s.breached_reps = {"rep-0"};
  s.last_stage = v1::STAGE_ASSIGNED;
  auto back = decode_state(encode_state(s));
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(encode_state(*back), encode_state(s));
  EXPECT_EQ(back->clock.deadline, s.clock.deadline);
  EXPECT_EQ(back->clock.escalate_at, s.clock.escalate_at);
  EXPECT_FALSE(back->clock.reassign_at.has_value());
  EXPECT_EQ(back->calendar, s.calendar);
}

TEST(StateCodec, StateWrittenAsVersionOneJsonStillReads) {
  // What the first release stored; an upgrade must not lose open clocks.
  const std::string v1_json = R"({"v":1,"lead_id":"L7","status":1,
    "clock":{"clock_id":"A7","owner":"rep-3","manager":"mgr-1","tier":1,"policy":"high_intent",
             "business_hours":false,"cycle":1,"reassignment_count":0,"correlation_id":"c",
             "captured_at":1720533000000,"started_at":1720533600000,"deadline":1720533900000,
             "warn_at":1720533840000,"escalate_at":1720534500000,"reassign_at":null,
             "warned":true,"breached":false,"escalated":false,"reassign_requested":false,
             "paused_at":null,"paused_until":null,"met_at":null,"met_activity":"",
             "within_sla":false},
    "calendar":{"time_zone":"UTC","days":[1,2,3,4,5],"start_minute":540,"end_minute":1020,
                "holidays":[]},
    "attempts":[{"id":"S1","rep":"rep-3","type":1,"at":1720533700000}],
    "pending":[],"breached_reps":[],"last_stage":2})";
  auto s = decode_state(v1_json);
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(s->lead_id, "L7");
  EXPECT_EQ(s->status, ClockStatus::kOpen);
  EXPECT_EQ(s->clock.owner_rep_id, "rep-3");
  EXPECT_EQ(s->clock.deadline, time::from_millis(1720533900000));
  EXPECT_EQ(s->clock.escalate_at, time::from_millis(1720534500000));
  EXPECT_TRUE(s->clock.warned);
  ASSERT_EQ(s->attempts.size(), 1u);
  // Re-encoded in the current format, it reads back the same.
  auto again = decode_state(encode_state(*s));
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(encode_state(*again), encode_state(*s));
  EXPECT_NE(encode_state(*s)[0], '{');
}

TEST(StateCodec, GarbageIsNotState) {
  EXPECT_FALSE(decode_state("").has_value());
  EXPECT_FALSE(decode_state(std::string("\x02\xff\xff\xff", 4)).has_value());
  EXPECT_FALSE(decode_state("not json").has_value());
  EXPECT_FALSE(decode_state("[1,2]").has_value());
  EXPECT_FALSE(decode_state(R"({"status": 9, "clock": {}, "calendar": {}})").has_value());
}

TEST(StateCodec, ViewShowsTheClockInRfc3339) {
  SlaState s;
  s.lead_id = "L1";
  s.status = ClockStatus::kOpen;
  s.clock.tier = v1::TIER_STANDARD;
  s.clock.deadline = time::from_millis(1720534500000);  // 2024-07-09T14:15:00Z
  auto j = nlohmann::json::parse(state_view_json(s));
  EXPECT_EQ(j["status"], "open");
  EXPECT_EQ(j["tier"], "standard");
  EXPECT_EQ(j["deadline"], "2024-07-09T14:15:00.000Z");
  EXPECT_TRUE(j["escalate_at"].is_null());
}

}  // namespace
}  // namespace baton::sla::app
