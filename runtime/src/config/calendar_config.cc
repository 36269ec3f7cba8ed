#include "baton/runtime/calendar_config.h"

namespace baton::runtime {

time::HolidayCalendars read_holiday_calendars(ConfigNode& section) {
  time::HolidayCalendars out;
  auto hc = section.child("holiday_calendars");
  for (auto& [name, node] : section.entries("holiday_calendars")) {
    (void)node;
    out[name] = hc.str_list(name);
  }
  hc.done();
  return out;
}

}  // namespace baton::runtime
