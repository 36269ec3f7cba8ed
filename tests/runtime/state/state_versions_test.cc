// State records carry their schema version (state/versioned.h): sealed
// values, legacy values (version 0), migration of older records on read,
// and newer records read as they are.
#include <gtest/gtest.h>

#include "state/versioned.h"

namespace baton::runtime::state {
namespace {

class Versioned : public Processor {
 public:
  explicit Versioned(uint32_t v) : v_(v) {}
  std::string name() const override { return "v"; }
  std::vector<std::string> input_topics() const override { return {}; }
  ProcessResult on_record(const Record&, const StateView&, TimePoint) override { return Effects{}; }
  ProcessResult on_timer(const Timer&, const StateView&, TimePoint) override { return Effects{}; }
  uint32_t state_version() const override { return v_; }
  std::string migrate(std::string_view key, std::string value, uint32_t from) const override {
    return std::string(key) + "|" + value + "|from " + std::to_string(from);
  }

 private:
  uint32_t v_;
};

TEST(StateVersions, SealedValuesCarryTheirVersionAndLegacyValuesAreVersionZero) {
  const std::string sealed = seal(2, "payload");
  EXPECT_EQ(sealed, std::string("\0\2payload", 9));
  EXPECT_EQ(open(sealed).version, 2u);
  EXPECT_EQ(open(sealed).payload, "payload");
  EXPECT_EQ(seal(0, "as is"), "as is");  // unversioned processors store bytes unchanged
  EXPECT_EQ(open("\x0a\x03"
                 "abc")
                .version,
            0u);  // a protobuf message: legacy
  EXPECT_EQ(open("").version, 0u);
  EXPECT_EQ(open(seal(2, "")).payload, "");
}

TEST(StateVersions, OlderRecordsAreMigratedNewerOnesReadAsTheyAre) {
  Versioned v2(2), v1(1), v0(0);
  EXPECT_EQ(read_as(v2, "k", seal(1, "old")), "k|old|from 1");
  EXPECT_EQ(read_as(v2, "k", "legacy"), "k|legacy|from 0");
  EXPECT_EQ(read_as(v2, "k", seal(2, "same")), "same");
  EXPECT_EQ(read_as(v1, "k", seal(2, "newer")), "newer");  // mid-rollout, old build
  EXPECT_FALSE(versioned("plain", v0));
  EXPECT_TRUE(versioned(seal(1, "x"), v0));
  EXPECT_TRUE(versioned("plain", v1));
}

}  // namespace
}  // namespace baton::runtime::state
