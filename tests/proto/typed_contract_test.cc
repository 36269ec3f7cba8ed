// The typed PoolRequest kind (ctest -R TypedContract): the enum replaces the
// string, records written before it (string only) still read as their kind,
// the one mapping covers every enum value, and the JSON form names the enum.
#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>

#include <string>

#include "baton/v1/contract.h"

namespace baton::v1 {
namespace {

using google::protobuf::util::JsonPrintOptions;
using google::protobuf::util::JsonStringToMessage;
using google::protobuf::util::MessageToJsonString;

// What an earlier build wrote: the kind as a string in field 13 only (set by
// reflection: the generated accessors are deprecated).
PoolRequest legacy_request(const std::string& kind) {
  PoolRequest r;
  r.mutable_envelope()->set_lead_id("L1");
  r.set_pool("dach");
  r.GetReflection()->SetString(&r, PoolRequest::descriptor()->FindFieldByNumber(13), kind);
  return r;
}

std::string legacy_string(const PoolRequest& r) {
  return r.GetReflection()->GetString(r, PoolRequest::descriptor()->FindFieldByNumber(13));
}

TEST(TypedContract, EveryLegacyKindMapsToItsEnumValue) {
  const std::pair<const char*, PoolRequestKind> legacy[] = {
      {"assign", POOL_REQUEST_KIND_ASSIGN},
      {"release", POOL_REQUEST_KIND_RELEASE},
      {"withdraw", POOL_REQUEST_KIND_WITHDRAW},
      {"escalate", POOL_REQUEST_KIND_ESCALATE},
      {"fallback", POOL_REQUEST_KIND_FALLBACK},
      {"fallback_assigned", POOL_REQUEST_KIND_FALLBACK_ASSIGNED},
      {"fallback_none", POOL_REQUEST_KIND_FALLBACK_NONE},
  };
  for (const auto& [name, kind] : legacy) {
    // Through the wire, as an old record is read back from the topic or state.
    PoolRequest read;
    ASSERT_TRUE(read.ParseFromString(legacy_request(name).SerializeAsString()));
    EXPECT_EQ(read.request_kind(), POOL_REQUEST_KIND_UNSPECIFIED) << name;
    EXPECT_EQ(pool_request_kind(read), kind) << name;
    EXPECT_EQ(pool_request_kind_name(kind), name);
  }
}

TEST(TypedContract, EveryEnumValueHasOneLegacyName) {
  // A value added to the enum without a name here would write an empty
  // legacy string, which an older build reads as no kind.
  const auto* e = PoolRequestKind_descriptor();
  for (int i = 0; i < e->value_count(); ++i) {
    auto kind = static_cast<PoolRequestKind>(e->value(i)->number());
    if (kind == POOL_REQUEST_KIND_UNSPECIFIED) {
      EXPECT_EQ(pool_request_kind_name(kind), "");
      continue;
    }
    std::string name(pool_request_kind_name(kind));
    ASSERT_FALSE(name.empty()) << e->value(i)->name();
    EXPECT_EQ(pool_request_kind(legacy_request(name)), kind) << name;
  }
}

TEST(TypedContract, WritersSetTheEnumAndTheDeprecatedString) {
  PoolRequest r;
  set_pool_request_kind(r, POOL_REQUEST_KIND_FALLBACK_NONE);
  EXPECT_EQ(r.request_kind(), POOL_REQUEST_KIND_FALLBACK_NONE);
  EXPECT_EQ(legacy_string(r), "fallback_none");  // an older build still reads it
}

TEST(TypedContract, TheEnumWinsOverTheLegacyString) {
  PoolRequest r = legacy_request("release");
  r.set_request_kind(POOL_REQUEST_KIND_WITHDRAW);
  EXPECT_EQ(pool_request_kind(r), POOL_REQUEST_KIND_WITHDRAW);
  // A number this build does not know falls back to the string.
  r.set_request_kind(static_cast<PoolRequestKind>(42));
  EXPECT_EQ(pool_request_kind(r), POOL_REQUEST_KIND_RELEASE);
}

TEST(TypedContract, NoKnownKindIsUnspecified) {
  EXPECT_EQ(pool_request_kind(PoolRequest{}), POOL_REQUEST_KIND_UNSPECIFIED);
  EXPECT_EQ(pool_request_kind(legacy_request("")), POOL_REQUEST_KIND_UNSPECIFIED);
  EXPECT_EQ(pool_request_kind(legacy_request("Assign")), POOL_REQUEST_KIND_UNSPECIFIED);
  EXPECT_EQ(pool_request_kind(legacy_request("reassign")), POOL_REQUEST_KIND_UNSPECIFIED);
}

TEST(TypedContract, JsonNamesTheEnum) {
  PoolRequest r;
  r.set_pool("dach");
  set_pool_request_kind(r, POOL_REQUEST_KIND_ESCALATE);
  std::string json;
  ASSERT_TRUE(MessageToJsonString(r, &json).ok());
  EXPECT_NE(json.find("\"requestKind\":\"POOL_REQUEST_KIND_ESCALATE\""), std::string::npos) << json;
  JsonPrintOptions original;
  original.preserve_proto_field_names = true;  // as runtime.json_output_topics writes
  ASSERT_TRUE(MessageToJsonString(r, &json, original).ok());
  EXPECT_NE(json.find("\"request_kind\":\"POOL_REQUEST_KIND_ESCALATE\""), std::string::npos)
      << json;
  // Read back by name, and a legacy JSON record with the string only.
  PoolRequest back;
  ASSERT_TRUE(
      JsonStringToMessage(R"({"pool":"dach","requestKind":"POOL_REQUEST_KIND_RELEASE"})", &back)
          .ok());
  EXPECT_EQ(pool_request_kind(back), POOL_REQUEST_KIND_RELEASE);
  PoolRequest old;
  ASSERT_TRUE(JsonStringToMessage(R"({"pool":"dach","kind":"withdraw"})", &old).ok());
  EXPECT_EQ(pool_request_kind(old), POOL_REQUEST_KIND_WITHDRAW);
  // A name the contract does not define is refused, not read as unspecified.
  EXPECT_FALSE(JsonStringToMessage(R"({"requestKind":"POOL_REQUEST_KIND_REASSIGN"})", &back).ok());
}

}  // namespace
}  // namespace baton::v1
