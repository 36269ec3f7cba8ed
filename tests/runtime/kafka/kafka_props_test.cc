// Kafka properties from the environment: BATON_KAFKA_<PROPERTY> variables,
// secrets from files.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "kafka/conf.h"

namespace baton::runtime::kafka {
namespace {

class KafkaPropsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // Start from an environment without BATON_KAFKA_* variables.
    std::vector<std::string> names;
    for (char** e = environ; e && *e; ++e) {
      std::string kv(*e);
      if (kv.rfind("BATON_KAFKA_", 0) == 0) names.push_back(kv.substr(0, kv.find('=')));
    }
    for (const auto& n : names) unsetenv(n.c_str());
    secret_ =
        (std::filesystem::temp_directory_path() / ("baton-secret-" + std::to_string(getpid())))
            .string();
  }
  void TearDown() override {
    for (const auto& n : set_) unsetenv(n.c_str());
    std::filesystem::remove(secret_);
  }
  void set(const std::string& name, const std::string& value) {
    setenv(name.c_str(), value.c_str(), 1);
    set_.push_back(name);
  }
  std::vector<std::string> set_;
  std::string secret_;
};

TEST_F(KafkaPropsTest, VariablesMapToLibrdkafkaProperties) {
  set("BATON_KAFKA_SASL_USERNAME", "baton");
  set("BATON_KAFKA_SECURITY_PROTOCOL", "SASL_SSL");
  set("BATON_KAFKA_SASL_MECHANISM", "SCRAM-SHA-512");
  set("BATON_KAFKA_SSL_CA_LOCATION", "/etc/ssl/ca.pem");
  set("BATON_KAFKA_BOOTSTRAP_SERVERS", "a:9092,b:9092");
  set("OTHER_KAFKA_THING", "ignored");
  auto p = props_from_env();
  EXPECT_EQ(p, (Props{{"bootstrap.servers", "a:9092,b:9092"},
                      {"sasl.mechanism", "SCRAM-SHA-512"},
                      {"sasl.username", "baton"},
                      {"security.protocol", "SASL_SSL"},
                      {"ssl.ca.location", "/etc/ssl/ca.pem"}}));
}

TEST_F(KafkaPropsTest, FileVariableReadsTheSecretWithoutTrailingNewline) {
  std::ofstream(secret_) << "s3cr=t\n";
  set("BATON_KAFKA_SASL_PASSWORD_FILE", secret_);
  std::vector<std::string> errors;
  auto p = props_from_env(&errors);
  EXPECT_TRUE(errors.empty());
  ASSERT_TRUE(p.count("sasl.password"));
  EXPECT_EQ(p["sasl.password"], "s3cr=t");
  EXPECT_FALSE(p.count("sasl.password.file"));
}

TEST_F(KafkaPropsTest, UnreadableFileIsReportedNotSilentlyEmpty) {
  set("BATON_KAFKA_SASL_PASSWORD_FILE", "/nonexistent/secret");
  std::vector<std::string> errors;
  auto p = props_from_env(&errors);
  EXPECT_FALSE(p.count("sasl.password"));
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0],
            "BATON_KAFKA_SASL_PASSWORD_FILE: cannot read the file '/nonexistent/secret'");
}

TEST_F(KafkaPropsTest, PropertiesAreAcceptedByLibrdkafka) {
  set("BATON_KAFKA_SECURITY_PROTOCOL", "PLAINTEXT");
  set("BATON_KAFKA_CLIENT_ID", "baton-test");
  auto conf = make_conf(props_from_env());
  EXPECT_TRUE(conf) << conf.error().message;
  auto bad = make_conf(Props{{"no.such.property", "1"}});
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("no.such.property"), std::string::npos) << bad.error().message;
}

}  // namespace
}  // namespace baton::runtime::kafka
