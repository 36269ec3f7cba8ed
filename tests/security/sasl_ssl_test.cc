// TLS + SCRAM-SHA-512: a service configured only through BATON_KAFKA_*
// environment variables and a Secrets-style password file works against a
// SASL_SSL broker; a wrong password or an untrusted CA stops start-up with a
// message naming the cause instead of retrying for ever. The suite runs its
// own secured broker (scripts/kafka --security sasl_ssl) and stops it after.
#include <gtest/gtest.h>

#include <algorithm>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "baton/runtime/client.h"
#include "harness.h"

namespace baton::test {
namespace {

using namespace std::chrono_literals;
namespace client = runtime::client;

// The secured broker's folder: BATON_TEST_SASL_KAFKA_DIR (set by CMake so a
// ctest cleanup step can stop it even if this binary dies), else a temp dir.
std::string broker_dir() {
  static const std::string dir = [] {
    const char* d = std::getenv("BATON_TEST_SASL_KAFKA_DIR");
    return d && *d ? std::string(d) : temp_dir("sasl-kafka") + "/broker";
  }();
  return dir;
}

int run_script(const std::vector<std::string>& argv, const std::string& log,
               std::chrono::seconds timeout) {
  Child c(argv, {}, log);
  auto rc = c.wait(timeout);
  return rc ? *rc : -1;
}

bool contains(const std::string& text, const std::string& what) {
  return text.find(what) != std::string::npos;
}

class SaslSslTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    work_ = new std::string(temp_dir("sasl-test"));
    const auto kafka = source_dir() + "/scripts/kafka";
    // A fresh broker: new CA, certificates and SCRAM secrets every run.
    run_script({kafka, "stop", "--dir", broker_dir()}, *work_ + "/kafka-stop.log", 120s);
    std::filesystem::remove_all(broker_dir());
    started_ = run_script({kafka, "start", "--dir", broker_dir(), "--security", "sasl_ssl"},
                          *work_ + "/kafka-start.log", 300s) == 0;
  }
  static void TearDownTestSuite() {
    run_script({source_dir() + "/scripts/kafka", "stop", "--dir", broker_dir()},
               *work_ + "/kafka-stop.log", 120s);
  }

  void SetUp() override {
    ASSERT_TRUE(started_) << "secured broker did not start; see " << *work_ << "/kafka-start.log";
    dir_ = temp_dir("sasl-case");
    // Secrets-style files: one value per file, as a mounted Kubernetes Secret.
    std::filesystem::create_directories(dir_ + "/secrets");
    write_file(dir_ + "/secrets/password", read_file(broker_dir() + "/secrets/baton.password"));
    env_ = {{"BATON_KAFKA_BOOTSTRAP_SERVERS", read_file(broker_dir() + "/bootstrap")},
            {"BATON_KAFKA_SECURITY_PROTOCOL", "SASL_SSL"},
            {"BATON_KAFKA_SASL_MECHANISM", "SCRAM-SHA-512"},
            {"BATON_KAFKA_SASL_USERNAME", "baton"},
            {"BATON_KAFKA_SASL_PASSWORD_FILE", dir_ + "/secrets/password"},
            {"BATON_KAFKA_SSL_CA_LOCATION", broker_dir() + "/ca.pem"}};
    auto& b = env_["BATON_KAFKA_BOOTSTRAP_SERVERS"];
    while (!b.empty() && (b.back() == '\n' || b.back() == ' ')) b.pop_back();
  }

  // The client library over the same environment (the CLI's mapping).
  client::ClientConfig client_config() const {
    std::vector<std::string> entries;
    for (const auto& [k, v] : env_) entries.push_back(k + "=" + v);
    auto c = client::bootstrap_from_env(entries);
    c.timeout = 20s;
    return c;
  }

  // baton-refproc configured by environment only: no kafka section at all.
  std::unique_ptr<Child> start_refproc(const std::string& name, const std::string& in,
                                       const std::string& out, int admin_port) {
    auto config = dir_ + "/" + name + ".yaml";
    write_file(config, "runtime:\n  application_id: " + unique_name("sasl-app") +
                           "\n  state_dir: " + dir_ + "/state\n  commit_interval: 50ms\n" +
                           "  dead_letter_topic: " + in + "-dlq\n" + "refproc:\n  input_topic: " +
                           in + "\n  output_topic: " + out + "\n  timer_topic: " + out + "-t\n");
    return std::make_unique<Child>(
        std::vector<std::string>{bin_dir() + "/baton-refproc", "--config", config, "--instance-id",
                                 name, "--admin-port", std::to_string(admin_port)},
        env_, dir_ + "/" + name + ".log");
  }

  void create_topics(const std::vector<std::string>& names) {
    auto admin = client::Admin::connect(client_config());
    ASSERT_TRUE(admin) << admin.error().message;
    std::vector<client::TopicSpec> specs;
    for (const auto& n : names) specs.push_back({n, 2, -1, {}});
    auto made = (*admin)->create_topics(specs);
    ASSERT_TRUE(made) << made.error().message;
  }

  // A start-up that must fail: exit non-zero, bounded, naming the cause.
  void expect_startup_refused(const std::string& cause) {
    auto in = unique_name("sasl-bad-in");
    auto child = start_refproc("bad", in, in + "-out", free_port());
    auto rc = child->wait(60s);
    ASSERT_TRUE(rc.has_value()) << "still retrying after 60 s; log " << child->log_path();
    EXPECT_NE(*rc, 0);
    auto log = read_file(child->log_path());
    EXPECT_TRUE(contains(log, "start failed: ")) << log;
    EXPECT_TRUE(contains(log, "Kafka " + cause + ": ")) << log;
  }

  static inline std::string* work_ = nullptr;
  static inline bool started_ = false;
  std::string dir_;
  std::map<std::string, std::string> env_;
};

TEST_F(SaslSslTest, ServiceRunsWithScramCredentialsFromEnvironmentAndSecretFile) {
  auto in = unique_name("sasl-in");
  auto out = unique_name("sasl-out");
  create_topics({in, out, out + "-t"});
  int port = free_port();
  auto svc = start_refproc("r0", in, out, port);
  ASSERT_TRUE(wait_until(
      [&] {
        auto r = http_get(port, "/readyz");
        return (r && r->status == 200) || !svc->running();
      },
      180s));
  ASSERT_TRUE(svc->running()) << read_file(svc->log_path());

  auto producer = client::PlainProducer::open(client_config());
  ASSERT_TRUE(producer) << producer.error().message;
  const int n = 40;
  for (int i = 0; i < n; ++i)
    ASSERT_TRUE((*producer)->produce(in, "k" + std::to_string(i % 5), std::to_string(i) + ":1"));
  auto flushed = (*producer)->flush(60s);
  ASSERT_TRUE(flushed) << flushed.error().message;

  client::TailOptions opts;
  opts.topics = {out};
  opts.read_committed = true;
  auto tail = client::TailConsumer::open(client_config(), opts);
  ASSERT_TRUE(tail) << tail.error().message;
  std::set<std::string> seqs;
  ASSERT_TRUE(wait_until(
      [&] {
        auto r = (*tail)->poll(200ms);
        if (r && r->has_value()) seqs.insert((*r)->value.substr(0, (*r)->value.find(':')));
        return seqs.size() == static_cast<size_t>(n);
      },
      180s, 0ms))
      << "outputs seen: " << seqs.size() << "; log " << svc->log_path();
  svc->signal(SIGTERM);
  auto rc = svc->wait(60s);
  ASSERT_TRUE(rc.has_value());
  EXPECT_EQ(*rc, 0);
}

TEST_F(SaslSslTest, WrongPasswordStopsStartupNamingAuthentication) {
  write_file(dir_ + "/secrets/password", "not-the-password\n");
  expect_startup_refused("authentication failed");
}

TEST_F(SaslSslTest, UntrustedCertificateStopsStartupNamingVerification) {
  // Another self-signed CA: the broker's certificate does not chain to it.
  int made = run_script(
      {"/usr/bin/openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj",
       "/CN=Someone else", "-keyout", dir_ + "/other.key", "-out", dir_ + "/other-ca.pem"},
      dir_ + "/openssl.log", 60s);
  ASSERT_EQ(made, 0) << read_file(dir_ + "/openssl.log");
  env_["BATON_KAFKA_SSL_CA_LOCATION"] = dir_ + "/other-ca.pem";
  expect_startup_refused("TLS certificate verify failed");
}

TEST_F(SaslSslTest, CliExplainsARefusedPasswordInOneLine) {
  auto cli = [&](const std::string& name) {
    Child c({bin_dir() + "/baton", "topics", "list"}, env_, dir_ + "/" + name + ".log");
    auto rc = c.wait(60s);
    return std::make_pair(rc ? *rc : -1, read_file(dir_ + "/" + name + ".log"));
  };
  auto [ok_rc, ok_out] = cli("cli-ok");
  EXPECT_EQ(ok_rc, 0) << ok_out;
  write_file(dir_ + "/secrets/password", "not-the-password\n");
  auto [rc, out] = cli("cli-bad");
  EXPECT_EQ(rc, 3) << out;
  EXPECT_TRUE(contains(out, "authentication failed")) << out;
  EXPECT_EQ(std::count(out.begin(), out.end(), '\n'), 1) << out;
}

}  // namespace
}  // namespace baton::test
