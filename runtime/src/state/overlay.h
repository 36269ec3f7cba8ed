// The open transaction's writes over a task's committed state
// (read-your-writes), and the runtime's own keys in that state: the durable
// timer index and the de-duplication window.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "baton/runtime/processor.h"
#include "state/task_store.h"

namespace baton::runtime {

// Read access to committed state; TaskStore in production, a map in tests.
class CommittedState {
 public:
  virtual ~CommittedState() = default;
  virtual std::optional<std::string> get(std::string_view key) const = 0;
  virtual void scan(std::string_view prefix, const ScanFn& fn) const = 0;
};

class Overlay {
 public:
  explicit Overlay(const CommittedState& base) : base_(&base) {}
  std::optional<std::string> get(std::string_view key) const;
  // Merged, ordered scan: pending writes shadow committed values.
  void scan(std::string_view prefix, const ScanFn& fn) const;
  void put(std::string key, std::string value) { pending_[std::move(key)] = std::move(value); }
  void del(std::string key) { pending_[std::move(key)] = std::nullopt; }
  bool empty() const { return pending_.empty(); }
  size_t size() const { return pending_.size(); }
  // The pending writes in key order; the overlay is left empty.
  std::vector<Write> take();
  void clear() { pending_.clear(); }
  const std::map<std::string, std::optional<std::string>, std::less<>>& pending() const {
    return pending_;
  }

 private:
  const CommittedState* base_;
  std::map<std::string, std::optional<std::string>, std::less<>> pending_;
};

// Keys the runtime keeps beside the processor's own (prefix \x01: processors
// must not write keys starting with \x01 or \x02).
namespace keys {
std::string timer_due(int64_t due_ms, std::string_view id);  // -> payload
std::string timer_id(std::string_view id);                   // -> due (8 bytes)
std::string dedup(std::string_view event_id);                // -> expiry (8 bytes)
std::string dedup_expiry(int64_t expiry_ms, std::string_view event_id);
inline constexpr std::string_view kTimerDuePrefix = "\x01t";
inline constexpr std::string_view kDedupExpiryPrefix = "\x01x";
std::string encode_be64(int64_t v);
int64_t decode_be64(std::string_view s);
bool is_internal(std::string_view key);
}  // namespace keys

// Durable timers: one entry per id; setting an id again moves it.
void set_timer(Overlay& s, const Timer& t);
void cancel_timer(Overlay& s, std::string_view id);
// Timers due at or before now_ms, earliest first, at most `limit`.
std::vector<Timer> due_timers(const Overlay& s, int64_t now_ms, size_t limit);
// Removes a fired timer.
void remove_timer(Overlay& s, const Timer& t);
size_t count_timers(const Overlay& s, size_t limit);

// De-duplication window over input event ids.
bool seen(const Overlay& s, std::string_view event_id, int64_t now_ms);
void remember(Overlay& s, std::string_view event_id, int64_t expiry_ms);
// Forgets ids whose window ended; returns how many.
size_t expire_dedup(Overlay& s, int64_t now_ms, size_t limit);

}  // namespace baton::runtime
