#include "calibration.h"

#include <cstdio>
#include <optional>

namespace baton::feedback {
namespace {

std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

}  // namespace

std::string calibration_key(const std::string& band) {
  return std::string(kCalibrationPrefix) + band;
}

std::string score_band(double score, const CalibrationPolicy& p) {
  const auto& e = p.band_edges;
  if (e.empty()) return "all";
  if (score < e.front()) return "<" + num(e.front());
  for (size_t i = 0; i + 1 < e.size(); ++i)
    if (score < e[i + 1]) return num(e[i]) + "-" + num(e[i + 1]);
  return num(e.back()) + "+";
}

CalibrationReport calibrate(const std::map<std::string, state::BandCounts>& by_band,
                            const CalibrationPolicy& p) {
  // Band names in policy order with their lower edge; unknown names (an old
  // band layout) are reported after them and never flagged.
  std::vector<std::pair<std::string, std::optional<double>>> order;
  if (!p.band_edges.empty()) order.emplace_back("<" + num(p.band_edges.front()), std::nullopt);
  for (double edge : p.band_edges) order.emplace_back(score_band(edge, p), edge);
  for (const auto& [name, _] : by_band) {
    bool listed = false;
    for (const auto& o : order) listed = listed || o.first == name;
    if (!listed) order.emplace_back(name, std::nullopt);
  }

  CalibrationReport r;
  int64_t total = 0, converted = 0;
  for (const auto& [_, c] : by_band) {
    total += c.handed_off();
    converted += c.converted();
  }
  r.average_conversion =
      total == 0 ? 0.0 : static_cast<double>(converted) / static_cast<double>(total);
  for (const auto& [name, lower] : order) {
    auto it = by_band.find(name);
    if (it == by_band.end()) continue;
    BandReport b;
    b.band = name;
    b.handed_off = it->second.handed_off();
    b.converted = it->second.converted();
    b.conversion = b.handed_off == 0
                       ? 0.0
                       : static_cast<double>(b.converted) / static_cast<double>(b.handed_off);
    b.ratio_to_average = r.average_conversion == 0 ? 0.0 : b.conversion / r.average_conversion;
    b.flagged = lower.has_value() && *lower >= p.high_score_from && b.handed_off >= p.min_leads &&
                b.conversion < p.ratio * r.average_conversion;
    if (b.flagged) ++r.flagged;
    r.bands.push_back(std::move(b));
  }
  return r;
}

}  // namespace baton::feedback
