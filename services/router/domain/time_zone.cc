#include "time_zone.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace baton::router {
namespace {

int64_t read_be(std::string_view b, size_t pos, int n) {
  uint64_t v = 0;
  for (int i = 0; i < n; ++i) v = (v << 8) | static_cast<unsigned char>(b[pos + i]);
  if (n == 4) return static_cast<int32_t>(static_cast<uint32_t>(v));
  return static_cast<int64_t>(v);
}

struct Header {
  int64_t isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt;
};

std::optional<Header> read_header(std::string_view b, size_t pos) {
  if (b.size() < pos + 44 || b.substr(pos, 4) != "TZif") return std::nullopt;
  Header h{};
  h.isutcnt = read_be(b, pos + 20, 4);
  h.isstdcnt = read_be(b, pos + 24, 4);
  h.leapcnt = read_be(b, pos + 28, 4);
  h.timecnt = read_be(b, pos + 32, 4);
  h.typecnt = read_be(b, pos + 36, 4);
  h.charcnt = read_be(b, pos + 40, 4);
  if (h.timecnt < 0 || h.typecnt <= 0 || h.charcnt < 0 || h.leapcnt < 0 || h.isutcnt < 0 ||
      h.isstdcnt < 0)
    return std::nullopt;
  return h;
}

size_t block_size(const Header& h, int tsize) {
  return static_cast<size_t>(h.timecnt * tsize + h.timecnt + h.typecnt * 6 + h.charcnt +
                             h.leapcnt * (tsize + 4) + h.isstdcnt + h.isutcnt);
}

}  // namespace

std::string LocalTime::date() const {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", year, month, day);
  return buf;
}

LocalTime civil_from_unix(int64_t s) {
  int64_t days = s >= 0 ? s / 86400 : -((-s + 86399) / 86400);
  int64_t secs = s - days * 86400;
  // Howard Hinnant's civil_from_days.
  int64_t z = days + 719468;
  int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  int64_t doe = z - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t y = yoe + era * 400;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  int64_t d = doy - (153 * mp + 2) / 5 + 1;
  int64_t m = mp < 10 ? mp + 3 : mp - 9;
  LocalTime lt;
  lt.year = static_cast<int>(m <= 2 ? y + 1 : y);
  lt.month = static_cast<int>(m);
  lt.day = static_cast<int>(d);
  // 1970-01-01 was a Thursday (ISO 4).
  int64_t wd = ((days % 7) + 7 + 3) % 7;  // 0 = Monday
  lt.weekday = static_cast<int>(wd + 1);
  lt.minute_of_day = static_cast<int>(secs / 60);
  return lt;
}

std::optional<TimeZone> TimeZone::from_tzif(std::string_view b) {
  auto h1 = read_header(b, 0);
  if (!h1) return std::nullopt;
  int version = b[4] == 0 ? 1 : b[4] - '0';
  size_t pos = 44;
  Header h = *h1;
  int tsize = 4;
  if (version >= 2) {
    pos += block_size(*h1, 4);
    auto h2 = read_header(b, pos);
    if (!h2) return std::nullopt;
    h = *h2;
    pos += 44;
    tsize = 8;
  }
  if (b.size() < pos + block_size(h, tsize)) return std::nullopt;
  std::vector<int64_t> times(h.timecnt);
  for (int64_t i = 0; i < h.timecnt; ++i) times[i] = read_be(b, pos + i * tsize, tsize);
  size_t idx_pos = pos + h.timecnt * tsize;
  size_t type_pos = idx_pos + h.timecnt;
  std::vector<int32_t> type_off(h.typecnt);
  std::vector<bool> type_dst(h.typecnt);
  for (int64_t i = 0; i < h.typecnt; ++i) {
    type_off[i] = static_cast<int32_t>(read_be(b, type_pos + i * 6, 4));
    type_dst[i] = b[type_pos + i * 6 + 4] != 0;
  }
  TimeZone tz;
  // Initial: first non-DST type (RFC 8536 3.2), else type 0.
  tz.initial_offset_ = type_off[0];
  for (int64_t i = 0; i < h.typecnt; ++i)
    if (!type_dst[i]) {
      tz.initial_offset_ = type_off[i];
      break;
    }
  for (int64_t i = 0; i < h.timecnt; ++i) {
    auto t = static_cast<unsigned char>(b[idx_pos + i]);
    if (t >= h.typecnt) return std::nullopt;
    tz.transitions_.push_back(times[i]);
    tz.offsets_.push_back(type_off[t]);
  }
  if (h.timecnt == 0) tz.initial_offset_ = type_off[0];
  return tz;
}

TimeZone TimeZone::utc() { return TimeZone{}; }

TimeZone TimeZone::fixed(int32_t offset_seconds) {
  TimeZone tz;
  tz.initial_offset_ = offset_seconds;
  return tz;
}

int32_t TimeZone::offset_at(int64_t s) const {
  auto it = std::upper_bound(transitions_.begin(), transitions_.end(), s);
  if (it == transitions_.begin()) return initial_offset_;
  return offsets_[static_cast<size_t>(it - transitions_.begin() - 1)];
}

LocalTime TimeZone::local(std::chrono::system_clock::time_point t) const {
  int64_t s = std::chrono::floor<std::chrono::seconds>(t.time_since_epoch()).count();
  return civil_from_unix(s + offset_at(s));
}

SystemTimeZones::SystemTimeZones(std::string dir) : dir_(std::move(dir)) {
  if (dir_.empty()) {
    const char* env = std::getenv("TZDIR");
    dir_ = env && *env ? env : "/usr/share/zoneinfo";
  }
}

const TimeZone* SystemTimeZones::find(const std::string& name) const {
  if (name == "UTC" || name == "Etc/UTC") {
    static const TimeZone utc = TimeZone::utc();
    return &utc;
  }
  if (name.empty() || name.front() == '/' || name.find("..") != std::string::npos) return nullptr;
  std::lock_guard<std::mutex> lock(mu_);
  auto it = cache_.find(name);
  if (it != cache_.end()) return it->second.get();
  std::ifstream in(dir_ + "/" + name, std::ios::binary);
  std::unique_ptr<TimeZone> tz;
  if (in) {
    std::stringstream ss;
    ss << in.rdbuf();
    if (auto parsed = TimeZone::from_tzif(ss.str())) tz = std::make_unique<TimeZone>(*parsed);
  }
  const TimeZone* out = tz.get();
  cache_.emplace(name, std::move(tz));  // negative results cached too
  return out;
}

const TimeZoneDb& system_time_zones() {
  static const SystemTimeZones db;
  return db;
}

}  // namespace baton::router
