// Loads IANA time zones from a zoneinfo directory (TZif files), once each.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "business_calendar.h"
#include "sla_config.h"
#include "time_zone.h"

namespace baton::sla::app {

class ZoneCache {
 public:
  explicit ZoneCache(std::string zoneinfo_dir);
  // nullptr with *error set when the zone is unknown or unreadable.
  std::shared_ptr<const TimeZone> get(const std::string& name, std::string* error);
  ZoneLoader loader();
  // The calendar of a spec; an unknown zone falls back to UTC.
  BusinessCalendar calendar(const CalendarSpec& spec);

 private:
  std::string dir_;
  std::mutex mu_;
  std::map<std::string, std::shared_ptr<const TimeZone>> zones_;
  std::map<std::string, std::string> failures_;
};

}  // namespace baton::sla::app
