// Owner selection inside a pool: eligibility, strategies and the pool's
// fairness ledger.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "baton/time/calendar.h"
#include "baton/v1/roster.pb.h"
#include "baton/v1/router_state.pb.h"
#include "baton/v1/routing.pb.h"
#include "config.h"

namespace baton::router {

// A rep's zone (the rep's, else the pool's default; null: unknown) and its
// calendar (rep_calendar below) in that zone.
struct RepTime {
  std::shared_ptr<const time::TimeZone> zone;
  time::Calendar calendar;
};

// The rep roster (global table), by rep id.
struct Roster {
  std::map<std::string, v1::Rep> reps;
  const v1::Rep* find(const std::string& id) const;
  // Reps whose pools include `pool`, in id order: from the index when
  // index() ran since `reps` last changed (one find), else a scan.
  std::vector<const v1::Rep*> members(const std::string& pool) const;
  // Indexes the members of every pool and keeps each rep's RepTime once
  // built: for a roster whose `reps` no longer change (the pool desk's, one
  // per roster version). One ZoneDb and holiday calendars per roster.
  void index();
  // The rep's RepTime in `default_zone`, built at first use and kept, for an
  // indexed roster (single-threaded use); nullptr when not indexed.
  const RepTime* cached_time(const v1::Rep& rep, const time::ZoneDb& zones,
                             const std::string& default_zone,
                             const time::HolidayCalendars* holiday_calendars) const;

  Roster() = default;
  Roster(const Roster& other) : reps(other.reps) { reindex(other); }
  Roster& operator=(const Roster& other);
  Roster(Roster&&) = default;  // map nodes move with their pointers
  Roster& operator=(Roster&&) = default;

 private:
  void reindex(const Roster& other);
  std::map<std::string, std::vector<const v1::Rep*>> by_pool_;
  bool indexed_ = false;
  mutable std::map<std::pair<std::string, std::string>, RepTime> times_;  // (rep, zone)
};

// A rep's load in the other pools of the same desk: caps are per rep, so a
// rep in three pools still has one capacity and one daily cap.
struct RepLoad {
  int32_t open_leads = 0;
  std::map<std::string, int32_t> daily_by_date;  // local date -> leads
  void add(const v1::LedgerEntry& e);
};
using LoadElsewhere = std::map<std::string, RepLoad>;  // by rep id

// The rep's working-time calendar (baton/time/calendar.h): its zone (else
// `zone`), weekly hours (none: always; end before start: overnight), own
// holidays plus its holiday_calendar_id's dates, out-of-office windows.
time::Calendar rep_calendar(const v1::Rep& rep, std::shared_ptr<const time::TimeZone> zone,
                            const time::HolidayCalendars* holiday_calendars);

// The rep's RepTime: its zone (the rep's, else `default_zone`) and calendar.
RepTime rep_time(const v1::Rep& rep, const time::ZoneDb& zones, const std::string& default_zone,
                 const time::HolidayCalendars* holiday_calendars);

// Why a rep is not at work now by the one Calendar (rep_calendar); "" when at
// work. Reasons: inactive, out_of_office, unknown_time_zone, holiday,
// outside_working_hours. Caps are ineligible_reason's.
std::string why_unavailable(const v1::Rep& rep, const time::ZoneDb& zones, TimePoint now,
                            const std::string& default_zone,
                            const time::HolidayCalendars* holiday_calendars);
// The same with the rep's RepTime already built (Roster::cached_time).
std::string why_unavailable(const v1::Rep& rep, const RepTime& t, TimePoint now);

// Why a rep cannot take a lead now; "" when eligible. Reasons:
// inactive, out_of_office, unknown_time_zone, holiday, outside_working_hours,
// at_capacity, daily_cap. `elsewhere` adds the rep's load in its other pools.
std::string ineligible_reason(const v1::Rep& rep, const v1::LedgerEntry* entry,
                              const time::ZoneDb& zones, TimePoint now,
                              const std::string& default_zone = "UTC",
                              const time::HolidayCalendars* holiday_calendars = nullptr,
                              const RepLoad* elsewhere = nullptr);
// The same with the rep's RepTime already built (Roster::cached_time).
std::string ineligible_reason(const v1::Rep& rep, const RepTime& t, const v1::LedgerEntry* entry,
                              TimePoint now, const RepLoad* elsewhere = nullptr);

// True for reasons meaning "on leave" (catch-up applies to these).
bool is_leave(const std::string& reason);

const v1::LedgerEntry* find_entry(const v1::PoolLedger& ledger, const std::string& rep_id);
// The rep's entry; a rep joining the rotation is added at the current
// position (the ledger's lowest credit), so a roster change never resets it.
v1::LedgerEntry& entry_for(v1::PoolLedger& ledger, const std::string& rep_id);

// A pool ledger's entries by rep id, built in one pass: a request looks each
// member up in O(1), so a pool of n members costs O(n) per request, not
// O(n^2) (find_entry and entry_for search the ledger). Valid while entries
// are added only through it; the ledger must outlive it.
class LedgerIndex {
 public:
  explicit LedgerIndex(v1::PoolLedger& ledger);
  const v1::LedgerEntry* find(const std::string& rep_id) const;
  // entry_for's semantics: the join position is the ledger's lowest credit
  // when the index was built or last refreshed (joining reps never lower it).
  v1::LedgerEntry& entry_for(const std::string& rep_id);
  // Call after raising credits through the entries (booking a lead).
  void refresh_join_credit();

 private:
  v1::PoolLedger* ledger_;
  std::unordered_map<std::string, int> by_rep_;
  double join_credit_ = 0;
};

// Books a lead for the rep: credit, rotation position, open and daily counts.
void record_assignment(v1::PoolLedger& ledger, const v1::Rep& rep, double weight,
                       const time::ZoneDb& zones, TimePoint now,
                       const std::string& default_zone = "UTC");
// Frees one open-lead slot.
void record_release(v1::PoolLedger& ledger, const std::string& rep_id);

struct Selection {
  std::string rep_id;  // empty: nobody eligible
  std::string how;     // round_robin, weighted, least_loaded, account_owner
  std::vector<v1::SkippedRep> skipped;
};

// Picks the owner for `req` among the pool's members and books it in the
// ledger. The account owner (req.preferred_rep_id) wins when eligible. Reps in
// req.excluded_reps never win. Every rep not chosen is listed with a reason.
Selection select_owner(const v1::PoolRequest& req, const PoolConfig& pool, const Roster& roster,
                       v1::PoolLedger& ledger, const time::ZoneDb& zones, TimePoint now,
                       const time::HolidayCalendars* holiday_calendars = nullptr,
                       const LoadElsewhere* elsewhere = nullptr);

}  // namespace baton::router
