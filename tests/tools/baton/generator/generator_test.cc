#include "generator/generator.h"

#include <gtest/gtest.h>

#include <set>

#include "baton/v1/activity.pb.h"
#include "baton/v1/lead.pb.h"
#include "baton/v1/lifecycle.pb.h"

namespace baton::cli::gen {
namespace {

const TimePoint kStart = TimePoint(std::chrono::seconds(1735725600));  // 2025-01-01T10:00:00Z

std::string stream_bytes(uint64_t seed, int64_t count) {
  LeadStream stream({seed, 10, count, 60, kStart});
  std::string out;
  while (auto e = stream.next()) out += canonical_bytes(*e);
  return out;
}

// Index of the first differing byte, or -1 (keeps failure output short).
long first_difference(const std::string& a, const std::string& b) {
  for (size_t i = 0; i < std::min(a.size(), b.size()); ++i)
    if (a[i] != b[i]) return static_cast<long>(i);
  return a.size() == b.size() ? -1 : static_cast<long>(std::min(a.size(), b.size()));
}

TEST(LeadStream, SameSeedGivesIdenticalBytes) {
  auto a = stream_bytes(42, 200);
  EXPECT_GT(a.size(), 100000u);
  EXPECT_EQ(first_difference(a, stream_bytes(42, 200)), -1);
}

TEST(LeadStream, DifferentSeedGivesDifferentBytes) {
  EXPECT_NE(first_difference(stream_bytes(42, 200), stream_bytes(43, 200)), -1);
}

TEST(LeadStream, EmitsEveryLeadOnceInTimeOrderWithItsSignalsAfterIt) {
  LeadStream stream({7, 5, 100, 1, kStart});
  std::set<std::string> captured;
  TimePoint last = kStart;
  int signals = 0;
  while (auto e = stream.next()) {
    EXPECT_GE(e->at, last);
    last = e->at;
    if (e->topic == TopicRole::kLeadsCaptured) {
      v1::LeadCaptured lead;
      ASSERT_TRUE(lead.ParseFromString(e->value));
      EXPECT_EQ(lead.envelope().lead_id(), e->key);
      EXPECT_FALSE(lead.source().empty());
      EXPECT_FALSE(lead.latest_touch().landing_page().empty());
      EXPECT_TRUE(lead.has_first_touch());
      captured.insert(e->key);
    } else {
      ASSERT_EQ(e->topic, TopicRole::kLeadsSignals);
      EXPECT_TRUE(captured.count(e->key)) << "signal before its lead " << e->key;
      ++signals;
    }
  }
  EXPECT_EQ(captured.size(), 100u);
  EXPECT_GT(signals, 50);
  EXPECT_EQ(stream.leads_emitted(), 100);
}

TEST(LeadStream, UsesSeveralSources) {
  LeadStream stream({3, 10, 300, 1, kStart});
  std::set<std::string> sources;
  while (auto e = stream.next()) {
    if (e->topic != TopicRole::kLeadsCaptured) continue;
    v1::LeadCaptured lead;
    ASSERT_TRUE(lead.ParseFromString(e->value));
    sources.insert(lead.source());
  }
  EXPECT_EQ(sources,
            (std::set<std::string>{"g2", "google", "linkedin", "organic", "partner", "webinar"}));
}

TEST(Roster, HasReposAcrossTimeZonesAndOneOutOfOffice) {
  auto reps = default_roster();
  std::set<std::string> zones, pools;
  int ooo = 0;
  for (const auto& r : reps) {
    zones.insert(r.time_zone());
    for (const auto& p : r.pools()) pools.insert(p);
    ooo += r.out_of_office_size() > 0;
  }
  EXPECT_EQ(reps.size(), 8u);
  EXPECT_EQ(pools.size(), 3u);
  EXPECT_TRUE(zones.count("America/New_York") && zones.count("Europe/Berlin") &&
              zones.count("Asia/Singapore"));
  EXPECT_EQ(ooo, 1);
}

ObservedAssignment assignment(const std::string& lead, int reassignment) {
  return {lead, "rep-ana", v1::TIER_HIGH_INTENT, reassignment, 0, "DE", kStart};
}

TEST(FollowUp, IsDeterministicForASeed) {
  std::string a, b;
  for (int i = 0; i < 50; ++i) {
    for (auto& e : plan_follow_up(9, 60, assignment("L" + std::to_string(i), 0)))
      a += canonical_bytes(e);
    for (auto& e : plan_follow_up(9, 60, assignment("L" + std::to_string(i), 0)))
      b += canonical_bytes(e);
  }
  EXPECT_FALSE(a.empty());
  EXPECT_EQ(first_difference(a, b), -1);
}

TEST(FollowUp, RepsTouchQuicklySlowlyOrNeverAndLaterOwnersAlwaysTouch) {
  int counts[3] = {0, 0, 0};
  for (int i = 0; i < 400; ++i) {
    auto a = assignment("L" + std::to_string(i), 0);
    a.rep_id = "rep-" + std::to_string(i % 8);
    auto kind = responsiveness(5, a);
    counts[static_cast<int>(kind)]++;
    EXPECT_EQ(plan_follow_up(5, 1, a).empty(), kind == Responsiveness::kNever);
    a.reassignment_count = 1;
    EXPECT_NE(responsiveness(5, a), Responsiveness::kNever);
  }
  EXPECT_GT(counts[0], 0);
  EXPECT_GT(counts[1], 0);
  EXPECT_GT(counts[2], 0);
}

TEST(FollowUp, TouchesComeFirstAndStagesCarryDispositionsAndAmounts) {
  bool won = false, disposed = false;
  for (int i = 0; i < 300; ++i) {
    auto events = plan_follow_up(11, 1, assignment("L" + std::to_string(i), 1));
    ASSERT_FALSE(events.empty());
    EXPECT_EQ(events.front().topic, TopicRole::kSalesActivities);
    for (size_t k = 1; k < events.size(); ++k) EXPECT_GE(events[k].at, events[k - 1].at);
    for (const auto& e : events) {
      if (e.topic != TopicRole::kCrmStageChanges) continue;
      v1::StageChange sc;
      ASSERT_TRUE(sc.ParseFromString(e.value));
      EXPECT_EQ(sc.owner_rep_id(), "rep-ana");
      if (sc.stage() == v1::STAGE_WON) {
        won = true;
        EXPECT_GT(sc.amount_minor(), 0);
        EXPECT_EQ(sc.currency(), "EUR");
      }
      if (sc.stage() == v1::STAGE_LOST || sc.stage() == v1::STAGE_REJECTED ||
          sc.stage() == v1::STAGE_RECYCLED) {
        disposed = true;
        EXPECT_NE(sc.disposition().reason(), v1::DISPOSITION_UNSPECIFIED);
      }
    }
  }
  EXPECT_TRUE(won);
  EXPECT_TRUE(disposed);
}

TEST(FollowUp, TimeScaleCompressesDelays) {
  auto slow = plan_follow_up(11, 1, assignment("L1", 1));
  auto fast = plan_follow_up(11, 60, assignment("L1", 1));
  ASSERT_EQ(slow.size(), fast.size());
  ASSERT_FALSE(slow.empty());
  EXPECT_LT(fast.back().at - kStart, slow.back().at - kStart);
}

}  // namespace
}  // namespace baton::cli::gen
