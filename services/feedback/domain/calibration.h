// Score calibration: conversion by score band at handoff. A band that scores
// high (lower edge >= high_score_from) but converts below ratio x the
// average conversion, with at least min_leads handed off, is flagged.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "baton/feedback/state.pb.h"
#include "baton/v1/common.pb.h"

namespace baton::feedback {

struct CalibrationPolicy {
  // Ascending lower edges of the handoff score (fit + intent).
  std::vector<double> band_edges{0, 25, 50, 75, 100};
  double ratio = 0.5;
  double high_score_from = 50;
  int64_t min_leads = 20;
  // A lead converts when it reaches this stage (Opportunity or Won).
  v1::Stage converted_at = v1::STAGE_OPPORTUNITY;
};

inline constexpr std::string_view kCalibrationPrefix = "calibration/band/";
std::string calibration_key(const std::string& band);

// "0-25", "25-50", ..., "100+"; "<0" below the first edge.
std::string score_band(double score, const CalibrationPolicy& p);

struct BandReport {
  std::string band;
  int64_t handed_off = 0;
  int64_t converted = 0;
  double conversion = 0;
  // conversion / average conversion (0 when the average is 0).
  double ratio_to_average = 0;
  bool flagged = false;
};

struct CalibrationReport {
  double average_conversion = 0;
  std::vector<BandReport> bands;  // in band order
  int flagged = 0;
};

CalibrationReport calibrate(const std::map<std::string, state::BandCounts>& by_band,
                            const CalibrationPolicy& p);

}  // namespace baton::feedback
