#include "domain/scoring.h"

#include <gtest/gtest.h>

#include "fixtures.h"

namespace baton::router {
namespace {

using test::at;

v1::LeadCaptured lead(const std::string& industry, const std::string& band,
                      const std::string& seniority, const std::string& email) {
  v1::LeadCaptured l;
  l.mutable_company()->set_industry(industry);
  l.mutable_company()->set_employee_band(band);
  l.mutable_person()->set_seniority(seniority);
  l.mutable_person()->set_email(email);
  return l;
}

v1::RecordedSignal sig(v1::SignalType t, double pts, const std::string& when) {
  v1::RecordedSignal s;
  s.set_type(t);
  s.set_points(pts);
  s.set_time_ms(time::to_millis(at(when)));
  return s;
}

struct FitCase {
  const char* name;
  v1::LeadCaptured lead;
  double fit;
  std::vector<std::string> rules;
};

class Fit : public ::testing::TestWithParam<FitCase> {};

TEST_P(Fit, FitPointsComeFromFirmographicsWithBreakdown) {
  const auto& c = GetParam();
  v1::Score s = score_lead(c.lead, {}, test::base_config().scoring, at("2024-03-01T00:00:00Z"));
  EXPECT_DOUBLE_EQ(s.fit(), c.fit);
  std::vector<std::string> rules;
  for (const auto& b : s.breakdown()) rules.push_back(b.rule());
  EXPECT_EQ(rules, c.rules);
}

INSTANTIATE_TEST_SUITE_P(
    Firmographics, Fit,
    ::testing::Values(FitCase{"ideal",
                              lead("Software", "201-1000", "VP", "a@acme.example"),
                              45,
                              {"fit.industry.software", "fit.employees.mid", "fit.seniority.vp"}},
                      FitCase{"partial",
                              lead("retail", "201-1000", "manager", "a@acme.example"),
                              15,
                              {"fit.employees.mid"}},
                      FitCase{"student_negative",
                              lead("software", "", "student", "a@uni.example"),
                              -20,
                              {"fit.industry.software", "fit.seniority.student"}},
                      FitCase{"competitor_domain",
                              lead("software", "", "", "spy@Rival.example"),
                              -30,
                              {"fit.industry.software", "fit.domain.competitor"}},
                      FitCase{"nothing_known", lead("", "", "", ""), 0, {}}),
    [](const auto& i) { return std::string(i.param.name); });

TEST(Intent, DecaysWithHalfLifeAndCountsNegativeSignals) {
  auto m = test::base_config().scoring;  // half-life 7 days
  v1::LeadCaptured l;
  struct Case {
    std::vector<v1::RecordedSignal> signals;
    double intent;
  } cases[] = {
      {{sig(v1::SIGNAL_DEMO_REQUEST, 40, "2024-03-01T00:00:00Z")}, 40},
      {{sig(v1::SIGNAL_DEMO_REQUEST, 40, "2024-02-23T00:00:00Z")}, 20},  // one half-life
      {{sig(v1::SIGNAL_DEMO_REQUEST, 40, "2024-02-16T00:00:00Z")}, 10},  // two
      {{sig(v1::SIGNAL_PRICING_PAGE_VIEW, 20, "2024-03-01T00:00:00Z"),
        sig(v1::SIGNAL_CAREERS_PAGE_VIEW, -10, "2024-03-01T00:00:00Z")},
       10},
      {{sig(v1::SIGNAL_UNSUBSCRIBE, -30, "2024-03-01T00:00:00Z")}, -30},
  };
  for (const auto& c : cases) {
    v1::Score s = score_lead(l, c.signals, m, at("2024-03-01T00:00:00Z"));
    EXPECT_DOUBLE_EQ(s.intent(), c.intent);
    EXPECT_EQ(s.breakdown_size(), static_cast<int>(c.signals.size()));
  }
}

TEST(Intent, EachSignalSaysItsPointsAndAge) {
  // The handoff's reason for each intent item: the rep reads it.
  auto m = test::base_config().scoring;
  v1::Score s = score_lead(v1::LeadCaptured{},
                           {sig(v1::SIGNAL_DEMO_REQUEST, 40, "2024-02-28T12:00:00Z"),
                            sig(v1::SIGNAL_PRICING_PAGE_VIEW, 20, "2024-03-01T00:00:00Z")},
                           m, at("2024-03-01T00:00:00Z"));
  ASSERT_EQ(s.breakdown_size(), 2);
  EXPECT_EQ(s.breakdown(0).detail(), "40 points, 1.5 days old");
  EXPECT_EQ(s.breakdown(1).detail(), "20 points, 0.0 days old");
}

TEST(Qualification, SalesReadyNeedsFitAndIntent) {
  auto m = test::base_config().scoring;  // fit >= 30, intent >= 20
  auto now = "2024-03-01T00:00:00Z";
  auto good = lead("software", "201-1000", "", "");
  auto poor = lead("retail", "", "", "");
  auto demo = std::vector{sig(v1::SIGNAL_DEMO_REQUEST, 40, now)};
  auto content = std::vector{sig(v1::SIGNAL_CONTENT_DOWNLOAD, 5, now)};
  EXPECT_TRUE(score_lead(good, demo, m, at(now)).sales_ready());
  EXPECT_FALSE(score_lead(good, content, m, at(now)).sales_ready()) << "fit without intent";
  EXPECT_FALSE(score_lead(poor, demo, m, at(now)).sales_ready()) << "intent without fit";
}

TEST(Tier, FirstMatchingConditionElseNurture) {
  auto cfg = test::base_config();
  auto now = "2024-03-01T00:00:00Z";
  auto good = lead("software", "201-1000", "", "");
  struct Case {
    v1::LeadCaptured lead;
    std::vector<v1::RecordedSignal> signals;
    v1::Tier tier;
  } cases[] = {
      {good, {sig(v1::SIGNAL_DEMO_REQUEST, 40, now)}, v1::TIER_HIGH_INTENT},
      {good, {sig(v1::SIGNAL_PRICING_PAGE_VIEW, 20, now)}, v1::TIER_STANDARD},
      {good, {sig(v1::SIGNAL_CONTENT_DOWNLOAD, 5, now)}, v1::TIER_NURTURE},
      {lead("retail", "", "", ""), {sig(v1::SIGNAL_DEMO_REQUEST, 40, now)}, v1::TIER_NURTURE},
  };
  for (const auto& c : cases) {
    v1::Score s = score_lead(c.lead, c.signals, cfg.scoring, at(now));
    EXPECT_EQ(pick_tier(s, c.lead, c.signals, cfg.tiers), c.tier);
  }
}

}  // namespace
}  // namespace baton::router
