// The /readyz check of `baton dev` against a local HTTP server (ready, not
// ready, unreachable) and the state file's round trip. ctest -R DevSupervisor.
#include <gtest/gtest.h>
#include <httplib.h>

#include <atomic>
#include <filesystem>
#include <stdexcept>
#include <thread>

#include "dev/health.h"
#include "dev/state.h"
#include "harness.h"
#include "temp_dir.h"

namespace baton::dev {
namespace {

using std::chrono::seconds;

// A /readyz on 127.0.0.1 (a free port) answering 200 once `ready` is set, 503 before.
class Readyz {
 public:
  Readyz() {
    server_.Get("/readyz", [this](const httplib::Request&, httplib::Response& res) {
      res.status = ready.load() ? 200 : 503;
      res.set_content(ready.load() ? "ready" : "restoring", "text/plain");
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    EXPECT_TRUE(test::wait_until([this] { return server_.is_running(); }, seconds(10)));
  }
  ~Readyz() {
    server_.stop();
    thread_.join();
  }
  int port() const { return port_; }
  std::atomic<bool> ready{false};

 private:
  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
};

TEST(DevSupervisorHealth, ReadyWhenReadyzAnswers200) {
  Readyz server;
  server.ready = true;
  Health h = check_ready("127.0.0.1", server.port(), seconds(5));
  EXPECT_EQ(h.readiness, Readiness::kReady);
  EXPECT_EQ(h.status, 200);
}

TEST(DevSupervisorHealth, NotReadyWhileReadyzAnswers503) {
  Readyz server;
  Health h = check_ready("127.0.0.1", server.port(), seconds(5));
  EXPECT_EQ(h.readiness, Readiness::kNotReady);
  EXPECT_EQ(h.status, 503);
  EXPECT_EQ(h.detail, "503");
}

TEST(DevSupervisorHealth, UnreachableWhenNothingListens) {
  const int port = test::free_port();  // free: nothing listens there
  Health h = check_ready("127.0.0.1", port, seconds(5));
  EXPECT_EQ(h.readiness, Readiness::kUnreachable);
  EXPECT_EQ(h.status, 0);
  EXPECT_FALSE(h.detail.empty());
}

TEST(DevSupervisorState, RoundTrip) {
  TempDir tmp("dev-state");
  const std::filesystem::path& dir = tmp.path();
  DevState s;
  s.dir = dir.string();
  s.bootstrap = "127.0.0.1:39092";
  s.prefix = "demo.";
  s.root = "/src/baton";
  s.kafka_dir = (dir / "kafka").string();
  s.query_port = 8183;
  s.query_token_file = (dir / "query-tokens.yaml").string();
  // One entry at a time: GCC 12 at -O3 warns (maybe-uninitialized, a false
  // positive) on a braced list of these.
  auto add = [&s](std::string name, pid_t pid, uint64_t start, int port, std::string log) {
    ServiceEntry e;
    e.process.name = std::move(name);
    e.process.pid = pid;
    e.process.start_time = start;
    e.port = port;
    e.log = std::move(log);
    s.services.push_back(std::move(e));
  };
  add("router", 101, 5001, 8081, "logs/router.log");
  add("sla-monitor", 102, 5002, 8082, "logs/sla-monitor.log");
  add("feedback", 103, 18446744073709551615ull, 8083, "logs/feedback.log");
  write_state(state_path(dir), s);
  auto r = read_state(state_path(dir));
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->dir, s.dir);
  EXPECT_EQ(r->bootstrap, s.bootstrap);
  EXPECT_EQ(r->prefix, s.prefix);
  EXPECT_EQ(r->root, s.root);
  EXPECT_EQ(r->kafka_dir, s.kafka_dir);
  EXPECT_EQ(r->query_port, 8183);
  EXPECT_EQ(r->query_token_file, s.query_token_file);
  ASSERT_EQ(r->services.size(), 3u);
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(r->services[i].process.name, s.services[i].process.name);
    EXPECT_EQ(r->services[i].process.pid, s.services[i].process.pid);
    EXPECT_EQ(r->services[i].process.start_time, s.services[i].process.start_time);
    EXPECT_EQ(r->services[i].port, s.services[i].port);
    EXPECT_EQ(r->services[i].log, s.services[i].log);
  }
  EXPECT_FALSE(std::filesystem::exists(state_path(dir).string() + ".tmp"));
}

TEST(DevSupervisorState, NoFileIsNothingUp) {
  TempDir tmp("dev-state");
  EXPECT_FALSE(read_state(state_path(tmp.path())).has_value());
}

TEST(DevSupervisorState, AFileThatIsNotAStateFileIsAnError) {
  TempDir tmp("dev-state");
  const std::filesystem::path& dir = tmp.path();
  test::write_file(state_path(dir).string(), "{\"dir\": 3}");
  EXPECT_THROW(read_state(state_path(dir)), std::runtime_error);
}

}  // namespace
}  // namespace baton::dev
