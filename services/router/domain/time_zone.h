// IANA time zones without a clock: a TZif reader (libstdc++ 12 has no
// std::chrono::tzdb) and a cached loader of the system zoneinfo files.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace baton::router {

// A wall-clock moment in some zone.
struct LocalTime {
  int year = 1970;
  int month = 1;
  int day = 1;
  int weekday = 4;  // ISO: 1 = Monday ... 7 = Sunday
  int minute_of_day = 0;
  std::string date() const;  // "YYYY-MM-DD"
};

class TimeZone {
 public:
  // Parses TZif (v1..v4) bytes; nullopt when malformed. Instants after the
  // last transition keep the last offset (system files run to 2037).
  static std::optional<TimeZone> from_tzif(std::string_view bytes);
  static TimeZone utc();
  static TimeZone fixed(int32_t offset_seconds);

  int32_t offset_at(int64_t unix_seconds) const;
  LocalTime local(std::chrono::system_clock::time_point t) const;

 private:
  std::vector<int64_t> transitions_;
  std::vector<int32_t> offsets_;  // offset after transitions_[i]
  int32_t initial_offset_ = 0;
};

// Civil conversion helpers (proleptic Gregorian).
LocalTime civil_from_unix(int64_t local_seconds);

// Zone lookup by IANA name.
class TimeZoneDb {
 public:
  virtual ~TimeZoneDb() = default;
  virtual const TimeZone* find(const std::string& name) const = 0;
};

// Loads zones from $TZDIR or /usr/share/zoneinfo on first use, then caches.
class SystemTimeZones : public TimeZoneDb {
 public:
  explicit SystemTimeZones(std::string dir = {});
  const TimeZone* find(const std::string& name) const override;

 private:
  std::string dir_;
  mutable std::mutex mu_;
  mutable std::map<std::string, std::unique_ptr<TimeZone>> cache_;
};

// Process-wide instance.
const TimeZoneDb& system_time_zones();

}  // namespace baton::router
