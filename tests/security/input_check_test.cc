// The hostile-input checks of runtime/input_check.h: each kind of bad input
// gets its reason; a valid message passes; details never carry the value.
#include "baton/runtime/input_check.h"

#include <gtest/gtest.h>

#include "baton/runtime/events.h"
#include "baton/v1/activity.pb.h"
#include "baton/v1/lead.pb.h"
#include "baton/v1/routing.pb.h"

namespace baton::runtime {
namespace {

const TimePoint kNow = from_millis(1711454400000LL);  // 2024-03-26T12:00:00Z

v1::LeadCaptured valid_lead() {
  v1::LeadCaptured l;
  l.mutable_envelope()->set_lead_id("L-1");
  l.mutable_envelope()->set_event_id("e-1");
  *l.mutable_envelope()->mutable_event_time() = to_timestamp(kNow);
  l.mutable_person()->set_email("someone@example.com");
  l.set_trigger_signal("demo_request");
  return l;
}

Record record_of(const google::protobuf::Message& m) {
  Record r;
  r.topic = "baton.leads.captured";
  r.value = m.SerializeAsString();
  return r;
}

std::optional<Rejection> check(const google::protobuf::Message& m) {
  v1::LeadCaptured scratch;
  return check_input(record_of(m), scratch, kNow);
}

TEST(InputCheck, ValidLeadPasses) { EXPECT_FALSE(check(valid_lead()).has_value()); }

TEST(InputCheck, OversizedFieldIsTooLargeAndTheDetailNamesOnlyTheField) {
  auto l = valid_lead();
  l.mutable_person()->set_email(std::string(100 * 1024, 'a') + "@example.com");
  auto r = check(l);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->reason, "field_too_large");
  EXPECT_NE(r->detail.find("person.email"), std::string::npos);
  EXPECT_EQ(r->detail.find("aaaa"), std::string::npos);
}

TEST(InputCheck, StringLimitHoldsAtItsEdge) {
  // A record no longer than max_string_bytes has its strings skipped (none
  // can be longer); one a byte over the limit is still refused.
  const InputLimits limits;
  auto l = valid_lead();
  l.set_hand_raise_reason(std::string(limits.max_string_bytes, 'a'));
  EXPECT_FALSE(check(l).has_value()) << "exactly the limit";
  l.set_hand_raise_reason(std::string(limits.max_string_bytes + 1, 'a'));
  auto r = check(l);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->reason, "field_too_large");
  EXPECT_NE(r->detail.find("hand_raise_reason"), std::string::npos);
  // The same message checked without its encoding's size visits every string.
  EXPECT_TRUE(check_message(l, kNow, limits).has_value());
}

TEST(InputCheck, TooManyRepeatedEntriesIsTooLarge) {
  v1::RoutingEvent ev;
  auto* h = ev.mutable_assignment()->mutable_handoff();
  for (int i = 0; i < 1001; ++i) h->add_skipped()->set_rep_id("r");
  v1::RoutingEvent scratch;
  auto r = check_input(record_of(ev), scratch, kNow);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->reason, "field_too_large");
}

TEST(InputCheck, RecordOverTheLimitIsRejectedBeforeDecoding) {
  Record r;
  r.value = std::string(1024 * 1024, 'x');
  v1::LeadCaptured scratch;
  auto bad = check_input(r, scratch, kNow);
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->reason, "record_too_large");
}

TEST(InputCheck, GarbageAndInvalidUtf8DoNotDecode) {
  Record r;
  r.value = "\xff\xff\xff\xff";
  v1::LeadCaptured scratch;
  auto bad = check_input(r, scratch, kNow);
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->reason, "decode");

  auto l = valid_lead();
  l.mutable_person()->set_email("x\xc3\x28@example.com");  // invalid UTF-8
  std::string bytes;
  l.SerializePartialToString(&bytes);
  r.value = bytes;
  bad = check_input(r, scratch, kNow);
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->reason, "decode");
}

TEST(InputCheck, UnknownEnumValue) {
  v1::EngagementSignal s;
  s.set_type(static_cast<v1::SignalType>(999));
  v1::EngagementSignal scratch;
  auto r = check_input(record_of(s), scratch, kNow);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->reason, "unknown_enum");
  EXPECT_NE(r->detail.find("type"), std::string::npos);
}

TEST(InputCheck, TimestampsFarInTheFutureOrBefore1970AreInvalid) {
  for (int64_t seconds : {32503680000LL /* year 3000 */, -2208988800LL /* year 1900 */}) {
    auto l = valid_lead();
    l.mutable_envelope()->mutable_event_time()->set_seconds(seconds);
    auto r = check(l);
    ASSERT_TRUE(r) << seconds;
    EXPECT_EQ(r->reason, "invalid_timestamp");
    EXPECT_NE(r->detail.find("envelope.event_time"), std::string::npos);
  }
  auto l = valid_lead();
  l.mutable_envelope()->mutable_event_time()->set_nanos(-5);
  ASSERT_TRUE(check(l));
  EXPECT_EQ(check(l)->reason, "invalid_timestamp");
}

TEST(InputCheck, UnsetTimestampAndNearFutureCallbackPass) {
  v1::SalesActivity a;
  a.mutable_envelope()->set_lead_id("L-1");
  a.mutable_envelope()->mutable_event_time();  // present, (0, 0): unset
  *a.mutable_callback_at() = to_timestamp(kNow + std::chrono::hours(24 * 90));
  a.set_type(v1::ACTIVITY_SCHEDULED_CALLBACK);
  v1::SalesActivity scratch;
  EXPECT_FALSE(check_input(record_of(a), scratch, kNow).has_value());
}

// Fuzz finding: a Timestamp outside the nanosecond clock's range (year 2296
// on an internal pool request) overflowed in from_timestamp.
TEST(FromTimestamp, HostileYearsAreClampedNotOverflowed) {
  google::protobuf::Timestamp far;
  far.set_seconds(10301388872LL);  // year 2296
  EXPECT_GT(from_timestamp(far), kNow);
  far.set_seconds(INT64_MAX);
  far.set_nanos(-1);
  EXPECT_GT(from_timestamp(far), kNow);
  google::protobuf::Timestamp old;
  old.set_seconds(-29845548000LL);  // year 1024
  EXPECT_LT(from_timestamp(old), from_millis(0));
  old.set_seconds(INT64_MIN);
  EXPECT_LT(from_timestamp(old), from_millis(0));
}

}  // namespace
}  // namespace baton::runtime
