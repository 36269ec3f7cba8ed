// The open transaction's writes over a task's committed state
// (read-your-writes), and the runtime's own keys in that state: the durable
// timer index and the de-duplication window.
#pragma once

#include <functional>
#include <limits>
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
  // Visits keys starting with prefix and not below `from` (>= prefix), in order.
  virtual void scan(std::string_view prefix, std::string_view from, const ScanFn& fn) const = 0;
  void scan(std::string_view prefix, const ScanFn& fn) const { scan(prefix, prefix, fn); }
};

class Overlay {
 public:
  explicit Overlay(const CommittedState& base) : base_(&base) {}
  std::optional<std::string> get(std::string_view key) const;
  // Merged, ordered scan: pending writes shadow committed values. Starts at
  // `from` (a key >= prefix) when given.
  void scan(std::string_view prefix, const ScanFn& fn) const { scan(prefix, prefix, fn); }
  void scan(std::string_view prefix, std::string_view from, const ScanFn& fn) const;
  void put(std::string key, std::string value) { pending_[std::move(key)] = std::move(value); }
  void del(std::string key) { pending_[std::move(key)] = std::nullopt; }
  bool empty() const { return pending_.empty(); }
  size_t size() const { return pending_.size(); }
  // The pending writes in key order; the overlay is left empty.
  std::vector<Write> take();
  void clear() { pending_.clear(); }

  // Bookkeeping that keeps the runtime's queues cheap at volume (valid for
  // committed + pending state; forget_bookkeeping() after an abort):
  // - timer_floor: no live timer is due before it, so the due scan seeks
  //   past the tombstones of fired timers instead of walking them;
  // - dedup_floor: the same for the de-duplication expiry index;
  // - timer_count: live timers, or -1 when unknown (counted on demand).
  int64_t timer_floor = kNoFloor;
  int64_t dedup_floor = kNoFloor;
  int64_t timer_count = -1;
  static constexpr int64_t kNoFloor = std::numeric_limits<int64_t>::min();
  void forget_bookkeeping() {
    timer_floor = dedup_floor = kNoFloor;
    timer_count = -1;
  }
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
inline constexpr std::string_view kTimerIdPrefix = "\x01i";
inline constexpr std::string_view kDedupPrefix =
    "\x01"
    "d";  // not "\x01d" (one char)
inline constexpr std::string_view kDedupExpiryPrefix = "\x01x";
std::string encode_be64(int64_t v);
int64_t decode_be64(std::string_view s);
bool is_internal(std::string_view key);
// False for the two secondary indexes (timer id -> due, dedup expiry -> id):
// they are rebuilt from their primary keys on restore (derive_indexes), so
// the changelog carries one record per timer and per remembered id, not two.
bool changelogged(std::string_view key);
}  // namespace keys

// The writes to apply for a batch of restored changelog records: the records
// themselves plus the secondary-index writes they imply. `committed` reads
// the store the batch is applied to (before this batch).
std::vector<Write> derive_indexes(
    std::vector<Write> restored,
    const std::function<std::optional<std::string>(std::string_view)>& committed);

// Durable timers: one entry per id; setting an id again moves it.
void set_timer(Overlay& s, const Timer& t);
void cancel_timer(Overlay& s, std::string_view id);
// Timers due at or before now_ms, earliest first, at most `limit`. Advances
// the overlay's timer floor: the caller fires (removes) every timer returned.
std::vector<Timer> due_timers(Overlay& s, int64_t now_ms, size_t limit);
// Removes a fired timer.
void remove_timer(Overlay& s, const Timer& t);
// Live timers (kept incrementally; one scan when unknown).
size_t count_timers(Overlay& s);

// De-duplication window over input event ids.
bool seen(const Overlay& s, std::string_view event_id, int64_t now_ms);
void remember(Overlay& s, std::string_view event_id, int64_t expiry_ms);
// Forgets ids whose window ended; returns how many.
size_t expire_dedup(Overlay& s, int64_t now_ms, size_t limit);

}  // namespace baton::runtime
