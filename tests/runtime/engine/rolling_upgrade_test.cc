// Rolling upgrade (issue 20, point 5): three instances of the reference
// processor at state schema 1 are replaced one at a time, under load, by
// the build one schema later (baton-refproc-v2: "count:sum:mean_milli").
// During the rollout tasks move between old and new builds: the new build
// migrates schema-1 records as it reads them, the old one reads schema-2
// records as its own. Every input's effect and every timer appears exactly
// once, and afterwards every key's state is in the new schema with the
// oracle's totals.
#include <signal.h>

#include "refproc/refproc_fixture.h"

namespace baton::test {
namespace {

using namespace std::chrono_literals;

TEST_F(RefProcFixture, RollingUpgradeToTheNextStateSchemaLosesAndDuplicatesNothing) {
  constexpr int kKeys = 60;
  produce_inputs(0, 6000, kKeys);
  std::map<std::string, int> ports{{"a", free_port()}, {"b", free_port()}, {"c", free_port()}};
  std::map<std::string, std::unique_ptr<Child>> running;
  for (const auto& [name, port] : ports) running[name] = start_instance(name, port);
  auto progress = [&](size_t n) {
    return wait_until(
        [&] {
          drain(out_, outs_, 100ms);
          return outs_.size() >= n;
        },
        180s, 10ms);
  };
  auto ready = [&](int port) {
    return wait_until(
        [&] {
          auto r = http_get(port, "/readyz");
          return r && r->status == 200;
        },
        120s, 50ms);
  };
  ASSERT_TRUE(progress(2000)) << dir_;
  int64_t seq = 6000;
  for (const auto& [name, port] : ports) {
    // One instance at a time: graceful stop of the old build, the new
    // build under the same instance id, more load while it joins.
    running[name]->signal(SIGTERM);
    EXPECT_EQ(running[name]->wait(30s), std::optional<int>(0)) << running[name]->log_path();
    running[name] = start_instance(name, port, "baton-refproc-v2");
    produce_inputs(seq, 3000, kKeys);
    seq += 3000;
    ASSERT_TRUE(ready(port)) << running[name]->log_path();
    ASSERT_TRUE(progress(static_cast<size_t>(seq) - 1500)) << dir_;
    if (name == "a") {
      // The first new instance steps away (a reschedule mid-rollout): its
      // schema-2 records go to the old builds, which must read them.
      ASSERT_TRUE(progress(static_cast<size_t>(seq))) << dir_;
      running[name]->signal(SIGTERM);
      EXPECT_EQ(running[name]->wait(30s), std::optional<int>(0)) << running[name]->log_path();
      produce_inputs(seq, 1500, kKeys);
      seq += 1500;
      ASSERT_TRUE(progress(static_cast<size_t>(seq))) << dir_;
      const bool old_read_new =
          read_file(dir_ + "/b.log").find("newer schema") != std::string::npos ||
          read_file(dir_ + "/c.log").find("newer schema") != std::string::npos;
      EXPECT_TRUE(old_read_new) << "no old instance read a schema-2 record; " << dir_;
      running[name] = start_instance(name, port, "baton-refproc-v2");
      ASSERT_TRUE(ready(port)) << running[name]->log_path();
    }
  }
  ASSERT_TRUE(wait_until(
      [&] {
        drain(out_, outs_, 200ms);
        drain(timers_, ticks_, 200ms);
        return outs_.size() >= static_cast<size_t>(seq) &&
               ticks_.size() >= static_cast<size_t>(oracle_.expected_timers());
      },
      300s, 10ms))
      << outs_.size() << " of " << seq << " outputs; " << dir_;

  // Every key, asked of any instance (forwarded to its owner): the new
  // schema, the oracle's totals.
  for (const auto& entry : oracle_.count) {
    const std::string& key = entry.first;
    const int64_t count = entry.second;
    const int64_t sum = oracle_.sum[key];
    const std::string want =
        "{\"count\":" + std::to_string(count) + ",\"sum\":" + std::to_string(sum) +
        ",\"mean_milli\":" + std::to_string(sum * 1000 / count) + ",\"schema\":2}";
    std::string got;
    EXPECT_TRUE(wait_until(
        [&] {
          auto r = http_get(ports["a"], "/totals/" + key);
          got = r ? std::to_string(r->status) + " " + r->body : "no answer";
          return r && r->status == 200 && r->body == want;
        },
        60s, 50ms))
        << key << ": got " << got << ", want " << want;
  }
  for (auto& [name, child] : running) {
    child->signal(SIGTERM);
    EXPECT_EQ(child->wait(30s), std::optional<int>(0)) << child->log_path();
  }
  verify_exactly_once();
}

}  // namespace
}  // namespace baton::test
