#include "app/metrics.h"

#include <gtest/gtest.h>
#include <prometheus/text_serializer.h>

#include <algorithm>
#include <sstream>

namespace baton::router {
namespace {

std::string scrape(prometheus::Registry& r) {
  std::ostringstream out;
  prometheus::TextSerializer().Serialize(out, r.Collect());
  return out.str();
}

TEST(RouterMetrics, PoolAndSourceLabelsAreBounded) {
  prometheus::Registry reg;
  RouterMetrics m(reg, {"dach", "general"}, {"webinar", "Paid_Search"});
  EXPECT_EQ(m.pool_label("dach"), "dach");
  EXPECT_EQ(m.pool_label("made-up"), "other");
  EXPECT_EQ(m.source_label("WEBINAR"), "webinar");
  EXPECT_EQ(m.source_label("paid_search"), "paid_search");
  EXPECT_EQ(m.source_label("utm-campaign-8812"), "other");
  EXPECT_EQ(m.source_label(""), "unknown");
  prometheus::Registry reg2;
  RouterMetrics d(reg2, {});
  EXPECT_EQ(d.source_label("referral"), "referral");  // default list
}

TEST(RouterMetrics, LatencyHistogramHasTierAndTheSixtySecondBucket) {
  const auto& b = RouterMetrics::latency_buckets();
  for (double want : {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0})
    EXPECT_NE(std::find(b.begin(), b.end(), want), b.end()) << want;
  prometheus::Registry reg;
  RouterMetrics m(reg, {"dach"});
  m.routed(v1::TIER_HIGH_INTENT, "dach", "webinar", 42.0);
  m.held_delta(0, "dach", 1);
  m.roster_unknown_pool();
  std::string text = scrape(reg);
  auto bucket = [&](const std::string& le, int count) {
    std::string head =
        R"(baton_router_capture_to_assignment_seconds_bucket{tier="high-intent",le=")";
    std::string tail = "\"} " + std::to_string(count) + "\n";
    return text.find(head + le + tail) != std::string::npos ||
           text.find(head + le + ".0" + tail) != std::string::npos;
  };
  EXPECT_TRUE(bucket("60", 1)) << text;
  EXPECT_TRUE(bucket("30", 0)) << text;
  EXPECT_NE(text.find(R"(tier="nurture")"), std::string::npos);
  EXPECT_NE(
      text.find(
          R"(baton_router_leads_routed_total{pool="dach",source="webinar",tier="high-intent"} 1)"),
      std::string::npos)
      << text;
  EXPECT_NE(text.find(R"(baton_router_held_leads{pool="dach"} 1)"), std::string::npos);
  EXPECT_NE(text.find("baton_router_roster_unknown_pool_total 1"), std::string::npos);
}

TEST(RouterMetrics, GaugesFromStateAreTheSumOverHeldPartitions) {
  prometheus::Registry reg;
  RouterMetrics m(reg, {"dach", "general"});
  RouterMetrics::DeskLoad p0, p1;
  p0.held_by_pool = {{"dach", 3}};
  p0.open_by_rep = {{"rep-a", 2}};
  p1.held_by_pool = {{"general", 1}, {"unknown-pool", 4}};
  p1.open_by_rep = {{"rep-a", 1}, {"rep-b", 5}};
  m.set_desk_load(0, p0);
  m.set_desk_load(1, p1);
  m.held_delta(0, "dach", -1);
  m.open_leads_delta(1, "rep-b", 1);
  std::string text = scrape(reg);
  EXPECT_NE(text.find(R"(baton_router_held_leads{pool="dach"} 2)"), std::string::npos) << text;
  EXPECT_NE(text.find(R"(baton_router_held_leads{pool="other"} 4)"), std::string::npos) << text;
  EXPECT_NE(text.find(R"(baton_router_open_leads{rep="rep-a"} 3)"), std::string::npos) << text;
  EXPECT_NE(text.find(R"(baton_router_open_leads{rep="rep-b"} 6)"), std::string::npos) << text;
  // Revoking partition 1 takes away exactly what it held; re-announcing
  // partition 0 replaces its counts instead of adding to them.
  m.drop_desk_load(1);
  m.set_desk_load(0, p0);
  text = scrape(reg);
  EXPECT_NE(text.find(R"(baton_router_held_leads{pool="dach"} 3)"), std::string::npos) << text;
  EXPECT_NE(text.find(R"(baton_router_held_leads{pool="general"} 0)"), std::string::npos) << text;
  EXPECT_NE(text.find(R"(baton_router_held_leads{pool="other"} 0)"), std::string::npos) << text;
  EXPECT_NE(text.find(R"(baton_router_open_leads{rep="rep-a"} 2)"), std::string::npos) << text;
  EXPECT_NE(text.find(R"(baton_router_open_leads{rep="rep-b"} 0)"), std::string::npos) << text;
  m.drop_desk_load(7);  // never held: nothing happens
}

}  // namespace
}  // namespace baton::router
