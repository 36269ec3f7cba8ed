#include "domain/calibration.h"

#include <gtest/gtest.h>

namespace baton::feedback {
namespace {

state::BandCounts counts(int64_t handed_off, int64_t converted) {
  state::BandCounts c;
  c.set_handed_off(handed_off);
  c.set_converted(converted);
  return c;
}

TEST(ScoreBand, UsesLowerEdges) {
  CalibrationPolicy p;
  EXPECT_EQ(score_band(-3, p), "<0");
  EXPECT_EQ(score_band(0, p), "0-25");
  EXPECT_EQ(score_band(24.9, p), "0-25");
  EXPECT_EQ(score_band(25, p), "25-50");
  EXPECT_EQ(score_band(99, p), "75-100");
  EXPECT_EQ(score_band(100, p), "100+");
  EXPECT_EQ(score_band(250, p), "100+");
}

TEST(Calibration, FlagsHighBandsThatConvertBelowRatioOfAverage) {
  CalibrationPolicy p;  // ratio 0.5, high from 50, min 20 leads
  std::map<std::string, state::BandCounts> bands{
      {"0-25", counts(100, 10)},   // 10%
      {"25-50", counts(100, 30)},  // 30%
      {"50-75", counts(100, 40)},  // 40%
      {"75-100", counts(100, 4)},  // 4%: high score, converts low
  };
  const auto r = calibrate(bands, p);
  EXPECT_NEAR(r.average_conversion, 84.0 / 400.0, 1e-12);
  ASSERT_EQ(r.bands.size(), 4u);
  EXPECT_EQ(r.bands[0].band, "0-25");
  EXPECT_EQ(r.bands[3].band, "75-100");
  EXPECT_FALSE(r.bands[0].flagged) << "low bands are expected to convert low";
  EXPECT_FALSE(r.bands[2].flagged);
  EXPECT_TRUE(r.bands[3].flagged);
  EXPECT_NEAR(r.bands[3].ratio_to_average, 0.04 / 0.21, 1e-9);
  EXPECT_EQ(r.flagged, 1);
}

TEST(Calibration, TooFewLeadsAreNeverFlagged) {
  CalibrationPolicy p;
  std::map<std::string, state::BandCounts> bands{{"0-25", counts(100, 50)},
                                                 {"75-100", counts(19, 0)}};
  const auto r = calibrate(bands, p);
  EXPECT_EQ(r.flagged, 0);
  bands["75-100"] = counts(20, 0);
  EXPECT_EQ(calibrate(bands, p).flagged, 1);
}

TEST(Calibration, RatioIsConfigurable) {
  CalibrationPolicy p;
  p.ratio = 0.9;
  std::map<std::string, state::BandCounts> bands{{"0-25", counts(100, 20)},
                                                 {"50-75", counts(100, 16)}};
  // average 18%; 16% < 0.9 * 18% = 16.2%
  EXPECT_EQ(calibrate(bands, p).flagged, 1);
  p.ratio = 0.8;
  EXPECT_EQ(calibrate(bands, p).flagged, 0);
}

TEST(Calibration, NoConversionsMeansNothingFlagged) {
  CalibrationPolicy p;
  std::map<std::string, state::BandCounts> bands{{"75-100", counts(50, 0)}};
  const auto r = calibrate(bands, p);
  EXPECT_EQ(r.average_conversion, 0);
  EXPECT_EQ(r.flagged, 0);
}

TEST(Calibration, BandsFromAnOldLayoutAreReportedNotFlagged) {
  CalibrationPolicy p;
  std::map<std::string, state::BandCounts> bands{{"0-25", counts(100, 50)},
                                                 {"90-95", counts(100, 0)}};
  const auto r = calibrate(bands, p);
  ASSERT_EQ(r.bands.size(), 2u);
  EXPECT_EQ(r.bands[1].band, "90-95");
  EXPECT_FALSE(r.bands[1].flagged);
}

}  // namespace
}  // namespace baton::feedback
