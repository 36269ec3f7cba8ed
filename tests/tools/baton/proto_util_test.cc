#include "proto_util.h"

#include <gtest/gtest.h>

#include "baton/v1/lead.pb.h"

namespace baton::cli {
namespace {

TEST(ParseJson, ReadsTheSampleLead) {
  auto text = std::string(R"({"envelope":{"leadId":"L1"},"person":{"email":"a@b.de"},
                              "source":"google","triggerSignal":"demo_request"})");
  v1::LeadCaptured lead;
  ASSERT_TRUE(parse_json(text, lead, "lead.json").is_ok());
  EXPECT_EQ(lead.envelope().lead_id(), "L1");
  EXPECT_EQ(lead.person().email(), "a@b.de");
}

TEST(ParseJson, MalformedJsonGivesOneLineErrorNamingTheFile) {
  v1::LeadCaptured lead;
  auto s = parse_json("{\"source\": \"google\",\n  \"campaign\": }", lead, "lead.json");
  ASSERT_FALSE(s.is_ok());
  EXPECT_EQ(s.error().code, "input.json");
  EXPECT_EQ(s.error().message.find('\n'), std::string::npos);
  EXPECT_NE(s.error().message.find("lead.json"), std::string::npos);
  EXPECT_NE(s.error().message.find("LeadCaptured"), std::string::npos);
}

TEST(ParseJson, UnknownFieldIsAnError) {
  v1::LeadCaptured lead;
  auto s = parse_json(R"({"sauce": "google"})", lead, "lead.json");
  ASSERT_FALSE(s.is_ok());
  EXPECT_NE(s.error().message.find("sauce"), std::string::npos);
}

TEST(ParseJson, WrongTypeIsAnError) {
  v1::LeadCaptured lead;
  EXPECT_FALSE(parse_json(R"({"person": "maria"})", lead, "x").is_ok());
}

TEST(ParseEnum, AcceptsUsersWordsAndListsAllowedValues) {
  auto t = parse_enum(v1::SignalType_descriptor(), "SIGNAL_", "demo_request", "--type");
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(*t, v1::SIGNAL_DEMO_REQUEST);
  auto bad = parse_enum(v1::Stage_descriptor(), "STAGE_", "closed", "--stage");
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().code, "input.enum");
  EXPECT_NE(bad.error().message.find("qualified"), std::string::npos);
}

TEST(EnumWord, StripsThePrefix) {
  EXPECT_EQ(enum_word(v1::Tier_descriptor(), v1::TIER_HIGH_INTENT), "high_intent");
}

TEST(Amount, ParsesExactMinorUnits) {
  EXPECT_EQ(*parse_amount_minor("1200.50"), 120050);
  EXPECT_EQ(*parse_amount_minor("1200.5"), 120050);
  EXPECT_EQ(*parse_amount_minor("12,000"), 1200000);
  EXPECT_FALSE(parse_amount_minor("12.345").has_value());
  EXPECT_FALSE(parse_amount_minor("abc").has_value());
  EXPECT_EQ(format_amount_minor(1200000), "12,000.00");
  EXPECT_EQ(format_amount_minor(5), "0.05");
}

TEST(Envelope, FillsOnlyWhatIsMissing) {
  v1::Envelope env;
  env.set_event_id("keep");
  fill_envelope(env, "L9", TimePoint(std::chrono::seconds(100)), "fresh", "baton-cli");
  EXPECT_EQ(env.event_id(), "keep");
  EXPECT_EQ(env.lead_id(), "L9");
  EXPECT_EQ(env.event_time().seconds(), 100);
  EXPECT_EQ(env.source_system(), "baton-cli");
  EXPECT_EQ(env.schema_version(), "v1");
}

}  // namespace
}  // namespace baton::cli
