// IANA time zones on Abseil (absl::TimeZone, which reads TZif files from the
// zoneinfo directory and follows their POSIX rule past the last transition),
// and a cached loader that refuses hostile names and says why a zone is
// missing. TimeZone is a cheap value; ZoneDb keeps one per name.
#pragma once

#include <absl/time/time.h>

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "baton/runtime/status.h"
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

class TimeZone {
 public:
  static TimeZone utc();
  // The process's local zone ($TZ, else /etc/localtime; UTC when unknown),
  // for what a person reads on their terminal, never for domain logic.
  static TimeZone local_system();
  TimeZone(std::string name, absl::TimeZone zone);

  // The IANA name it was loaded by ("UTC" for utc()).
  const std::string& name() const { return name_; }
  const absl::TimeZone& absl_zone() const { return zone_; }
  // UTC offset (seconds east of Greenwich) in force at a UTC instant.
  int32_t offset_at(int64_t utc_seconds) const;
  // Local wall-clock seconds (since 1970-01-01T00:00 local) to a UTC instant.
  // A wall time skipped by a forward DST jump maps to the instant the same
  // distance after the jump; an ambiguous one (fall back) maps to the earlier
  // (Abseil's TimeInfo::pre in both cases).
  int64_t to_utc(int64_t local_seconds) const;
  // The wall-clock moment of an instant.
  LocalTime local(TimePoint t) const;
  // Local day number of an instant.
  int64_t local_day(TimePoint t) const;

  // The offset changes between 1900 and 2200, read once from Abseil at
  // construction: inside that range the conversions above are a binary
  // search and arithmetic, outside it they ask Abseil. Routing converts a
  // rep's working hours for every rep on every lead; Abseil's civil-time
  // normalisation was a fifth of a pool decision (docs/benchmarks.md,
  // session 19). zone_index_test checks both agree around every change.
  struct Transition {
    int64_t at;      // UTC seconds of the change
    int32_t before;  // offset in force until `at`
    int32_t after;   // offset from `at`
    int64_t lo, hi;  // local seconds that are skipped or repeated: [lo, hi)
  };
  struct Index {
    int32_t first_offset = 0;  // in force from the range's start
    std::vector<Transition> changes;
  };
  bool indexed() const { return index_ != nullptr; }

 private:
  int32_t indexed_offset(int64_t utc_seconds) const;

  std::string name_;
  absl::TimeZone zone_;
  std::shared_ptr<const Index> index_;
};

// RFC 3339 in this zone with milliseconds and its offset,
// "2024-03-10T03:30:00.000-04:00" (UTC with "Z": baton/time/rfc3339.h).
std::string format_rfc3339(TimePoint t, const TimeZone& zone);
// Any absl::FormatTime format in a zone, e.g. "%H:%M:%S".
std::string format_time(TimePoint t, const char* format, const TimeZone& zone);

// Zones by IANA name, loaded from a zoneinfo directory once each (failures
// cached too). Names are checked first: no absolute paths, no "..". "UTC"
// always resolves.
class ZoneDb {
 public:
  // Empty dir: $TZDIR, else /usr/share/zoneinfo.
  explicit ZoneDb(std::string zoneinfo_dir = {});
  // The zone, or Error "time.unknown_zone" saying why (not a zone name, not
  // found in the folder, not a readable TZif file).
  runtime::Result<std::shared_ptr<const TimeZone>> load(const std::string& name) const;
  // The zone; nullptr when unknown (load says why).
  std::shared_ptr<const TimeZone> get(const std::string& name) const;
  const TimeZone* find(const std::string& name) const { return get(name).get(); }
  const std::string& dir() const { return dir_; }

 private:
  std::string dir_;
  mutable std::mutex mu_;
  mutable std::map<std::string, std::shared_ptr<const TimeZone>> zones_;
  mutable std::map<std::string, std::string> failures_;
};

// The process-wide ZoneDb over the system zoneinfo.
const ZoneDb& system_zones();

}  // namespace baton::time
