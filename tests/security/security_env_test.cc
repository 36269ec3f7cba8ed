// Security settings from the environment and the classification of SASL and
// TLS failures (runtime/src/kafka/security.cc, kafka/conf.cc, client config).
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "baton/runtime/client.h"
#include "kafka/conf.h"
#include "kafka/security.h"

namespace baton::runtime::kafka {
namespace {

std::string secret_file(const std::string& text) {
  auto path =
      (std::filesystem::temp_directory_path() / ("baton-sec-env-" + std::to_string(getpid())))
          .string();
  std::ofstream(path) << text;
  return path;
}

TEST(SecurityCause, NamesRefusedCredentials) {
  EXPECT_EQ(security_cause(RdKafka::ERR__AUTHENTICATION, "x"), "authentication failed");
  EXPECT_EQ(security_cause(RdKafka::ERR_SASL_AUTHENTICATION_FAILED, ""), "authentication failed");
  EXPECT_EQ(security_cause(RdKafka::ERR_NO_ERROR,
                           "[thrd:a]: a: SASL authentication error: Authentication failed during "
                           "authentication due to invalid credentials"),
            "authentication failed");
}

TEST(SecurityCause, NamesAnUntrustedCertificate) {
  EXPECT_EQ(security_cause(RdKafka::ERR__SSL,
                           "SSL handshake failed: error:0A000086:SSL routines::certificate "
                           "verify failed: broker certificate could not be verified"),
            "TLS certificate verify failed");
  EXPECT_EQ(security_cause(RdKafka::ERR__SSL, "SSL handshake failed: wrong version"),
            "TLS handshake failed");
}

TEST(SecurityCause, IgnoresOtherErrors) {
  EXPECT_EQ(security_cause(RdKafka::ERR__TRANSPORT, "Connection refused"), "");
  EXPECT_EQ(security_cause(RdKafka::ERR__ALL_BROKERS_DOWN, "1/1 brokers are down"), "");
}

TEST(SecurityWatch, KeepsTheFirstFailureExplainedWithoutThreadPrefix) {
  SecurityWatch w;
  EXPECT_EQ(w.failure(), "");
  w.observe(RdKafka::ERR__TRANSPORT, "Connection refused");
  EXPECT_EQ(w.failure(), "");
  w.observe(RdKafka::ERR_NO_ERROR, "[thrd:sasl_ssl://h:1/b]: h: SASL authentication error: bad");
  w.observe(RdKafka::ERR__SSL, "SSL handshake failed");
  EXPECT_EQ(
      w.failure().rfind("Kafka authentication failed: h: SASL authentication error: bad (", 0), 0u)
      << w.failure();
}

TEST(PropsFromEnv, SkipsVariablesOfTheBrokerScript) {
  auto p = props_from_env(
      {"BATON_KAFKA_SECURITY=sasl_ssl", "BATON_KAFKA_VERSION=4.1.0", "BATON_KAFKA_START_TIMEOUT=9",
       "BATON_KAFKA_STOP_GRACE=1", "BATON_KAFKA_SECURITY_PROTOCOL=SASL_SSL"},
      nullptr);
  EXPECT_EQ(p, (Props{{"security.protocol", "SASL_SSL"}}));
  EXPECT_TRUE(make_conf(p));
}

TEST(ClientFromEnv, ReadsSecretFilesLikeTheServices) {
  auto path = secret_file("pw\n");
  auto c = client::bootstrap_from_env({"BATON_KAFKA_BOOTSTRAP_SERVERS=h:9093",
                                       "BATON_KAFKA_SASL_PASSWORD_FILE=" + path,
                                       "BATON_KAFKA_SECURITY=sasl_ssl"});
  std::filesystem::remove(path);
  EXPECT_EQ(c.bootstrap, "h:9093");
  EXPECT_EQ(c.properties, (std::map<std::string, std::string>{{"sasl.password", "pw"}}));
}

TEST(ClientFromEnv, AnUnreadableSecretFileFailsTheClientClearly) {
  auto c = client::bootstrap_from_env({"BATON_KAFKA_SASL_PASSWORD_FILE=/nonexistent/pw"});
  auto admin = client::Admin::connect(c);
  ASSERT_FALSE(admin);
  EXPECT_EQ(admin.error().code, "input.config");
  EXPECT_EQ(admin.error().message,
            "BATON_KAFKA_SASL_PASSWORD_FILE: cannot read the file '/nonexistent/pw'");
}

}  // namespace
}  // namespace baton::runtime::kafka
