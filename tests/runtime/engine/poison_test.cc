// Poison records: undecodable and invalid inputs go to the dead-letter
// topic with headers naming the reason, source topic, partition, offset and
// service; nothing else is lost and the service keeps running.
#include <signal.h>

#include "refproc/refproc_fixture.h"

namespace baton::test {
namespace {

using namespace std::chrono_literals;

TEST_F(RefProcFixture, BadRecordsGoToTheDeadLetterTopicWithHeaders) {
  produce_inputs(0, 1000);
  produce_raw("k1", "not a number");
  produce_raw("k2", "77:-5");
  produce_raw("k3", "");
  produce_inputs(1000, 1000);
  int port = free_port();
  auto a = start_instance("a", port);
  // The instance creates the dead-letter topic at start-up: read it once the
  // instance is ready (a slow start, e.g. under a sanitizer, is no failure).
  ASSERT_TRUE(wait_until(
      [&] {
        auto r = http_get(port, "/readyz");
        return r && r->status == 200;
      },
      120s))
      << a->log_path();
  std::vector<runtime::Record> dlq;
  ASSERT_TRUE(wait_until(
      [&] {
        drain(out_, outs_, 100ms);
        drain(app_ + "-dlq", dlq, 100ms);
        return outs_.size() >= 2000 && dlq.size() >= 3;
      },
      120s, 10ms))
      << a->log_path();
  EXPECT_TRUE(a->running());
  ASSERT_EQ(dlq.size(), 3u);
  std::map<std::string, int> reasons;
  for (const auto& r : dlq) {
    ASSERT_NE(r.header("baton.error.reason"), nullptr);
    ASSERT_NE(r.header("baton.error.detail"), nullptr);
    ASSERT_NE(r.header("baton.source.topic"), nullptr);
    ASSERT_NE(r.header("baton.source.partition"), nullptr);
    ASSERT_NE(r.header("baton.source.offset"), nullptr);
    ASSERT_NE(r.header("baton.service"), nullptr);
    EXPECT_EQ(*r.header("baton.source.topic"), in_);
    EXPECT_EQ(*r.header("baton.service"), "refproc");
    reasons[*r.header("baton.error.reason")]++;
  }
  EXPECT_EQ(reasons["decode"], 2);
  EXPECT_EQ(reasons["invalid"], 1);
  auto counted = metric(port, "baton_dead_letters_total");
  ASSERT_TRUE(counted.has_value());
  EXPECT_EQ(*counted, 3);
  // Timers fire at their due time: wait for all of them before stopping (a
  // slow run, e.g. under TSan, must not stop with some still pending).
  ASSERT_TRUE(wait_until(
      [&] {
        drain(timers_, ticks_, 100ms);
        return static_cast<int64_t>(ticks_.size()) >= oracle_.expected_timers();
      },
      120s, 10ms))
      << ticks_.size() << " of " << oracle_.expected_timers() << " timers; " << a->log_path();
  a->signal(SIGTERM);
  EXPECT_EQ(a->wait(30s), std::optional<int>(0));
  verify_exactly_once();
}

}  // namespace
}  // namespace baton::test
