// An IANA time zone read from TZif bytes (RFC 8536), with its POSIX TZ
// footer for instants past the last transition. Pure: the caller reads the
// zoneinfo file and hands over its bytes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace baton::sla {

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

 private:
  std::string name_;
  std::vector<int64_t> transitions_;  // ascending UTC seconds
  std::vector<int32_t> offsets_;      // offset in force from transitions_[i]
  int32_t initial_offset_ = 0;
  std::optional<PosixRule> rule_;
};

}  // namespace baton::sla
