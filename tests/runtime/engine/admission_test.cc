// Admission of consumed records: content types, ce_type, key and source
// from the envelope, placement (docs/integrating.md).
#include "engine/admission.h"

#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>

#include "baton/runtime/events.h"
#include "baton/v1/activity.pb.h"
#include "baton/v1/lead.pb.h"
#include "baton/v1/routing.pb.h"

namespace baton::runtime {
namespace {

const TimePoint kNow = from_millis(1767225600000);  // 2026-01-01

v1::LeadCaptured capture(const std::string& lead, const std::string& source = "web-form") {
  v1::LeadCaptured c;
  c.mutable_envelope()->set_event_id("evt-1");
  c.mutable_envelope()->set_lead_id(lead);
  c.mutable_envelope()->set_source_system(source);
  c.set_campaign("spring");
  return c;
}

Record record_of(const google::protobuf::Message& m, std::string key = "lead-1") {
  Record r;
  r.topic = "baton.leads.captured";
  r.key = std::move(key);
  m.SerializeToString(&r.value);
  return r;
}

const InputContract kCaptured{v1::LeadCaptured::descriptor(), true};

TEST(Admission, ProtobufWithHeadersPassesAndTakesTheSourceFromCeSource) {
  Record r = record_of(capture("lead-1"));
  r.headers = {{"ce_type", "baton.v1.LeadCaptured"}, {"ce_source", "hubspot"}};
  EXPECT_FALSE(admit(r, kCaptured, kNow));
  EXPECT_EQ(r.source, "hubspot");
  EXPECT_EQ(r.key, "lead-1");
}

TEST(Admission, OnTheEnginesArenaRecordAfterRecord) {
  // The engine decodes on one StepArena, reset at each record: the outcome
  // is the one without it, and nothing of a record shows in the next.
  StepArena arena;
  Record ok = record_of(capture("lead-1"), "");
  EXPECT_FALSE(admit(ok, kCaptured, kNow, {}, &arena));
  EXPECT_EQ(ok.key, "lead-1");
  Record none = record_of(capture(""), "");
  auto bad = admit(none, kCaptured, kNow, {}, &arena);
  ASSERT_TRUE(bad) << "the previous record's lead id must not be taken";
  EXPECT_EQ(bad->reason, "missing_key");
  Record garbage;
  garbage.topic = "baton.leads.captured";
  garbage.key = "lead-2";
  garbage.value = "\xff\xff\xff";
  bad = admit(garbage, kCaptured, kNow, {}, &arena);
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->reason, "decode");
}

TEST(Admission, SourceFallsBackToTheEnvelope) {
  Record r = record_of(capture("lead-1", "marketo"));
  EXPECT_FALSE(admit(r, kCaptured, kNow));
  EXPECT_EQ(r.source, "marketo");
}

TEST(Admission, MissingKeyIsTakenFromTheEnvelope) {
  Record r = record_of(capture("lead-7"), "");
  EXPECT_FALSE(admit(r, kCaptured, kNow));
  EXPECT_EQ(r.key, "lead-7");
}

TEST(Admission, NoKeyAndNoLeadIdIsMissingKey) {
  Record r = record_of(capture(""), "");
  auto bad = admit(r, kCaptured, kNow);
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->reason, "missing_key");
}

TEST(Admission, WrongCeTypeIsUnexpectedTypeAndNeverDecoded) {
  v1::SalesActivity a;
  a.mutable_envelope()->set_lead_id("lead-1");
  Record r = record_of(a);
  r.headers = {{"ce_type", "baton.v1.SalesActivity"}};
  auto bad = admit(r, kCaptured, kNow);
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->reason, "unexpected_type");
}

TEST(Admission, OneofMembersAreTheTypesOfAWrapperTopic) {
  EXPECT_TRUE(carries(*v1::RoutingEvent::descriptor(), "baton.v1.RoutingEvent"));
  EXPECT_TRUE(carries(*v1::RoutingEvent::descriptor(), "baton.v1.Assignment"));
  EXPECT_FALSE(carries(*v1::RoutingEvent::descriptor(), "baton.v1.LeadCaptured"));
}

TEST(Admission, JsonIsDecodedByProtobufAndHandedOnAsProtobuf) {
  std::string json;
  ASSERT_TRUE(google::protobuf::util::MessageToJsonString(capture("lead-3"), &json).ok());
  Record r;
  r.key = "lead-3";
  r.value = json;
  r.headers = {{"content-type", "application/json; charset=utf-8"}};
  ASSERT_FALSE(admit(r, kCaptured, kNow));
  v1::LeadCaptured back;
  ASSERT_TRUE(back.ParseFromString(r.value));
  EXPECT_EQ(back.campaign(), "spring");
  EXPECT_EQ(*r.header("content-type"), "application/protobuf");
}

TEST(Admission, JsonThatDoesNotMatchTheSchemaIsSchemaAndKeepsTheBytes) {
  Record r;
  r.key = "lead-3";
  r.value = R"({"envelope": {"leadId": "lead-3"}, "notAField": 1})";
  r.headers = {{"content-type", "application/json"}};
  auto bad = admit(r, kCaptured, kNow);
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->reason, "schema");
  EXPECT_NE(r.value.find("notAField"), std::string::npos);  // the dead letter has the original
}

TEST(Admission, UnknownContentTypeIsRefused) {
  Record r = record_of(capture("lead-1"));
  r.headers = {{"content-type", "application/avro"}};
  auto bad = admit(r, kCaptured, kNow);
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->reason, "unsupported_content_type");
}

TEST(Admission, GarbageIsDecode) {
  Record r;
  r.key = "lead-1";
  r.value = std::string("\xff\xff\xff\xff", 4);
  auto bad = admit(r, kCaptured, kNow);
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->reason, "decode");
}

TEST(Admission, InternalTopicsPassAsTheyAre) {
  Record r;
  r.value = "anything";
  r.headers = {{"ce_source", "baton/baton-router"}};
  EXPECT_FALSE(admit(r, InputContract{}, kNow));
  EXPECT_EQ(r.source, "baton/baton-router");
}

TEST(Admission, OutputsOfAJsonTopicAreProto3Json) {
  const std::string bytes = capture("lead-5").SerializeAsString();
  auto json = to_json(*v1::LeadCaptured::descriptor(), bytes);
  ASSERT_TRUE(json);
  EXPECT_NE(json->find("\"lead_id\":\"lead-5\""), std::string::npos) << *json;
  // ... and a Baton service reads them back through admission.
  Record r;
  r.key = "lead-5";
  r.value = *json;
  r.headers = {{"content-type", "application/json"}};
  EXPECT_FALSE(admit(r, kCaptured, kNow));
  EXPECT_EQ(r.value, bytes);
  EXPECT_FALSE(to_json(*v1::LeadCaptured::descriptor(), std::string("\xff\xff", 2)));
}

TEST(Admission, PlacementIsMurmur2AsTheJavaClient) {
  // Kafka's UtilsTest vectors: murmur2("abc") = 479470107, murmur2("21") =
  // -973932308; the partition is toPositive(hash) % n (BuiltInPartitioner).
  EXPECT_EQ(partition_of("abc", 2147483647), 479470107);
  EXPECT_EQ(partition_of("21", 2147483647), -973932308 & 0x7fffffff);
  EXPECT_EQ(partition_of("lead-1", 1), 0);
  for (const char* k : {"a", "lead-1", "lead-2", "a-much-longer-key-0123456789"}) {
    int32_t p = partition_of(k, 6);
    EXPECT_GE(p, 0);
    EXPECT_LT(p, 6);
    EXPECT_EQ(p, partition_of(k, 6));  // stable
  }
}

}  // namespace
}  // namespace baton::runtime
