// The webhook sink of `baton notify webhook` against a local HTTP server
// (httplib::Server on 127.0.0.1, a free port) that fails the first N posts:
// every alert arrives once, the retries happened, a restarted sink (same
// state dir) resends nothing, and an alert the receiver never accepts is
// dead-lettered with the reason and the source coordinates. ctest -R RepAlerts.
#include "notify/webhook_sink.h"

#include <gtest/gtest.h>
#include <httplib.h>

#include <filesystem>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

namespace baton::notify {
namespace {

// A receiver that answers 503 to the first `fail_first` posts and then 200
// (or `status` for every post when set), recording what it accepted.
class Receiver {
 public:
  explicit Receiver(int fail_first, int status = 0) : fail_first_(fail_first), status_(status) {
    server_.Post("/hook", [this](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard lock(mu_);
      ++posts_;
      if (status_ != 0 || posts_ <= fail_first_) {
        res.status = status_ != 0 ? status_ : 503;
        return;
      }
      accepted_[req.get_header_value("Idempotency-Key")].push_back(req.body);
      res.status = 200;
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    // Awaits the listener (bounded: 5 s), as the admin server does.
    for (int i = 0; i < 500 && !server_.is_running(); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    EXPECT_TRUE(server_.is_running());
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
  std::map<std::string, std::vector<std::string>> accepted() {
    std::lock_guard lock(mu_);
    return accepted_;
  }

 private:
  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
  std::mutex mu_;
  int fail_first_;
  int status_;
  int posts_ = 0;
  std::map<std::string, std::vector<std::string>> accepted_;
};

runtime::Record alert_record(const std::string& id, int64_t offset) {
  v1::RepAlert a;
  a.set_alert_id(id);
  a.set_rep_id("rep-1");
  a.set_kind(v1::ALERT_KIND_ASSIGNED);
  a.set_lead_id("L-" + id);
  a.set_summary("New lead L-" + id + ": asked for a demo");
  runtime::Record r;
  r.topic = "baton.notifications";
  r.partition = 2;
  r.offset = offset;
  r.key = "rep-1";
  r.value = a.SerializeAsString();
  return r;
}

class RepAlertsSinkTest : public ::testing::Test {
 protected:
  std::string dir = (std::filesystem::temp_directory_path() /
                     ("baton-notify-test-" + std::to_string(::getpid()) + "-" +
                      ::testing::UnitTest::GetInstance()->current_test_info()->name()))
                        .string();
  std::vector<DeadLetter> dead;
  std::vector<std::chrono::milliseconds> slept;

  void SetUp() override { std::filesystem::remove_all(dir); }
  void TearDown() override { std::filesystem::remove_all(dir); }

  std::unique_ptr<WebhookSink> sink(DeliveredStore& store, const std::string& url,
                                    int max_attempts = 5) {
    SinkOptions o;
    o.url = url;
    o.retry.max_attempts = max_attempts;
    o.retry.base = std::chrono::milliseconds(1);
    o.retry.max_delay = std::chrono::milliseconds(4);
    o.seed = 7;
    auto s = WebhookSink::create(
        o, store,
        [this](const DeadLetter& d) {
          dead.push_back(d);
          return Status::ok();
        },
        [this](std::chrono::milliseconds d) { slept.push_back(d); });  // never sleeps
    EXPECT_TRUE(s) << s.error().message;
    return s ? std::move(*s) : nullptr;
  }
};

TEST_F(RepAlertsSinkTest, EveryAlertArrivesOnceAfterRetriesAndARestartResendsNothing) {
  Receiver rx(3);
  {
    auto store = DeliveredStore::open(dir);
    ASSERT_TRUE(store);
    auto s = sink(**store, rx.url());
    for (int i = 0; i < 4; ++i) {
      auto h = s->handle(alert_record("a" + std::to_string(i), i));
      ASSERT_TRUE(h) << h.error().message;
      EXPECT_EQ(*h, Handled::kDelivered);
    }
    EXPECT_EQ(s->counters().delivered.load(), 4);
    EXPECT_EQ(s->counters().retries.load(), 3) << "the first alert needed three retries";
    EXPECT_EQ(slept.size(), 3u);
    for (auto d : slept) EXPECT_LE(d, std::chrono::milliseconds(4)) << "bounded backoff";
    // The same records again (a replay before the offset commit): skipped.
    for (int i = 0; i < 4; ++i)
      EXPECT_EQ(*s->handle(alert_record("a" + std::to_string(i), i)), Handled::kSkipped);
  }
  // A restart: a new sink over the same state dir sees the ids delivered.
  auto store = DeliveredStore::open(dir);
  ASSERT_TRUE(store);
  EXPECT_EQ((*store)->size(), 4u);
  auto s = sink(**store, rx.url());
  for (int i = 0; i < 4; ++i)
    EXPECT_EQ(*s->handle(alert_record("a" + std::to_string(i), i)), Handled::kSkipped);
  EXPECT_EQ(*s->handle(alert_record("a4", 4)), Handled::kDelivered);

  const auto accepted = rx.accepted();
  ASSERT_EQ(accepted.size(), 5u);
  for (const auto& [key, bodies] : accepted) {
    EXPECT_EQ(bodies.size(), 1u) << key << " arrived " << bodies.size() << " times";
    const auto j = nlohmann::json::parse(bodies[0]);
    EXPECT_EQ(j["alert_id"], key) << "Idempotency-Key is the alert id";
    EXPECT_NE(j["text"].get<std::string>().find("asked for a demo"), std::string::npos);
    EXPECT_TRUE(j["blocks"].is_array());
  }
  EXPECT_EQ(rx.posts(), 3 + 5);
  EXPECT_TRUE(dead.empty());
}

TEST_F(RepAlertsSinkTest, AnAlertNeverAcceptedIsDeadLetteredWithItsCoordinates) {
  Receiver rx(1000);
  auto store = DeliveredStore::open(dir);
  ASSERT_TRUE(store);
  auto s = sink(**store, rx.url(), 4);
  auto h = s->handle(alert_record("b1", 41));
  ASSERT_TRUE(h);
  EXPECT_EQ(*h, Handled::kDeadLettered);
  EXPECT_EQ(rx.posts(), 4) << "the bound";
  EXPECT_EQ(s->counters().dead_lettered.load(), 1);
  ASSERT_EQ(dead.size(), 1u);
  std::map<std::string, std::string> headers;
  for (const auto& x : dead_letter_headers(dead[0])) headers[x.key] = x.value;
  EXPECT_EQ(headers["baton.error.reason"], "webhook_retries_exhausted");
  EXPECT_EQ(headers["baton.source.topic"], "baton.notifications");
  EXPECT_EQ(headers["baton.source.partition"], "2");
  EXPECT_EQ(headers["baton.source.offset"], "41");
  // Handled: a replay neither posts nor dead-letters it again.
  EXPECT_EQ(*s->handle(alert_record("b1", 41)), Handled::kSkipped);
  EXPECT_EQ(rx.posts(), 4);
  EXPECT_EQ(dead.size(), 1u);
}

TEST_F(RepAlertsSinkTest, ARejectingReceiverAndABadRecordAreDeadLetteredAtOnce) {
  Receiver rx(0, 400);
  auto store = DeliveredStore::open(dir);
  ASSERT_TRUE(store);
  auto s = sink(**store, rx.url());
  EXPECT_EQ(*s->handle(alert_record("c1", 1)), Handled::kDeadLettered);
  EXPECT_EQ(rx.posts(), 1) << "a 400 is not retried";
  runtime::Record junk = alert_record("c2", 2);
  junk.value = "\xff\xff not a proto";
  EXPECT_EQ(*s->handle(junk), Handled::kDeadLettered);
  ASSERT_EQ(dead.size(), 2u);
  EXPECT_EQ(dead[0].reason, "webhook_rejected");
  EXPECT_EQ(dead[1].reason, "decode");
}

// The backoff schedule itself is the runtime's (tests/runtime/retry_test.cc).

TEST(RepAlertsBackoff, BadUrlIsRefused) {
  auto store = DeliveredStore::open(std::filesystem::temp_directory_path() /
                                    ("baton-notify-url-" + std::to_string(::getpid())));
  ASSERT_TRUE(store);
  SinkOptions o;
  o.url = "ftp://x/y";
  EXPECT_FALSE(WebhookSink::create(o, **store, nullptr, nullptr));
  o.url = "http:///path";
  EXPECT_FALSE(WebhookSink::create(o, **store, nullptr, nullptr));
}

}  // namespace
}  // namespace baton::notify
