// The one reader of the `holiday_calendars` config block, shared by the
// router and the SLA monitor:
//
//   holiday_calendars:
//     us: ["2025-01-01", "2025-07-04"]
//     de: ["2025-01-01", "2025-10-03"]
//
// A rep's roster `holiday_calendar_id` names one. Dates are checked by the
// service with time::check_holiday_calendars (errors name the field).
#pragma once

#include "baton/runtime/config.h"
#include "baton/time/calendar.h"

namespace baton::runtime {

time::HolidayCalendars read_holiday_calendars(ConfigNode& section);

}  // namespace baton::runtime
