// Restore: an instance's RocksDB folder is deleted while it is stopped;
// after restart the state is rebuilt from the changelog and equals the
// oracle, and /readyz answered 503 before the restore ended.
#include <signal.h>

#include <filesystem>

#include "refproc/refproc_fixture.h"

namespace baton::test {
namespace {

using namespace std::chrono_literals;

TEST_F(RefProcFixture, LostStateFolderIsRestoredFromTheChangelog) {
  produce_inputs(0, 5000, 50);
  int port = free_port();
  {
    auto a = start_instance("a", port);
    ASSERT_TRUE(wait_until(
        [&] {
          drain(out_, outs_, 100ms);
          return outs_.size() >= 5000;
        },
        120s, 10ms))
        << a->log_path();
    a->signal(SIGTERM);
    ASSERT_EQ(a->wait(30s), std::optional<int>(0));
  }
  auto state = dir_ + "/state/a";
  ASSERT_TRUE(std::filesystem::exists(state));
  std::filesystem::remove_all(state);

  auto b = start_instance("a", port);
  bool saw_not_ready = false;
  ASSERT_TRUE(wait_until(
      [&] {
        auto r = http_get(port, "/readyz");
        if (r && r->status == 503) saw_not_ready = true;
        return r && r->status == 200;
      },
      120s, 5ms))
      << b->log_path();
  EXPECT_TRUE(saw_not_ready);
  auto restored = metric(port, "baton_restored_records_total");
  ASSERT_TRUE(restored.has_value());
  EXPECT_GT(*restored, 0);
  // The restored totals equal the oracle, key by key.
  for (const auto& [key, count] : oracle_.count) {
    auto r = http_get(port, "/totals/" + key);
    ASSERT_TRUE(r && r->status == 200) << key;
    EXPECT_EQ(r->body, "{\"count\":" + std::to_string(count) +
                           ",\"sum\":" + std::to_string(oracle_.sum[key]) + "}");
  }
  // And processing continues on top of the restored state.
  produce_inputs(5000, 1000, 50);
  ASSERT_TRUE(wait_until(
      [&] {
        drain(out_, outs_, 100ms);
        drain(timers_, ticks_, 100ms);
        return outs_.size() >= 6000 &&
               ticks_.size() >= static_cast<size_t>(oracle_.expected_timers());
      },
      120s, 10ms));
  b->signal(SIGTERM);
  EXPECT_EQ(b->wait(30s), std::optional<int>(0));
  verify_exactly_once();
}

}  // namespace
}  // namespace baton::test
