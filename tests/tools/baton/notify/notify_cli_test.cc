// `baton notify webhook` as a real process against the real broker (issue
// 19 point 7): alerts produced to baton.notifications reach a local
// receiver that fails the first posts, each exactly once; a second consumer
// group replaying the topic from the start over the same state dir resends
// nothing; the first group resumes after its committed offset.
// ctest -R RepAlerts (broker tier).
#include <gtest/gtest.h>
#include <httplib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>
#include <thread>

#include "baton/runtime/client.h"
#include "baton/v1/notification.pb.h"

namespace {

namespace client = baton::runtime::client;

std::string env_or(const char* name, const std::string& def) {
  const char* v = std::getenv(name);
  return v != nullptr && *v != '\0' ? v : def;
}

std::string bootstrap() {
  std::ifstream in(env_or("BATON_TEST_BOOTSTRAP_FILE", ""));
  std::stringstream ss;
  ss << in.rdbuf();
  std::string text = ss.str();
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

const std::string& prefix() {
  static const std::string p =
      "notifytest-" + std::to_string(::getpid()) + "-" + std::to_string(std::time(nullptr)) + ".";
  return p;
}

// Runs `baton <args>` (bounded by `timeout` as a safety net); returns its stdout.
std::pair<int, std::string> baton(const std::string& args) {
  const std::string bin = env_or("BATON_BIN_DIR", BATON_BIN_DIR) + "/baton";
  const std::string cmd = "timeout -k 5 120 " + bin + " --bootstrap '" + bootstrap() +
                          "' --prefix '" + prefix() + "' " + args + " 2>/dev/null";
  std::string out;
  FILE* p = ::popen(cmd.c_str(), "r");
  if (p == nullptr) return {-1, out};
  std::array<char, 4096> buf{};
  size_t n = 0;
  while ((n = std::fread(buf.data(), 1, buf.size(), p)) > 0) out.append(buf.data(), n);
  const int status = ::pclose(p);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

class Receiver {
 public:
  explicit Receiver(int fail_first) : fail_first_(fail_first) {
    server_.Post("/hook", [this](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard lock(mu_);
      if (++posts_ <= fail_first_) {
        res.status = 503;
        return;
      }
      ++accepted_[req.get_header_value("Idempotency-Key")];
      res.status = 200;
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    for (int i = 0; i < 500 && !server_.is_running(); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ~Receiver() {
    server_.stop();
    thread_.join();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/hook"; }
  int posts() {
    std::lock_guard lock(mu_);
    return posts_;
  }
  std::map<std::string, int> accepted() {
    std::lock_guard lock(mu_);
    return accepted_;
  }

 private:
  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
  std::mutex mu_;
  int fail_first_;
  int posts_ = 0;
  std::map<std::string, int> accepted_;
};

void produce(client::PlainProducer& producer, const std::string& id) {
  baton::v1::RepAlert a;
  a.set_alert_id(id);
  a.set_rep_id("rep-1");
  a.set_kind(baton::v1::ALERT_KIND_ASSIGNED);
  a.set_lead_id("L-" + id);
  a.set_summary("New lead L-" + id);
  ASSERT_TRUE(producer.produce(prefix() + "baton.notifications", "rep-1", a.SerializeAsString()));
  ASSERT_TRUE(producer.flush());
}

TEST(RepAlertsCli, WebhookDeliversEachAlertOnceAcrossRetriesReplaysAndRestarts) {
  ASSERT_FALSE(bootstrap().empty()) << "BATON_TEST_BOOTSTRAP_FILE names no broker";
  ASSERT_EQ(baton("topics create --partitions 3").first, 0);
  client::ClientConfig cfg;
  cfg.bootstrap = bootstrap();
  auto producer = client::PlainProducer::open(cfg);
  ASSERT_TRUE(producer);
  for (int i = 0; i < 4; ++i) produce(**producer, "a" + std::to_string(i));

  const auto dir = std::filesystem::temp_directory_path() / (prefix() + "state");
  Receiver rx(2);
  const std::string common = "notify webhook --url " + rx.url() + " --state-dir " + dir.string() +
                             " --backoff 0.01 --max-backoff 0.05 --max-attempts 5";
  auto [rc, out] = baton(common + " --group " + prefix() + "g1 --max 4");
  ASSERT_EQ(rc, 0) << out;
  EXPECT_NE(out.find("delivered 4, skipped 0"), std::string::npos) << out;
  EXPECT_NE(out.find("retries 2"), std::string::npos) << out;

  // Another group replays the topic from the start: every id is known.
  std::tie(rc, out) = baton(common + " --group " + prefix() + "g2 --max 4");
  ASSERT_EQ(rc, 0) << out;
  EXPECT_NE(out.find("delivered 0, skipped 4"), std::string::npos) << out;

  // The first group resumes after its committed offsets.
  produce(**producer, "a4");
  std::tie(rc, out) = baton(common + " --group " + prefix() + "g1 --max 1");
  ASSERT_EQ(rc, 0) << out;
  EXPECT_NE(out.find("delivered 1, skipped 0"), std::string::npos) << out;

  const auto accepted = rx.accepted();
  EXPECT_EQ(accepted.size(), 5u);
  for (const auto& [id, n] : accepted) EXPECT_EQ(n, 1) << id;
  EXPECT_EQ(rx.posts(), 2 + 5);
  std::filesystem::remove_all(dir);
}

}  // namespace
