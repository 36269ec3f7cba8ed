// The TopologyDriver itself: outputs piped on to their readers, timers fired
// in due order at their due time, global tables, rejections kept.
#include "baton/testing/topology_driver.h"

#include <gtest/gtest.h>

namespace baton::testing {
namespace {

using namespace std::chrono_literals;
using runtime::Effects;
using runtime::ProcessResult;

// Counts "in" records per key; every count is written to "out", which a
// second processor echoes to "echo"; a key "later" sets timers at +2 s and
// +1 s; a key "bad" is rejected.
struct Counter : runtime::Processor {
  std::string name() const override { return "counter"; }
  std::vector<std::string> input_topics() const override { return {"in"}; }
  ProcessResult on_record(const runtime::Record& in, const runtime::StateView& state,
                          runtime::TimePoint now) override {
    if (in.key == "bad") return runtime::Rejection{"decode", "bad on purpose"};
    Effects fx;
    const int n = std::stoi(state.get("n/" + in.key).value_or("0")) + 1;
    fx.put("n/" + in.key, std::to_string(n));
    runtime::Output o;
    o.topic = "out";
    o.key = in.key;
    o.value = std::to_string(n) + "@" + state.global("table", "tag").value_or("-");
    o.event_time = now;
    fx.emit(std::move(o));
    if (in.key == "later") {
      fx.set_timer("b", now + 2s, "second");
      fx.set_timer("a", now + 1s, "first");
    }
    return fx;
  }
  ProcessResult on_timer(const runtime::Timer& t, const runtime::StateView&,
                         runtime::TimePoint now) override {
    Effects fx;
    fx.put("fired/" + t.payload, std::to_string(runtime::to_millis(now)));
    return fx;
  }
};
struct Echo : runtime::Processor {
  std::string name() const override { return "echo"; }
  std::vector<std::string> input_topics() const override { return {"out"}; }
  ProcessResult on_record(const runtime::Record& in, const runtime::StateView&,
                          runtime::TimePoint now) override {
    Effects fx;
    runtime::Output o;
    o.topic = "echo";
    o.key = in.key;
    o.value = in.value;
    o.event_time = now;
    fx.emit(std::move(o));
    return fx;
  }
  ProcessResult on_timer(const runtime::Timer&, const runtime::StateView&,
                         runtime::TimePoint) override {
    return Effects{};
  }
};

runtime::Record rec(const std::string& key) {
  runtime::Record r;
  r.topic = "in";
  r.key = key;
  return r;
}

TEST(TopologyDriverTest, PipesOutputsOnFiresTimersInOrderAndKeepsRejections) {
  Counter counter;
  Echo echo;
  TopologyDriver d;
  d.add(&counter);
  d.add(&echo);
  d.put_global("table", "tag", "v1");
  const auto t0 = runtime::from_millis(1'000'000);
  d.pipe(rec("k"), t0);
  d.pipe(rec("k"), t0);
  ASSERT_EQ(d.output("echo").size(), 2u);
  EXPECT_EQ(d.output("echo")[1].value, "2@v1") << "state and global tables seen";
  EXPECT_EQ(d.state("counter").get("n/k"), std::optional<std::string>("2"));

  d.pipe(rec("later"), t0);
  EXPECT_EQ(d.timers("counter").size(), 2u);
  d.advance(t0 + 1500ms);
  EXPECT_EQ(d.state("counter").get("fired/first"), std::optional<std::string>("1001000"));
  EXPECT_FALSE(d.state("counter").get("fired/second")) << "not due yet";
  d.advance(t0 + 5s);
  EXPECT_EQ(d.state("counter").get("fired/second"), std::optional<std::string>("1002000"))
      << "fired at its due time";
  EXPECT_EQ(d.now(), t0 + 5s);

  d.pipe(rec("bad"), t0 + 6s);
  ASSERT_EQ(d.rejections().size(), 1u);
  EXPECT_EQ(d.rejections()[0], "decode");
  EXPECT_EQ(d.rejection_details()[0], "counter in: decode: bad on purpose");
}

// StateView::global_version: 0 before a table's first record, a new value
// for every record put (never one another table or driver had), kept by
// copy_state_from with the table it versions.
TEST(TopologyDriverTest, AGlobalTablesVersionMovesWithEachRecord) {
  Counter c;
  TopologyDriver d, other;
  d.add(&c);
  other.add(&c);
  const auto& st = d.state("counter");
  EXPECT_EQ(st.global_version("table"), 0u);
  d.put_global("table", "tag", "v1");
  const uint64_t v1 = st.global_version("table");
  EXPECT_NE(v1, 0u);
  EXPECT_EQ(st.global_version("table"), v1) << "unchanged until the next record";
  d.put_global("table", "tag", "v1");
  EXPECT_GT(st.global_version("table"), v1) << "every record applied moves it";
  EXPECT_EQ(st.global_version("other"), 0u);
  other.put_global("table", "tag", "v1");
  EXPECT_NE(other.state("counter").global_version("table"), st.global_version("table"));
  other.copy_state_from(d);
  EXPECT_EQ(other.state("counter").global_version("table"), st.global_version("table"));
}

}  // namespace
}  // namespace baton::testing
