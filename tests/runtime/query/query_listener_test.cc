// The query listener of a real service process (the reference processor):
// TLS, bearer tokens with scopes, masking, the audit log, bad input and
// start-up errors. ctest names: runtime_QueryAuth, runtime_PiiMasking,
// runtime_AuditLog (one gtest suite each).
#include <httplib.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "query/tokens.h"
#include "refproc/refproc_fixture.h"

namespace baton::test {
namespace {

using namespace std::chrono_literals;
using runtime::query::sha256_hex;

constexpr const char* kReader = "reader-token-0123456789";      // leads:read
constexpr const char* kReporter = "reporter-token-0123456789";  // reports:read
constexpr const char* kPii = "pii-token-0123456789";            // leads:read, pii:read

std::string tls_config(const std::string& base, const std::string& cert, const std::string& key) {
  std::ifstream in(base);
  std::stringstream ss;
  ss << in.rdbuf();
  std::string text = ss.str();
  const auto at = text.find("runtime:");
  const std::string block =
      "runtime:\n  query:\n    tls_cert_file: " + cert + "\n    tls_key_file: " + key + "\n";
  if (at == std::string::npos) return text + "\n" + block;
  return text.replace(at, std::string("runtime:\n").size(), block);
}

class QueryListener : public RefProcFixture {
 protected:
  void SetUp() override {
    RefProcFixture::SetUp();
    const auto cert = dir_ + "/tls.crt";
    key_ = dir_ + "/tls.key";
    cert_ = cert;
    const std::string cmd =
        "openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=127.0.0.1 "
        "-addext subjectAltName=IP:127.0.0.1 -keyout " +
        key_ + " -out " + cert_ + " >" + dir_ + "/openssl.log 2>&1";
    ASSERT_EQ(std::system(cmd.c_str()), 0) << "openssl failed; see " << dir_ << "/openssl.log";
    tokens_ = dir_ + "/tokens.yaml";
    write_tokens(
        std::string("tokens:\n") +
        "  - name: reader\n    scopes: [leads:read]\n    token: " + kReader + "\n" +
        "  - name: reporter\n    scopes: [reports:read]\n    sha256: " + sha256_hex(kReporter) +
        "\n" + "  - name: pii-reader\n    scopes: [leads:read, pii:read]\n    token: " + kPii +
        "\n");
  }
  void write_tokens(const std::string& text) { std::ofstream(tokens_) << text; }

  std::unique_ptr<Child> start(std::vector<std::string> extra, std::string config = "") {
    admin_ = free_port();
    query_ = free_port();
    if (config.empty()) config = config_;
    std::vector<std::string> argv{bin_dir() + "/baton-refproc",
                                  "--config",
                                  config,
                                  "--instance-id",
                                  "q0",
                                  "--admin-port",
                                  std::to_string(admin_),
                                  "--query-port",
                                  std::to_string(query_)};
    for (auto& a : extra) argv.push_back(std::move(a));
    return std::make_unique<Child>(argv, std::map<std::string, std::string>{},
                                   dir_ + "/q0-" + std::to_string(++starts_) + ".log");
  }
  std::unique_ptr<Child> start_tls() {
    const auto path = dir_ + "/tls-config.yaml";
    std::ofstream(path) << tls_config(config_, cert_, key_);
    return start({"--query-token-file", tokens_}, path);
  }
  void await_up(Child& c) {
    ASSERT_TRUE(wait_until(
        [&] {
          auto r = get("/report", kReporter);
          return (r && r->status == 200) || !c.running();
        },
        60s, 20ms));
    ASSERT_TRUE(c.running()) << log_of(c);
  }

  httplib::Result get(const std::string& path, const std::string& token,
                      httplib::Headers headers = {}) {
    httplib::SSLClient c("127.0.0.1", query_);
    c.set_ca_cert_path(cert_.c_str());
    c.enable_server_certificate_verification(true);
    c.set_connection_timeout(2, 0);
    c.set_read_timeout(5, 0);
    if (!token.empty()) headers.emplace("Authorization", "Bearer " + token);
    return c.Get(path.c_str(), headers);
  }
  int status(const std::string& path, const std::string& token) {
    auto r = get(path, token);
    return r ? r->status : -1;
  }
  std::string log_of(const Child& c) {
    std::ifstream in(c.log_path());
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }

  std::string cert_, key_, tokens_;
  int admin_ = 0, query_ = 0, starts_ = 0;
};

TEST_F(QueryListener, QueryAuthScopesAndBadInput) {
  auto c = start_tls();
  await_up(*c);
  // No token, a malformed one, an unknown one: 401.
  EXPECT_EQ(status("/contacts/L1", ""), 401);
  EXPECT_EQ(status("/contacts/L1", "not-a-known-token-at-all"), 401);
  EXPECT_EQ(status("/contacts/L1", std::string(4096, 'x')), 401);
  {
    auto r = get("/contacts/L1", "", {{"Authorization", "Basic dXNlcjpwYXNz"}});
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 401);
  }
  // The wrong scope: 403; the right one: 200.
  EXPECT_EQ(status("/contacts/L1", kReporter), 403);
  EXPECT_EQ(status("/report", kReader), 403);
  EXPECT_EQ(status("/contacts/L1", kReader), 200);
  EXPECT_EQ(status("/report", kReporter), 200);
  // Path tricks and oversized headers: 4xx, and the service stays up.
  for (const char* bad : {"/contacts/..", "/contacts/%2e%2e%2f%2e%2e%2fetc", "/contacts/a%00b",
                          "/contacts/../report", "/nothing"}) {
    const int s = status(bad, kReader);
    EXPECT_TRUE(s >= 400 && s < 500) << bad << ": HTTP " << s;
  }
  {
    auto r = get("/contacts/L1", kReader, {{"X-Big", std::string(64 * 1024, 'y')}});
    EXPECT_TRUE(!r || (r->status >= 400 && r->status < 500)) << "HTTP " << r->status;
  }
  EXPECT_TRUE(c->running()) << log_of(*c);
  // Plain HTTP to the TLS port gets nothing.
  {
    httplib::Client plain("127.0.0.1", query_);
    plain.set_connection_timeout(2, 0);
    plain.set_read_timeout(2, 0);
    auto r = plain.Get("/report", {{"Authorization", std::string("Bearer ") + kReporter}});
    EXPECT_TRUE(!r || r->status >= 400);
  }
  // Metrics and probes stay open on the admin port, which serves no lead data.
  EXPECT_EQ(http_get(admin_, "/metrics")->status, 200);
  EXPECT_EQ(http_get(admin_, "/healthz")->status, 200);
  EXPECT_EQ(http_get(admin_, "/contacts/L1")->status, 404);
  EXPECT_GE(metric(admin_, "baton_query_requests_total", "result=\"unauthorized\"").value_or(0), 4);
  // Tokens rotate without a restart.
  write_tokens(std::string("tokens:\n  - name: rotated\n    scopes: [leads:read]\n    token: ") +
               "rotated-token-0123456789\n");
  ASSERT_TRUE(wait_until([&] { return status("/contacts/L1", "rotated-token-0123456789") == 200; },
                         30s, 50ms));
  EXPECT_EQ(status("/contacts/L1", kReader), 401) << "the old token is gone";
  c->signal(SIGTERM);
  EXPECT_EQ(c->wait(30s), std::optional<int>(0));
}

TEST_F(QueryListener, QueryAuthStartupErrorsNameTheFile) {
  struct Case {
    std::vector<std::string> args;
    std::string config_text;  // empty: the fixture's config
    std::string expect;
  };
  const std::vector<Case> cases{
      {{"--query-token-file", dir_ + "/missing-tokens.yaml", "--query-plaintext"},
       "",
       "missing-tokens.yaml"},
      {{"--query-token-file", tokens_}, "", "tls_cert_file"},
      {{"--query-token-file", tokens_}, tls_config(config_, dir_ + "/no.crt", key_), "no.crt"},
      {{"--query-token-file", tokens_}, tls_config(config_, cert_, dir_ + "/no.key"), "no.key"},
  };
  for (const auto& k : cases) {
    std::string cfg;
    if (!k.config_text.empty()) {
      cfg = dir_ + "/bad-config-" + std::to_string(starts_) + ".yaml";
      std::ofstream(cfg) << k.config_text;
    }
    auto c = start(k.args, cfg);
    const auto rc = c->wait(30s);
    ASSERT_TRUE(rc.has_value()) << "still running: " << k.expect;
    EXPECT_NE(*rc, 0) << k.expect;
    EXPECT_NE(log_of(*c).find(k.expect), std::string::npos) << log_of(*c);
  }
  // No token file: the listener is off and says so; the service runs.
  auto c = start({});
  ASSERT_TRUE(wait_until([&] { return log_of(*c).find("query listener off") != std::string::npos; },
                         30s, 50ms))
      << log_of(*c);
  EXPECT_TRUE(c->running());
}

TEST_F(QueryListener, PiiMaskingWithoutPiiScope) {
  auto c = start_tls();
  await_up(*c);
  auto masked = get("/contacts/L1", kReader);
  ASSERT_TRUE(masked && masked->status == 200);
  EXPECT_NE(masked->body.find(R"("email":"j***@example.com")"), std::string::npos) << masked->body;
  EXPECT_NE(masked->body.find(R"("first_name":"J***")"), std::string::npos) << masked->body;
  EXPECT_NE(masked->body.find(R"("phone":"***67")"), std::string::npos) << masked->body;
  EXPECT_EQ(masked->body.find("Jane"), std::string::npos) << masked->body;
  auto clear = get("/contacts/L1", kPii);
  ASSERT_TRUE(clear && clear->status == 200);
  EXPECT_NE(clear->body.find("jane.doe@example.com"), std::string::npos) << clear->body;
  EXPECT_NE(clear->body.find("+49 170 1234567"), std::string::npos) << clear->body;
}

TEST_F(QueryListener, AuditLogNamesWhoWhatWhichLeadWithoutPii) {
  auto c = start_tls();
  await_up(*c);
  const std::string lead = "lead-secret-4711";
  ASSERT_EQ(status("/contacts/" + lead, kReader), 200);
  ASSERT_EQ(status("/contacts/" + lead, kReporter), 403);
  const auto hashed = sha256_hex(lead).substr(0, 16);
  std::string line;
  ASSERT_TRUE(wait_until(
      [&] {
        std::istringstream in(log_of(*c));
        int found = 0;
        for (std::string l; std::getline(in, l);)
          if (l.find("query audit") != std::string::npos && l.find(hashed) != std::string::npos) {
            ++found;
            if (l.find("\"reader\"") != std::string::npos) line = l;
          }
        return found >= 2 && !line.empty();
      },
      30s, 50ms))
      << log_of(*c);
  EXPECT_NE(line.find("/contacts/{id}"), std::string::npos) << line;
  EXPECT_NE(line.find("\"200\""), std::string::npos) << line;
  EXPECT_EQ(log_of(*c).find(lead), std::string::npos) << "the lead id itself is never logged";
  EXPECT_EQ(log_of(*c).find("jane"), std::string::npos) << "no PII in the log";
}

}  // namespace
}  // namespace baton::test
