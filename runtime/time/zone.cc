#include "baton/time/zone.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "baton/time/civil.h"

namespace baton::time {

namespace {

class Cursor {
 public:
  explicit Cursor(std::string_view s) : s_(s) {}
  bool done() const { return i_ >= s_.size(); }
  char peek() const { return done() ? '\0' : s_[i_]; }
  bool eat(char c) {
    if (peek() != c) return false;
    ++i_;
    return true;
  }
  std::optional<int> number() {
    if (!std::isdigit(static_cast<unsigned char>(peek()))) return std::nullopt;
    int v = 0;
    while (std::isdigit(static_cast<unsigned char>(peek()))) v = v * 10 + (s_[i_++] - '0');
    return v;
  }
  bool name() {
    if (eat('<')) {
      while (!done() && peek() != '>') ++i_;
      return eat('>');
    }
    size_t start = i_;
    while (std::isalpha(static_cast<unsigned char>(peek()))) ++i_;
    return i_ - start >= 3;
  }
  // [+-]hh[:mm[:ss]] in seconds.
  std::optional<int32_t> hms() {
    int sign = 1;
    if (eat('-'))
      sign = -1;
    else
      eat('+');
    auto h = number();
    if (!h) return std::nullopt;
    int32_t v = *h * 3600;
    if (eat(':')) {
      auto m = number();
      if (!m) return std::nullopt;
      v += *m * 60;
      if (eat(':')) {
        auto s = number();
        if (!s) return std::nullopt;
        v += *s;
      }
    }
    return sign * v;
  }
  std::optional<PosixDate> date() {
    PosixDate d;
    if (eat('M')) {
      auto m = number();
      if (!m || !eat('.')) return std::nullopt;
      auto w = number();
      if (!w || !eat('.')) return std::nullopt;
      auto wd = number();
      if (!wd || *m < 1 || *m > 12 || *w < 1 || *w > 5 || *wd > 6) return std::nullopt;
      d.kind = 'M', d.month = *m, d.week = *w, d.weekday = *wd;
    } else if (eat('J')) {
      auto n = number();
      if (!n || *n < 1 || *n > 365) return std::nullopt;
      d.kind = 'J', d.day = *n;
    } else {
      auto n = number();
      if (!n || *n > 365) return std::nullopt;
      d.kind = 'N', d.day = *n;
    }
    if (eat('/')) {
      auto t = hms();
      if (!t) return std::nullopt;
      d.time = *t;
    }
    return d;
  }

 private:
  std::string_view s_;
  size_t i_ = 0;
};

int64_t rule_day(const PosixDate& d, int year) {
  const int64_t jan1 = days_from_civil(year, 1, 1);
  if (d.kind == 'J') return jan1 + d.day - 1 + (is_leap(year) && d.day >= 60 ? 1 : 0);
  if (d.kind == 'N') return jan1 + d.day;
  const int64_t first = days_from_civil(year, d.month, 1);
  const int first_wd = iso_weekday(first) % 7;  // 0 = Sunday, as POSIX
  int64_t day = first + (d.weekday - first_wd + 7) % 7 + (d.week - 1) * 7;
  while (day >= first + days_in_month(year, d.month)) day -= 7;
  return day;
}

uint32_t be32(const unsigned char* p) {
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | p[3];
}
int64_t be64(const unsigned char* p) {
  return static_cast<int64_t>((uint64_t{be32(p)} << 32) | be32(p + 4));
}

}  // namespace

std::optional<PosixRule> PosixRule::parse(std::string_view text) {
  Cursor c(text);
  PosixRule r;
  if (!c.name()) return std::nullopt;
  auto std_off = c.hms();
  if (!std_off) return std::nullopt;
  r.std_offset = -*std_off;
  if (c.done()) return r;
  if (!c.name()) return std::nullopt;
  r.has_dst = true;
  r.dst_offset = r.std_offset + 3600;
  if (c.peek() != ',' && !c.done()) {
    auto dst_off = c.hms();
    if (!dst_off) return std::nullopt;
    r.dst_offset = -*dst_off;
  }
  if (c.done()) {  // POSIX default: US rules
    r.start = PosixDate{'M', 3, 2, 0, 0, 7200};
    r.end = PosixDate{'M', 11, 1, 0, 0, 7200};
    return r;
  }
  if (!c.eat(',')) return std::nullopt;
  auto s = c.date();
  if (!s || !c.eat(',')) return std::nullopt;
  auto e = c.date();
  if (!e || !c.done()) return std::nullopt;
  r.start = *s;
  r.end = *e;
  return r;
}

int32_t PosixRule::offset_at(int64_t utc) const {
  if (!has_dst) return std_offset;
  const int year = civil_from_days(floor_div(utc + std_offset, 86400)).year;
  const int64_t on = rule_day(start, year) * 86400 + start.time - std_offset;
  const int64_t off = rule_day(end, year) * 86400 + end.time - dst_offset;
  bool dst = on < off ? (utc >= on && utc < off) : !(utc >= off && utc < on);
  return dst ? dst_offset : std_offset;
}

TimeZone TimeZone::utc() {
  TimeZone z;
  z.name_ = "UTC";
  return z;
}

std::optional<TimeZone> TimeZone::from_tzif(std::string name, std::string_view bytes,
                                            std::string* error) {
  auto fail = [&](const char* why) -> std::optional<TimeZone> {
    if (error) *error = why;
    return std::nullopt;
  };
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  size_t n = bytes.size();
  if (n < 44 || bytes.substr(0, 4) != "TZif") return fail("not a TZif file");
  const char version = bytes[4];
  size_t at = 0;
  int time_size = 4;
  auto counts = [&](size_t h, uint32_t c[6]) {
    for (int i = 0; i < 6; ++i) c[i] = be32(p + h + 20 + 4 * i);
  };
  uint32_t c[6];  // isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt
  counts(0, c);
  auto block_size = [&](int ts) {
    return size_t{c[3]} * ts + c[3] + size_t{c[4]} * 6 + c[5] + size_t{c[2]} * (ts + 4) + c[1] +
           c[0];
  };
  if (version >= '2') {
    at = 44 + block_size(4);
    if (n < at + 44 || bytes.substr(at, 4) != "TZif") return fail("truncated TZif v2 header");
    counts(at, c);
    time_size = 8;
  }
  const size_t data = at + 44;
  if (n < data + block_size(time_size)) return fail("truncated TZif data");
  if (c[4] == 0) return fail("TZif file has no local time types");
  const uint32_t timecnt = c[3], typecnt = c[4];
  const unsigned char* times = p + data;
  const unsigned char* idx = times + size_t{timecnt} * time_size;
  const unsigned char* types = idx + timecnt;
  auto type_offset = [&](uint32_t t) { return static_cast<int32_t>(be32(types + 6 * t)); };
  TimeZone z;
  z.name_ = std::move(name);
  z.initial_offset_ = type_offset(0);
  for (uint32_t i = 0; i < timecnt; ++i) {
    int64_t t = time_size == 8 ? be64(times + 8 * i) : static_cast<int32_t>(be32(times + 4 * i));
    if (idx[i] >= typecnt) return fail("TZif transition names an unknown type");
    z.transitions_.push_back(t);
    z.offsets_.push_back(type_offset(idx[i]));
  }
  if (version >= '2') {
    size_t footer = data + block_size(8);
    if (footer < n && bytes[footer] == '\n') {
      size_t close = bytes.find('\n', footer + 1);
      if (close != std::string_view::npos && close > footer + 1)
        z.rule_ = PosixRule::parse(bytes.substr(footer + 1, close - footer - 1));
    }
  }
  return z;
}

int32_t TimeZone::offset_at(int64_t utc) const {
  if (transitions_.empty() || utc < transitions_.front())
    return transitions_.empty() && rule_ ? rule_->offset_at(utc) : initial_offset_;
  if (utc >= transitions_.back() && rule_) return rule_->offset_at(utc);
  auto it = std::upper_bound(transitions_.begin(), transitions_.end(), utc);
  return offsets_[static_cast<size_t>(it - transitions_.begin()) - 1];
}

int64_t TimeZone::to_utc(int64_t local) const {
  // Offsets in force a day either side bracket every real transition.
  const int32_t before = offset_at(local - 86400);
  const int32_t after = offset_at(local + 86400);
  const bool before_ok = offset_at(local - before) == before;
  const bool after_ok = offset_at(local - after) == after;
  if (before_ok && after_ok) return std::min(local - before, local - after);
  if (before_ok) return local - before;
  if (after_ok) return local - after;
  return local - before;  // in a gap: as far past the jump as the wall time is past it
}

std::string LocalTime::date() const { return format_date(day); }

LocalTime TimeZone::local(TimePoint t) const {
  const int64_t s = floor_div(to_millis(t), 1000);
  const int64_t wall = s + offset_at(s);
  LocalTime lt;
  lt.day = floor_div(wall, 86400);
  const CivilDate c = civil_from_days(lt.day);
  lt.year = c.year;
  lt.month = c.month;
  lt.dom = c.day;
  lt.weekday = iso_weekday(lt.day);
  lt.minute_of_day = static_cast<int>((wall - lt.day * 86400) / 60);
  return lt;
}

int64_t TimeZone::local_day(TimePoint t) const {
  const int64_t s = floor_div(to_millis(t), 1000);
  return floor_div(s + offset_at(s), 86400);
}

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

ZoneDb::ZoneDb(std::string dir) : dir_(std::move(dir)) {
  if (dir_.empty()) {
    const char* env = std::getenv("TZDIR");
    dir_ = env && *env ? env : "/usr/share/zoneinfo";
  }
}

std::shared_ptr<const TimeZone> ZoneDb::get(const std::string& name, std::string* error) const {
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

const ZoneDb& system_zones() {
  static const ZoneDb db;
  return db;
}

}  // namespace baton::time
