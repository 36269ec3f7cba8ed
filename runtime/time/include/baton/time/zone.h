// IANA time zones: the one TZif reader (RFC 8536, v1..v4, with the POSIX TZ
// footer for instants past the last transition; libstdc++ 12 has no
// std::chrono::tzdb) and a cached loader of zoneinfo files. TimeZone is pure:
// ZoneDb reads the files and hands over their bytes.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "baton/time/time.h"

namespace baton::time {

// A wall-clock moment in some zone.
struct LocalTime {
  int64_t day = 0;  // local day number (days since 1970-01-01)
  int year = 1970;
  int month = 1;
  int dom = 1;               // day of month
  int weekday = 4;           // ISO: 1 = Monday ... 7 = Sunday
  int minute_of_day = 0;     // 0..1439
  std::string date() const;  // "YYYY-MM-DD"
};

// One POSIX TZ rule date, e.g. "M3.2.0/2" (second Sunday of March, 02:00).
struct PosixDate {
  char kind = 'M';  // 'M' month.week.day, 'J' julian 1..365 (no Feb 29), 'N' 0..365
  int month = 0, week = 0, weekday = 0, day = 0;
  int32_t time = 7200;  // seconds after local midnight (may be negative or > 24h)
};

// A POSIX TZ string such as "EST5EDT,M3.2.0,M11.1.0" (offsets east-positive).
struct PosixRule {
  int32_t std_offset = 0;
  bool has_dst = false;
  int32_t dst_offset = 0;
  PosixDate start, end;
  static std::optional<PosixRule> parse(std::string_view text);
  int32_t offset_at(int64_t utc_seconds) const;
};

class TimeZone {
 public:
  static TimeZone utc();
  // Parses TZif v1..v4 bytes. On failure returns nullopt and sets *error.
  static std::optional<TimeZone> from_tzif(std::string name, std::string_view bytes,
                                           std::string* error);

  const std::string& name() const { return name_; }
  // UTC offset (seconds east of Greenwich) in force at a UTC instant.
  int32_t offset_at(int64_t utc_seconds) const;
  // Local wall-clock seconds (since 1970-01-01T00:00 local) to a UTC instant.
  // A wall time skipped by a forward DST jump maps to the instant the same
  // distance after the jump; an ambiguous one (fall back) maps to the earlier.
  int64_t to_utc(int64_t local_seconds) const;
  // The wall-clock moment of an instant.
  LocalTime local(TimePoint t) const;
  // Local day number of an instant.
  int64_t local_day(TimePoint t) const;

 private:
  std::string name_;
  std::vector<int64_t> transitions_;  // ascending UTC seconds
  std::vector<int32_t> offsets_;      // offset in force from transitions_[i]
  int32_t initial_offset_ = 0;
  std::optional<PosixRule> rule_;
};

// Zones by IANA name, read from a zoneinfo directory once each (failures
// cached too). Names are checked first: no absolute paths, no "..".
class ZoneDb {
 public:
  // Empty dir: $TZDIR, else /usr/share/zoneinfo.
  explicit ZoneDb(std::string zoneinfo_dir = {});
  // nullptr with *error set when the zone is unknown or unreadable.
  std::shared_ptr<const TimeZone> get(const std::string& name, std::string* error = nullptr) const;
  const TimeZone* find(const std::string& name) const { return get(name).get(); }

 private:
  std::string dir_;
  mutable std::mutex mu_;
  mutable std::map<std::string, std::shared_ptr<const TimeZone>> zones_;
  mutable std::map<std::string, std::string> failures_;
};

// The process-wide ZoneDb over the system zoneinfo.
const ZoneDb& system_zones();

}  // namespace baton::time
