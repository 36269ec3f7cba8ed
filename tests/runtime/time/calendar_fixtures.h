// Fixtures for the calendar tests: zones from the system tzdata, instants in
// UTC, a New York Monday-Friday 09:00-17:00 calendar.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "baton/time/calendar.h"
#include "baton/time/civil.h"

namespace baton::time::testing {

inline std::shared_ptr<const TimeZone> load_zone(const std::string& name) {
  return system_zones().get(name);
}

inline TimePoint utc(int y, int mo, int d, int h = 0, int mi = 0, int s = 0) {
  return from_millis((days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s) * 1000);
}

inline Calendar new_york(std::vector<std::string> holidays = {"2024-12-25"}) {
  CalendarSpec spec;
  spec.time_zone = "America/New_York";
  spec.holidays = std::move(holidays);
  return Calendar(spec, load_zone("America/New_York"));
}

}  // namespace baton::time::testing
