#include "zone_cache.h"

#include <cctype>
#include <fstream>
#include <sstream>

namespace baton::sla::app {

namespace {
bool plausible_zone_name(const std::string& name) {
  if (name.empty() || name.size() > 64 || name.front() == '/' ||
      name.find("..") != std::string::npos)
    return false;
  for (char c : name)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '/' && c != '_' && c != '-' &&
        c != '+')
      return false;
  return true;
}
}  // namespace

ZoneCache::ZoneCache(std::string dir) : dir_(std::move(dir)) {}

std::shared_ptr<const TimeZone> ZoneCache::get(const std::string& name, std::string* error) {
  std::lock_guard lk(mu_);
  if (auto it = zones_.find(name); it != zones_.end()) return it->second;
  if (auto it = failures_.find(name); it != failures_.end()) {
    if (error) *error = it->second;
    return nullptr;
  }
  std::string why;
  std::shared_ptr<const TimeZone> zone;
  if (!plausible_zone_name(name)) {
    why = "not an IANA zone name";
  } else {
    std::ifstream in(dir_ + "/" + name, std::ios::binary);
    if (!in) {
      why = "not found in " + dir_;
    } else {
      std::stringstream ss;
      ss << in.rdbuf();
      if (auto z = TimeZone::from_tzif(name, ss.str(), &why))
        zone = std::make_shared<TimeZone>(std::move(*z));
    }
  }
  if (!zone && (name == "UTC" || name == "Etc/UTC"))
    zone = std::make_shared<TimeZone>(TimeZone::utc());
  if (!zone) {
    failures_[name] = why;
    if (error) *error = why;
    return nullptr;
  }
  zones_[name] = zone;
  return zone;
}

ZoneLoader ZoneCache::loader() {
  return [this](const std::string& name, std::string* error) { return get(name, error); };
}

BusinessCalendar ZoneCache::calendar(const CalendarSpec& spec) {
  auto zone = get(spec.time_zone, nullptr);
  if (!zone) {
    CalendarSpec utc = spec;
    utc.time_zone = "UTC";
    return BusinessCalendar(utc, std::make_shared<TimeZone>(TimeZone::utc()));
  }
  return BusinessCalendar(spec, zone);
}

}  // namespace baton::sla::app
