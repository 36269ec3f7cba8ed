#include <gtest/gtest.h>

#include "baton/runtime/client.h"

namespace baton::runtime::client {
namespace {

TEST(BootstrapFromEnv, ReadsServersAndLibrdkafkaProperties) {
  auto c = bootstrap_from_env(
      {"BATON_KAFKA_BOOTSTRAP_SERVERS=k1:9093,k2:9093", "BATON_KAFKA_SECURITY_PROTOCOL=SASL_SSL",
       "BATON_KAFKA_SASL_MECHANISM=SCRAM-SHA-512", "PATH=/bin", "BATON_KAFKA_=x"});
  EXPECT_EQ(c.bootstrap, "k1:9093,k2:9093");
  EXPECT_EQ(c.properties.size(), 2u);
  EXPECT_EQ(c.properties["security.protocol"], "SASL_SSL");
  EXPECT_EQ(c.properties["sasl.mechanism"], "SCRAM-SHA-512");
}

TEST(BootstrapFromEnv, DefaultsToLoopback) {
  EXPECT_EQ(bootstrap_from_env(std::vector<std::string>{}).bootstrap, "127.0.0.1:9092");
}

TEST(CloudEvents, BinaryModeHeaders) {
  auto h = cloudevents_headers("id-1", "baton.v1.LeadCaptured", "web-form",
                               TimePoint(std::chrono::milliseconds(1735725600123)));
  auto get = [&](const std::string& k) {
    for (const auto& x : h)
      if (x.key == k) return x.value;
    return std::string("<missing>");
  };
  EXPECT_EQ(get("ce_specversion"), "1.0");
  EXPECT_EQ(get("ce_id"), "id-1");
  EXPECT_EQ(get("ce_type"), "baton.v1.LeadCaptured");
  EXPECT_EQ(get("ce_source"), "web-form");
  EXPECT_EQ(get("ce_time"), "2025-01-01T10:00:00.123Z");
  EXPECT_EQ(get("content-type"), "application/protobuf");
}

}  // namespace
}  // namespace baton::runtime::client
