#include "timeline_view.h"

#include <gtest/gtest.h>

namespace baton::cli {
namespace {

TEST(Timeline, OneLinePerStepWithDurations) {
  std::vector<TimelineStep> steps = {{TimePoint(std::chrono::seconds(36000 + 245)), "ASSIGNED"},
                                     {TimePoint(std::chrono::seconds(36000)), "CAPTURED"}};
  auto lines = render_timeline(steps, true);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0].substr(0, 8), "10:00:00");
  EXPECT_NE(lines[0].find("CAPTURED"), std::string::npos);
  EXPECT_NE(lines[1].find("+4m 05s"), std::string::npos) << lines[1];
}

TEST(Timeline, ParsesAServiceAnswer) {
  auto steps = parse_timeline_json(
      R"({"lead_id":"L1","steps":[{"at":"2025-01-01T10:00:00Z","step":"captured","source":"google"},
          {"at":"2025-01-01T10:00:02Z","step":"assigned","rep":"rep-ana"}]})");
  ASSERT_TRUE(steps.has_value()) << steps.error().message;
  ASSERT_EQ(steps->size(), 2u);
  EXPECT_EQ((*steps)[1].text, "assigned rep=rep-ana");
  EXPECT_FALSE(parse_timeline_json("not json").has_value());
  EXPECT_FALSE(parse_timeline_json(R"({"nothing":1})").has_value());
}

}  // namespace
}  // namespace baton::cli
