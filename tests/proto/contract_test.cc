// The contract's hand-written helpers: event id text and tier labels.
#include "baton/v1/contract.h"

#include <gtest/gtest.h>

#include <regex>

namespace baton::v1 {
namespace {

TEST(Contract, UuidCarriesVersionAndVariant) {
  const std::regex uuid(
      "[0-9a-f]{8}-[0-9a-f]{4}-([0-9a-f])[0-9a-f]{3}-([89ab])[0-9a-f]{3}-[0-9a-f]{12}");
  for (unsigned version : {4u, 5u, 8u}) {
    for (uint64_t bits : {0ULL, ~0ULL, 0x0123456789abcdefULL}) {
      auto text = format_uuid(bits, bits, version);
      std::smatch m;
      ASSERT_TRUE(std::regex_match(text, m, uuid)) << text;
      EXPECT_EQ(m[1].str(), std::to_string(version)) << text;
    }
  }
}

TEST(Contract, UuidKeepsEveryOtherBit) {
  EXPECT_EQ(format_uuid(0x0123456789abcdefULL, 0xfedcba9876543210ULL, 8),
            "01234567-89ab-8def-bedc-ba9876543210");
}

TEST(Contract, TierLabelsAreTheDashboardValues) {
  EXPECT_EQ(tier_label(TIER_HIGH_INTENT), "high-intent");
  EXPECT_EQ(tier_label(TIER_STANDARD), "standard");
  EXPECT_EQ(tier_label(TIER_NURTURE), "nurture");
  EXPECT_EQ(tier_label(TIER_UNSPECIFIED), "standard");  // the policy an unset tier gets
}

TEST(Contract, TierNamesAreTheConfigNames) {
  // One home for the names the router's tier rules and the SLA policies use.
  EXPECT_EQ(tier_names(), (std::vector<std::string>{"high_intent", "standard", "nurture"}));
  for (const auto& name : tier_names()) {
    auto tier = tier_from_name(name);
    ASSERT_TRUE(tier) << name;
    EXPECT_EQ(tier_name(*tier), name);
  }
  EXPECT_EQ(tier_name(TIER_UNSPECIFIED), "unspecified");
  EXPECT_FALSE(tier_from_name("unspecified"));
  EXPECT_FALSE(tier_from_name("high-intent")) << "the metric label is not a config name";
}

TEST(Contract, MergedErasureBasisNamesTheSurvivorOnly) {
  // Feedback writes it, the router reads it (ids only, no PII).
  EXPECT_EQ(merged_into_erased_basis("L-1"), "merged into erased lead L-1");
  EXPECT_NE(merged_into_erased_basis("L-1"), merged_into_erased_basis("L-2"));
}

}  // namespace
}  // namespace baton::v1
