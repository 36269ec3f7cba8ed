// State encoding and the JSON shapes served by the query routes.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "domain/calibration.h"
#include "domain/funnel.h"
#include "domain/lead.h"

namespace baton::feedback::app {

// Parses a stored message; nullopt when absent, error string when corrupt.
template <typename M>
std::optional<M> parse_state(const std::optional<std::string>& bytes, bool* corrupt) {
  if (corrupt) *corrupt = false;
  if (!bytes) return std::nullopt;
  M m;
  if (!m.ParseFromString(*bytes)) {
    if (corrupt) *corrupt = true;
    return std::nullopt;
  }
  return m;
}

// GET /leads/{id}/timeline body.
std::string timeline_json(const state::LeadRecord& lead);
// GET /funnel?by=... body.
std::string funnel_json(std::string_view by, const std::vector<FunnelRow>& rows);
// GET /calibration body.
std::string calibration_json(const CalibrationReport& report, const CalibrationPolicy& p);
std::string error_json(std::string_view message);

}  // namespace baton::feedback::app
