// The services' command line (CLI11): every option, --help, and the exit
// code 2 with the reason for a bad or missing argument.
#include "app/command_line.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace baton::runtime {
namespace {

struct Parsed {
  std::optional<int> code;
  CommandLine cl;
  std::string out, err;
};

Parsed parse(std::vector<std::string> args) {
  args.insert(args.begin(), "baton-router");
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  Parsed p;
  testing::internal::CaptureStdout();
  testing::internal::CaptureStderr();
  p.code = parse_command_line("router", static_cast<int>(argv.size()), argv.data(), p.cl);
  p.out = testing::internal::GetCapturedStdout();
  p.err = testing::internal::GetCapturedStderr();
  return p;
}

TEST(CommandLine, TakesEveryOption) {
  auto p = parse({"--config",
                  "r.yaml",
                  "--check-config",
                  "--instance-id",
                  "r-0",
                  "--admin-port",
                  "0",
                  "--state-dir",
                  "/s",
                  "--topic-prefix",
                  "t.",
                  "--application-id",
                  "app",
                  "--query-port",
                  "9443",
                  "--query-token-file",
                  "/tok",
                  "--query-plaintext",
                  "--query-advertise",
                  "r-0.svc:9443"});
  ASSERT_FALSE(p.code) << p.err;
  EXPECT_EQ(p.cl.config, "r.yaml");
  EXPECT_TRUE(p.cl.check_only);
  EXPECT_EQ(p.cl.instance_id, "r-0");
  EXPECT_EQ(p.cl.admin_port, 0);
  EXPECT_EQ(p.cl.state_dir, "/s");
  EXPECT_EQ(p.cl.topic_prefix, "t.");
  EXPECT_EQ(p.cl.application_id, "app");
  EXPECT_EQ(p.cl.query_port, 9443);
  EXPECT_EQ(p.cl.query_token_file, "/tok");
  EXPECT_TRUE(p.cl.query_plaintext);
  EXPECT_EQ(p.cl.query_advertise, "r-0.svc:9443");
}

TEST(CommandLine, LeavesUnsetOptionsAtTheirDefaults) {
  auto p = parse({"--config", "r.yaml"});
  ASSERT_FALSE(p.code);
  EXPECT_FALSE(p.cl.check_only);
  EXPECT_EQ(p.cl.admin_port, -1);  // the config's admin port applies
  EXPECT_EQ(p.cl.query_port, -1);
}

TEST(CommandLine, HelpPrintsUsageAndExitsZero) {
  auto p = parse({"--help"});
  EXPECT_EQ(p.code, std::optional<int>(0));
  EXPECT_NE(p.out.find("--config"), std::string::npos) << p.out;
  EXPECT_NE(p.out.find("BATON_KAFKA_"), std::string::npos) << p.out;
}

TEST(CommandLine, BadArgumentsExitTwoNamingTheReason) {
  auto missing = parse({"--instance-id", "r-0"});
  EXPECT_EQ(missing.code, std::optional<int>(2));
  EXPECT_NE(missing.err.find("--config is required"), std::string::npos) << missing.err;
  auto unknown = parse({"--config", "r.yaml", "--bogus"});
  EXPECT_EQ(unknown.code, std::optional<int>(2));
  EXPECT_NE(unknown.err.find("--bogus"), std::string::npos) << unknown.err;
  auto no_value = parse({"--config"});
  EXPECT_EQ(no_value.code, std::optional<int>(2));
  auto bad_port = parse({"--config", "r.yaml", "--admin-port", "http"});
  EXPECT_EQ(bad_port.code, std::optional<int>(2));
  EXPECT_NE(bad_port.err.find("--admin-port"), std::string::npos) << bad_port.err;
}

}  // namespace
}  // namespace baton::runtime
