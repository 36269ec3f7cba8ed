#include "domain/timeline.h"

#include <gtest/gtest.h>

#include "fixtures.h"

namespace baton::feedback {
namespace {

using namespace test;

state::TimelineEntry e(int64_t t, const std::string& kind) {
  state::TimelineEntry x;
  *x.mutable_at() = at(t);
  x.set_kind(kind);
  return x;
}

TEST(Timeline, KeepsEventTimeOrderWithArrivalOrderForTies) {
  state::LeadRecord l;
  add_to_timeline(l, e(10, "captured"), 100);
  add_to_timeline(l, e(30, "touch"), 100);
  add_to_timeline(l, e(20, "assigned"), 100);  // arrives late
  add_to_timeline(l, e(20, "sla_clock_started"), 100);
  add_to_timeline(l, e(5, "scored"), 100);
  std::vector<std::string> kinds;
  for (const auto& x : l.timeline()) kinds.push_back(x.kind());
  EXPECT_EQ(kinds, (std::vector<std::string>{"scored", "captured", "assigned", "sla_clock_started",
                                             "touch"}));
}

TEST(Timeline, ViewHasDurationSincePreviousStep) {
  state::LeadRecord l;
  add_to_timeline(l, e(10, "captured"), 100);
  add_to_timeline(l, e(70, "assigned"), 100);
  add_to_timeline(l, e(370, "touch"), 100);
  const auto v = timeline_view(l);
  ASSERT_EQ(v.size(), 3u);
  EXPECT_EQ(v[0].since_previous_seconds, 0);
  EXPECT_EQ(v[1].since_previous_seconds, 60);
  EXPECT_EQ(v[2].since_previous_seconds, 300);
}

TEST(Timeline, DropsOldestBeyondTheCap) {
  state::LeadRecord l;
  for (int i = 0; i < 5; ++i) add_to_timeline(l, e(i, "touch"), 3);
  ASSERT_EQ(l.timeline_size(), 3);
  EXPECT_EQ(l.timeline(0).at().seconds(), 2);
  EXPECT_EQ(l.timeline_dropped(), 2);
}

}  // namespace
}  // namespace baton::feedback
