#include "baton/roster/roster_yaml.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "generator/generator.h"

namespace baton::roster {
namespace {

namespace gen = cli::gen;

std::string sample(const std::string& name) {
  std::ifstream in(std::string(BATON_SOURCE_DIR) + "/tools/baton/samples/" + name);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(RepsYaml, SampleRosterIsTheGeneratorRoster) {
  auto reps = parse_reps_yaml(sample("reps.yaml"), "reps.yaml");
  ASSERT_TRUE(reps.has_value()) << reps.error().message;
  auto expected = gen::default_roster();
  ASSERT_EQ(reps->size(), expected.size());
  for (size_t i = 0; i < expected.size(); ++i)
    EXPECT_EQ((*reps)[i].SerializeAsString(), expected[i].SerializeAsString()) << expected[i].id();
}

TEST(RepsYaml, RoundTripsThroughYaml) {
  auto reps = parse_reps_yaml(reps_to_yaml(gen::default_roster()), "x");
  ASSERT_TRUE(reps.has_value()) << reps.error().message;
  EXPECT_EQ(reps->size(), 8u);
}

TEST(RepsYaml, ErrorsNameTheEntryAndField) {
  auto r = parse_reps_yaml(
      "reps:\n  - id: rep-x\n    pools: [a]\n    time_zone: UTC\n"
      "    working_hours: {days: [1], start: \"25:00\"}\n",
      "reps.yaml");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, "input.yaml");
  EXPECT_NE(r.error().message.find("reps[0] (rep-x).working_hours.start"), std::string::npos)
      << r.error().message;
}

TEST(RepsYaml, MissingPoolsAndBadYamlAreErrors) {
  EXPECT_FALSE(parse_reps_yaml("reps:\n  - {id: a, time_zone: UTC}\n", "f").has_value());
  auto bad = parse_reps_yaml("reps: [\n", "f");
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().message.find('\n'), std::string::npos);
  EXPECT_FALSE(parse_reps_yaml("people: []\n", "f").has_value());
}

TEST(AccountsYaml, ReadsTheSample) {
  auto accounts = parse_accounts_yaml(sample("accounts.yaml"), "accounts.yaml");
  ASSERT_TRUE(accounts.has_value()) << accounts.error().message;
  ASSERT_FALSE(accounts->empty());
  EXPECT_EQ((*accounts)[0].owner_rep_id(), "rep-ana");
  EXPECT_FALSE(parse_accounts_yaml("accounts:\n  - {id: a, owner: r}\n", "f").has_value());
}

TEST(RepsYaml, OldManagerKeyIsReadWithAWarning) {
  std::vector<std::string> warnings;
  auto reps = parse_reps_yaml(
      "reps:\n  - {id: a, manager_id: m-1, pools: [p], time_zone: UTC}\n"
      "  - {id: b, manager: m-2, manager_id: m-old, pools: [p], time_zone: UTC}\n",
      "reps.yaml", &warnings);
  ASSERT_TRUE(reps.has_value()) << reps.error().message;
  EXPECT_EQ((*reps)[0].manager_id(), "m-1");
  EXPECT_EQ((*reps)[1].manager_id(), "m-2");  // the new key wins
  ASSERT_EQ(warnings.size(), 2u);
  EXPECT_EQ(warnings[0], "reps.yaml: reps[0] (a).manager_id: deprecated, use manager");
  auto quiet = parse_reps_yaml("reps:\n  - {id: a, manager: m, pools: [p], time_zone: UTC}\n",
                               "reps.yaml", &warnings);
  ASSERT_TRUE(quiet.has_value());
  EXPECT_EQ(warnings.size(), 2u);
}

}  // namespace
}  // namespace baton::roster
