#include "baton/time/zone.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <iterator>
#include <system_error>

#include "baton/time/civil.h"

namespace baton::time {

namespace {

constexpr absl::CivilSecond kEpoch{1970, 1, 1, 0, 0, 0};

absl::Time to_absl(TimePoint t) { return absl::FromChrono(t); }

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

// The indexed range, 1900-01-01 to 2200-01-01 UTC; local times are looked
// up a day inside it, so that no offset reaches past its ends.
constexpr int64_t kIndexFrom = -2208988800;
constexpr int64_t kIndexUntil = 7258118400;
constexpr int64_t kLocalMargin = 86400;
// More changes than any real zone has in three centuries: not indexed.
constexpr size_t kMaxChanges = 4096;

std::shared_ptr<const TimeZone::Index> build_index(const absl::TimeZone& zone) {
  auto index = std::make_shared<TimeZone::Index>();
  absl::Time t = absl::FromUnixSeconds(kIndexFrom);
  const absl::Time until = absl::FromUnixSeconds(kIndexUntil);
  index->first_offset = zone.At(t).offset;
  int32_t offset = index->first_offset;
  absl::TimeZone::CivilTransition tr;
  while (zone.NextTransition(t, &tr)) {
    // The instant of the change: `to` read with the offset after it.
    const absl::Time u = zone.At(tr.to).post;
    if (u <= t) return nullptr;  // not moving forward: Abseil answers every time
    if (u >= until) break;
    const int32_t after = zone.At(u).offset;
    if (after != offset) {
      const int64_t at = absl::ToUnixSeconds(u);
      index->changes.push_back(TimeZone::Transition{at, offset, after, at + std::min(offset, after),
                                                    at + std::max(offset, after)});
      if (index->changes.size() > kMaxChanges) return nullptr;
    }
    offset = after;
    t = u;
  }
  return index;
}

}  // namespace

TimeZone::TimeZone(std::string name, absl::TimeZone zone)
    : name_(std::move(name)), zone_(zone), index_(build_index(zone_)) {}

int32_t TimeZone::indexed_offset(int64_t utc_seconds) const {
  const auto& ch = index_->changes;
  auto it = std::upper_bound(ch.begin(), ch.end(), utc_seconds,
                             [](int64_t s, const Transition& x) { return s < x.at; });
  return it == ch.begin() ? index_->first_offset : std::prev(it)->after;
}

TimeZone TimeZone::utc() { return TimeZone("UTC", absl::UTCTimeZone()); }

TimeZone TimeZone::local_system() {
  const absl::TimeZone z = absl::LocalTimeZone();
  return TimeZone(z.name(), z);
}

int32_t TimeZone::offset_at(int64_t utc_seconds) const {
  if (index_ && utc_seconds >= kIndexFrom && utc_seconds < kIndexUntil)
    return indexed_offset(utc_seconds);
  return zone_.At(absl::FromUnixSeconds(utc_seconds)).offset;
}

int64_t TimeZone::to_utc(int64_t local_seconds) const {
  const int64_t l = local_seconds;
  if (!index_ || l < kIndexFrom + kLocalMargin || l >= kIndexUntil - kLocalMargin)
    return absl::ToUnixSeconds(zone_.At(kEpoch + local_seconds).pre);
  // The last change whose skipped or repeated span starts at or before l;
  // inside that span Abseil's `pre` reads l with the offset before it.
  const auto& ch = index_->changes;
  auto it = std::upper_bound(ch.begin(), ch.end(), l,
                             [](int64_t s, const Transition& x) { return s < x.lo; });
  if (it == ch.begin()) return l - index_->first_offset;
  --it;
  return l - (l < it->hi ? it->before : it->after);
}

std::string LocalTime::date() const { return format_date(day); }

namespace {
// Whole UTC seconds of an instant, rounded down (as Abseil's civil time).
int64_t unix_seconds(TimePoint t) { return floor_div(to_millis(t), 1000); }
}  // namespace

// Both read the wall clock as the instant plus offset_at (which alone
// chooses the index or Abseil), then split it by arithmetic.
LocalTime TimeZone::local(TimePoint t) const {
  const int64_t u = unix_seconds(t);
  const int64_t l = u + offset_at(u);
  LocalTime lt;
  lt.day = floor_div(l, 86400);
  const CivilDate d = civil_from_days(lt.day);
  lt.year = d.year;
  lt.month = d.month;
  lt.dom = d.day;
  lt.weekday = iso_weekday(lt.day);
  lt.minute_of_day = static_cast<int>((l - lt.day * 86400) / 60);
  return lt;
}

int64_t TimeZone::local_day(TimePoint t) const {
  const int64_t u = unix_seconds(t);
  return floor_div(u + offset_at(u), 86400);
}

std::string format_rfc3339(TimePoint t, const TimeZone& zone) {
  return format_time(t, "%Y-%m-%dT%H:%M:%E3S%Ez", zone);
}

std::string format_time(TimePoint t, const char* format, const TimeZone& zone) {
  return absl::FormatTime(format, to_absl(t), zone.absl_zone());
}

ZoneDb::ZoneDb(std::string dir) : dir_(std::move(dir)) {
  if (dir_.empty()) {
    const char* env = std::getenv("TZDIR");
    dir_ = env && *env ? env : "/usr/share/zoneinfo";
  }
  // Abseil resolves a relative name against $TZDIR: hand it absolute paths.
  std::error_code ec;
  auto abs = std::filesystem::absolute(dir_, ec);
  if (!ec) dir_ = abs.lexically_normal().string();
  while (dir_.size() > 1 && dir_.back() == '/') dir_.pop_back();
}

std::shared_ptr<const TimeZone> ZoneDb::get(const std::string& name) const {
  auto z = load(name);
  return z ? *z : nullptr;
}

runtime::Result<std::shared_ptr<const TimeZone>> ZoneDb::load(const std::string& name) const {
  std::lock_guard lk(mu_);
  if (auto it = zones_.find(name); it != zones_.end()) return it->second;
  if (auto it = failures_.find(name); it != failures_.end())
    return runtime::Error{"time.unknown_zone", it->second};
  std::string why;
  std::shared_ptr<const TimeZone> zone;
  if (!plausible_zone_name(name)) {
    why = "not an IANA zone name";
  } else {
    const std::string path = dir_ + "/" + name;
    absl::TimeZone z;
    std::error_code ec;
    if (absl::LoadTimeZone(path, &z))
      zone = std::make_shared<TimeZone>(name, z);
    else if (!std::filesystem::is_regular_file(path, ec))
      why = "not found in " + dir_;
    else
      why = "not a readable TZif file in " + dir_;
  }
  if (!zone && (name == "UTC" || name == "Etc/UTC"))
    zone = std::make_shared<TimeZone>(TimeZone::utc());
  if (!zone) {
    failures_[name] = why;
    return runtime::Error{"time.unknown_zone", why};
  }
  zones_[name] = zone;
  return zone;
}

const ZoneDb& system_zones() {
  static const ZoneDb db;
  return db;
}

}  // namespace baton::time
