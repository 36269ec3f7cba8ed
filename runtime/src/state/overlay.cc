#include "state/overlay.h"

namespace baton::runtime {

std::optional<std::string> Overlay::get(std::string_view key) const {
  auto it = pending_.find(key);
  if (it != pending_.end()) return it->second;
  return base_->get(key);
}

void Overlay::scan(std::string_view prefix, const ScanFn& fn) const {
  auto it = pending_.lower_bound(prefix);
  auto in_prefix = [&](const std::string& k) { return std::string_view(k).starts_with(prefix); };
  bool stopped = false;
  base_->scan(prefix, [&](std::string_view k, std::string_view v) {
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
std::string timer_id(std::string_view id) { return "\x01i" + std::string(id); }
std::string dedup(std::string_view event_id) {
  return "\x01"
         "d" +
         std::string(event_id);
}
std::string dedup_expiry(int64_t expiry_ms, std::string_view event_id) {
  return std::string(kDedupExpiryPrefix) + encode_be64(expiry_ms) + std::string(event_id);
}
bool is_internal(std::string_view key) {
  return !key.empty() && (key[0] == '\x01' || key[0] == '\x02');
}
}  // namespace keys

void set_timer(Overlay& s, const Timer& t) {
  cancel_timer(s, t.id);
  int64_t due = to_millis(t.due);
  s.put(keys::timer_due(due, t.id), t.payload);
  s.put(keys::timer_id(t.id), keys::encode_be64(due));
}

void cancel_timer(Overlay& s, std::string_view id) {
  auto idx = keys::timer_id(id);
  auto old = s.get(idx);
  if (!old) return;
  s.del(keys::timer_due(keys::decode_be64(*old), id));
  s.del(idx);
}

std::vector<Timer> due_timers(const Overlay& s, int64_t now_ms, size_t limit) {
  std::vector<Timer> out;
  s.scan(keys::kTimerDuePrefix, [&](std::string_view k, std::string_view v) {
    auto rest = k.substr(keys::kTimerDuePrefix.size());
    int64_t due = keys::decode_be64(rest.substr(0, 8));
    if (due > now_ms || out.size() >= limit) return false;
    out.push_back(Timer{std::string(rest.substr(8)), from_millis(due), std::string(v)});
    return true;
  });
  return out;
}

void remove_timer(Overlay& s, const Timer& t) {
  s.del(keys::timer_due(to_millis(t.due), t.id));
  s.del(keys::timer_id(t.id));
}

size_t count_timers(const Overlay& s, size_t limit) {
  size_t n = 0;
  s.scan(keys::kTimerDuePrefix, [&](std::string_view, std::string_view) { return ++n < limit; });
  return n;
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
}

size_t expire_dedup(Overlay& s, int64_t now_ms, size_t limit) {
  std::vector<std::pair<std::string, std::string>> gone;
  s.scan(keys::kDedupExpiryPrefix, [&](std::string_view k, std::string_view) {
    auto rest = k.substr(keys::kDedupExpiryPrefix.size());
    if (keys::decode_be64(rest.substr(0, 8)) > now_ms || gone.size() >= limit) return false;
    gone.emplace_back(std::string(k), std::string(rest.substr(8)));
    return true;
  });
  for (auto& [k, id] : gone) {
    s.del(k);
    s.del(keys::dedup(id));
  }
  return gone.size();
}

}  // namespace baton::runtime
