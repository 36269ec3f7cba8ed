// Event helpers: deterministic event ids, outputs with CloudEvents types,
// protobuf timestamps.
#include "baton/runtime/events.h"

#include <gtest/gtest.h>

#include <regex>
#include <set>

#include "baton/v1/lead.pb.h"

namespace baton::runtime {
namespace {

using std::chrono::milliseconds;
using std::chrono::nanoseconds;

TEST(Events, DerivedIdIsDeterministic) {
  EXPECT_EQ(derive_event_id("lead-1", "assignment"), derive_event_id("lead-1", "assignment"));
}

TEST(Events, DerivedIdIsPinned) {
  // Pinned: replays within a release derive the same ids, and a change of
  // the derivation is a deliberate, documented one (events.h).
  EXPECT_EQ(derive_event_id("lead-1", "assignment"), "5f73437c-1adf-5f89-a33f-909999917217");
}

TEST(Events, UuidV5MatchesRfc9562) {
  // RFC 9562 appendix A.4: the DNS namespace and "www.example.com".
  const std::array<unsigned char, 16> dns = {0x6b, 0xa7, 0xb8, 0x10, 0x9d, 0xad, 0x11, 0xd1,
                                             0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8};
  EXPECT_EQ(uuid_v5(dns, "www.example.com"), "2ed6657d-e927-568b-95e1-2665a8aea6a2");
}

// Issue 16: CloudEvents ids are unique within their source only. Two
// upstream sources sharing an id are two events (their derived ids differ);
// Baton's own ids ("baton/..." sources) stay as they are.
TEST(Events, UpstreamIdsAreQualifiedByTheirSource) {
  Record a, b;
  a.headers = {{"ce_id", "42"}};
  b.headers = {{"ce_id", "42"}};
  a.source = "hubspot";
  b.source = "web-form";
  EXPECT_EQ(input_event_id(a, ""), "hubspot/42");
  EXPECT_NE(derive_event_id(input_event_id(a, ""), "assignment"),
            derive_event_id(input_event_id(b, ""), "assignment"));
  Record own;
  own.source = "baton/router";
  // An id an older release derived (version 8) reads as it is: ids are opaque.
  own.headers = {{"ce_id", "6b3e369c-b328-8ce5-a835-d60e595b994e"}};
  EXPECT_EQ(input_event_id(own, ""), "6b3e369c-b328-8ce5-a835-d60e595b994e");
  Record none;  // no source known: the id as it is (older releases' ids)
  EXPECT_EQ(input_event_id(none, "carried"), "carried");
}

TEST(Events, InputIdPrefersTheCloudEventsHeader) {
  Record in;
  EXPECT_EQ(input_event_id(in, "carried"), "carried");
  in.headers.push_back({"ce_id", ""});
  EXPECT_EQ(input_event_id(in, "carried"), "carried");  // an empty header is no id
  in.headers.clear();
  in.headers.push_back({"ce_id", "from-header"});
  EXPECT_EQ(input_event_id(in, "carried"), "from-header");
}

TEST(Events, DerivedIdDiffersByPurposeAndInput) {
  std::set<std::string> ids;
  for (const char* in : {"", "a", "b", "ab", "lead-1", "lead-2"})
    for (const char* purpose : {"", "c", "bc", "x", "assignment"})
      EXPECT_TRUE(ids.insert(derive_event_id(in, purpose)).second) << in << " / " << purpose;
  // The boundary between input and purpose matters.
  EXPECT_NE(derive_event_id("ab", "c"), derive_event_id("a", "bc"));
}

TEST(Events, DerivedIdIsUuidV5) {
  std::regex uuid("^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$");
  for (const char* in : {"", "x", "lead-123", "a very long input event id of some upstream"}) {
    auto id = derive_event_id(in, "p");
    EXPECT_EQ(id.size(), 36u);
    EXPECT_TRUE(std::regex_match(id, uuid)) << id;
  }
}

TEST(Events, MakeOutputSerializesAndUsesTheFullMessageName) {
  v1::ErasureRequest msg;
  msg.set_requested_by("privacy-desk");
  auto t = from_millis(1700000000123);
  auto o = make_output("baton.privacy.erasure", "lead-9", msg, "id-1", t);
  EXPECT_EQ(o.topic, "baton.privacy.erasure");
  EXPECT_EQ(o.key, "lead-9");
  EXPECT_EQ(o.event_id, "id-1");
  EXPECT_EQ(o.ce_type, "baton.v1.ErasureRequest");
  EXPECT_EQ(o.event_time, t);
  EXPECT_EQ(o.partition, -1) << "by key";
  v1::ErasureRequest back;
  ASSERT_TRUE(decode(o.value, back));
  EXPECT_EQ(back.requested_by(), "privacy-desk");
}

TEST(Events, MakeOutputKeepsAnExplicitType) {
  v1::ErasureRequest msg;
  auto o = make_output("t", "k", msg, "id", TimePoint{}, "custom.Type");
  EXPECT_EQ(o.ce_type, "custom.Type");
}

TEST(Events, DecodeRejectsGarbage) {
  v1::ErasureRequest msg;
  EXPECT_FALSE(decode(std::string("\xff\xff\xff\xff", 4), msg));
  EXPECT_TRUE(decode("", msg)) << "empty bytes are a valid empty message";
}

TEST(Events, TimestampRoundTrip) {
  for (int64_t ms :
       {0LL, 1LL, 999LL, 1000LL, 1700000000123LL, -1LL, -999LL, -1000LL, -1500LL, -86400000123LL}) {
    auto t = from_millis(ms);
    auto ts = to_timestamp(t);
    EXPECT_GE(ts.nanos(), 0) << ms;
    EXPECT_LT(ts.nanos(), 1000000000) << ms;
    EXPECT_EQ(from_timestamp(ts), t) << ms;
  }
}

TEST(Events, NegativeTimestampIsNormalised) {
  auto ts = to_timestamp(from_millis(-1500));
  EXPECT_EQ(ts.seconds(), -2);
  EXPECT_EQ(ts.nanos(), 500000000);
  auto sub_ms = TimePoint(std::chrono::duration_cast<Clock::duration>(nanoseconds(-1)));
  auto ts2 = to_timestamp(sub_ms);
  EXPECT_EQ(ts2.seconds(), -1);
  EXPECT_EQ(ts2.nanos(), 999999999);
}

TEST(Events, MillisHelpersRoundTrip) {
  EXPECT_EQ(to_millis(from_millis(-42)), -42);
  EXPECT_EQ(to_millis(from_millis(1700000000123)), 1700000000123);
}

}  // namespace
}  // namespace baton::runtime
