// The SLA monitor's names for the one time module (runtime/time/): clock
// types, zones and the working-time Calendar.
#pragma once

#include "baton/time/calendar.h"
#include "baton/time/civil.h"
#include "baton/time/time.h"
#include "baton/time/zone.h"

namespace baton::sla {

namespace time = ::baton::time;
using time::Calendar;
using time::CalendarSpec;
using time::days_from_civil;
using time::floor_div;
using time::format_date;
using time::Millis;
using time::parse_date;
using time::TimePoint;
using time::TimeZone;

}  // namespace baton::sla
