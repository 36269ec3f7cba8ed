#include "state/overlay.h"

#include <algorithm>

namespace baton::runtime {

std::optional<std::string> Overlay::get(std::string_view key) const {
  auto it = pending_.find(key);
  if (it != pending_.end()) return it->second;
  return base_->get(key);
}

void Overlay::scan(std::string_view prefix, std::string_view from, const ScanFn& fn) const {
  if (from < prefix) from = prefix;
  auto it = pending_.lower_bound(from);
  auto in_prefix = [&](const std::string& k) { return std::string_view(k).starts_with(prefix); };
  bool stopped = false;
  base_->scan(prefix, from, [&](std::string_view k, std::string_view v) {
    // Emit pending keys that sort before this committed key.
    while (it != pending_.end() && in_prefix(it->first) && std::string_view(it->first) < k) {
      if (it->second && !fn(it->first, *it->second)) {
        stopped = true;
        return false;
      }
      ++it;
    }
    if (it != pending_.end() && in_prefix(it->first) && std::string_view(it->first) == k) {
      bool go = true;
      if (it->second) go = fn(it->first, *it->second);
      ++it;
      if (!go) stopped = true;
      return go;
    }
    if (!fn(k, v)) {
      stopped = true;
      return false;
    }
    return true;
  });
  if (stopped) return;
  for (; it != pending_.end() && in_prefix(it->first); ++it)
    if (it->second && !fn(it->first, *it->second)) return;
}

std::vector<Write> Overlay::take() {
  std::vector<Write> out;
  out.reserve(pending_.size());
  for (auto& [k, v] : pending_) out.emplace_back(k, std::move(v));
  pending_.clear();
  return out;
}

namespace keys {
std::string encode_be64(int64_t v) {
  // Offset so negative times still sort correctly.
  uint64_t u = static_cast<uint64_t>(v) ^ (1ULL << 63);
  std::string s(8, '\0');
  for (int i = 7; i >= 0; --i) {
    s[i] = static_cast<char>(u & 0xff);
    u >>= 8;
  }
  return s;
}
int64_t decode_be64(std::string_view s) {
  uint64_t u = 0;
  for (size_t i = 0; i < 8 && i < s.size(); ++i) u = (u << 8) | static_cast<unsigned char>(s[i]);
  return static_cast<int64_t>(u ^ (1ULL << 63));
}
std::string timer_due(int64_t due_ms, std::string_view id) {
  return std::string(kTimerDuePrefix) + encode_be64(due_ms) + std::string(id);
}
std::string timer_id(std::string_view id) { return std::string(kTimerIdPrefix) + std::string(id); }
std::string dedup(std::string_view event_id) {
  return std::string(kDedupPrefix) + std::string(event_id);
}
std::string dedup_expiry(int64_t expiry_ms, std::string_view event_id) {
  return std::string(kDedupExpiryPrefix) + encode_be64(expiry_ms) + std::string(event_id);
}
bool is_internal(std::string_view key) {
  return !key.empty() && (key[0] == '\x01' || key[0] == '\x02');
}
bool changelogged(std::string_view key) {
  return !key.starts_with(kTimerIdPrefix) && !key.starts_with(kDedupExpiryPrefix);
}
}  // namespace keys

std::vector<Write> derive_indexes(
    std::vector<Write> restored,
    const std::function<std::optional<std::string>(std::string_view)>& committed) {
  std::vector<Write> out;
  out.reserve(restored.size() * 2);
  // Index keys written earlier in this batch shadow the store.
  std::map<std::string, std::optional<std::string>, std::less<>> batch;
  auto current = [&](const std::string& k) -> std::optional<std::string> {
    auto it = batch.find(k);
    if (it != batch.end()) return it->second;
    return committed(k);
  };
  auto write = [&](std::string k, std::optional<std::string> v) {
    batch[k] = v;
    out.emplace_back(std::move(k), std::move(v));
  };
  for (auto& [key, value] : restored) {
    const std::string_view k = key;
    if (k.starts_with(keys::kTimerDuePrefix) && k.size() >= keys::kTimerDuePrefix.size() + 8) {
      const std::string due = key.substr(keys::kTimerDuePrefix.size(), 8);
      const std::string idx = keys::timer_id(k.substr(keys::kTimerDuePrefix.size() + 8));
      const bool put = value.has_value();
      out.emplace_back(std::move(key), std::move(value));
      if (put)
        write(idx, due);
      else if (current(idx) == due)  // a moved timer's new entry may already be indexed
        write(idx, std::nullopt);
      continue;
    }
    if (k.starts_with(keys::kDedupPrefix)) {
      const std::string_view id = k.substr(keys::kDedupPrefix.size());
      if (auto old = current(key); old && old->size() == 8)
        write(keys::dedup_expiry(keys::decode_be64(*old), id), std::nullopt);
      if (value && value->size() == 8) write(keys::dedup_expiry(keys::decode_be64(*value), id), "");
      batch[key] = value;
      out.emplace_back(std::move(key), std::move(value));
      continue;
    }
    out.emplace_back(std::move(key), std::move(value));
  }
  return out;
}

namespace {
// Where a scan of an index keyed (prefix, be64 time, id) starts.
std::string floor_key(std::string_view prefix, int64_t floor) {
  if (floor == Overlay::kNoFloor) return std::string(prefix);
  return std::string(prefix) + keys::encode_be64(floor);
}

// The floor after a scan of such an index up to now_ms that took the
// entries up to last_ms: everything due up to now is taken, unless the limit
// cut the scan short; then only up to the last one taken (later entries of
// that same millisecond remain).
int64_t raised_floor(int64_t floor, int64_t now_ms, bool cut_short, int64_t last_ms) {
  return std::max(floor, cut_short ? last_ms : now_ms + 1);
}
}  // namespace

void set_timer(Overlay& s, const Timer& t) {
  cancel_timer(s, t.id);
  int64_t due = to_millis(t.due);
  s.put(keys::timer_due(due, t.id), t.payload);
  s.put(keys::timer_id(t.id), keys::encode_be64(due));
  if (due < s.timer_floor) s.timer_floor = due;
  if (s.timer_count >= 0) ++s.timer_count;
}

void cancel_timer(Overlay& s, std::string_view id) {
  auto idx = keys::timer_id(id);
  auto old = s.get(idx);
  if (!old) return;
  s.del(keys::timer_due(keys::decode_be64(*old), id));
  s.del(idx);
  if (s.timer_count > 0) --s.timer_count;
}

std::vector<Timer> due_timers(Overlay& s, int64_t now_ms, size_t limit) {
  std::vector<Timer> out;
  if (limit == 0) return out;
  const std::string from = floor_key(keys::kTimerDuePrefix, s.timer_floor);
  s.scan(keys::kTimerDuePrefix, from, [&](std::string_view k, std::string_view v) {
    auto rest = k.substr(keys::kTimerDuePrefix.size());
    int64_t due = keys::decode_be64(rest.substr(0, 8));
    if (due > now_ms || out.size() >= limit) return false;
    out.push_back(Timer{std::string(rest.substr(8)), from_millis(due), std::string(v)});
    return true;
  });
  // The timers returned are about to fire.
  const bool cut_short = out.size() >= limit;
  s.timer_floor =
      raised_floor(s.timer_floor, now_ms, cut_short, cut_short ? to_millis(out.back().due) : 0);
  return out;
}

void remove_timer(Overlay& s, const Timer& t) {
  s.del(keys::timer_due(to_millis(t.due), t.id));
  s.del(keys::timer_id(t.id));
  if (s.timer_count > 0) --s.timer_count;
}

size_t count_timers(Overlay& s) {
  if (s.timer_count < 0) {
    int64_t n = 0;
    s.scan(keys::kTimerDuePrefix, [&](std::string_view, std::string_view) { return ++n, true; });
    s.timer_count = n;
  }
  return static_cast<size_t>(s.timer_count);
}

bool seen(const Overlay& s, std::string_view event_id, int64_t now_ms) {
  auto v = s.get(keys::dedup(event_id));
  return v && keys::decode_be64(*v) > now_ms;
}

void remember(Overlay& s, std::string_view event_id, int64_t expiry_ms) {
  auto k = keys::dedup(event_id);
  if (auto old = s.get(k)) s.del(keys::dedup_expiry(keys::decode_be64(*old), event_id));
  s.put(k, keys::encode_be64(expiry_ms));
  s.put(keys::dedup_expiry(expiry_ms, event_id), "");
  if (expiry_ms < s.dedup_floor) s.dedup_floor = expiry_ms;
}

size_t expire_dedup(Overlay& s, int64_t now_ms, size_t limit) {
  if (limit == 0) return 0;
  std::vector<std::pair<std::string, std::string>> gone;
  const std::string from = floor_key(keys::kDedupExpiryPrefix, s.dedup_floor);
  s.scan(keys::kDedupExpiryPrefix, from, [&](std::string_view k, std::string_view) {
    auto rest = k.substr(keys::kDedupExpiryPrefix.size());
    if (keys::decode_be64(rest.substr(0, 8)) > now_ms || gone.size() >= limit) return false;
    gone.emplace_back(std::string(k), std::string(rest.substr(8)));
    return true;
  });
  for (auto& [k, id] : gone) {
    s.del(k);
    s.del(keys::dedup(id));
  }
  const bool cut_short = gone.size() >= limit;
  const auto last_ms = [&] {
    return keys::decode_be64(
        std::string_view(gone.back().first).substr(keys::kDedupExpiryPrefix.size(), 8));
  };
  s.dedup_floor = raised_floor(s.dedup_floor, now_ms, cut_short, cut_short ? last_ms() : 0);
  return gone.size();
}

}  // namespace baton::runtime
