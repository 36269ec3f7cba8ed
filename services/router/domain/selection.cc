#include "selection.h"

#include <algorithm>
#include <tuple>

#include "baton/time/time.h"
#include "identity.h"

namespace baton::router {
namespace {

std::shared_ptr<const time::TimeZone> zone_of(const v1::Rep& rep, const time::ZoneDb& zones,
                                              const std::string& def) {
  return zones.get(rep.time_zone().empty() ? def : rep.time_zone());
}

double weight_of(const v1::Rep& rep, const PoolConfig& pool) {
  auto it = pool.weights.find(rep.id());
  if (it != pool.weights.end()) return it->second;
  return rep.weight() > 0 ? rep.weight() : 1.0;
}

}  // namespace

time::Calendar rep_calendar(const v1::Rep& rep, std::shared_ptr<const time::TimeZone> zone,
                            const time::HolidayCalendars* holiday_calendars) {
  time::CalendarSpec spec;
  const auto& wh = rep.working_hours();
  spec.days.assign(wh.days().begin(), wh.days().end());  // none: always
  spec.start_minute = wh.start_minute();
  spec.end_minute = wh.end_minute();
  const std::vector<std::string> own(rep.holidays().begin(), rep.holidays().end());
  spec.holidays = holiday_calendars
                      ? time::holidays_for(own, rep.holiday_calendar_id(), *holiday_calendars)
                      : own;
  std::vector<time::Absence> away;
  for (const auto& ooo : rep.out_of_office())
    away.push_back({time::timestamp_millis(ooo.from()),
                    ooo.has_until() ? time::timestamp_millis(ooo.until()) : INT64_MAX});
  if (zone) spec.time_zone = zone->name();
  return time::Calendar(std::move(spec), std::move(zone), std::move(away));
}

const v1::Rep* Roster::find(const std::string& id) const {
  auto it = reps.find(id);
  return it == reps.end() ? nullptr : &it->second;
}

void Roster::index() {
  by_pool_.clear();
  times_.clear();
  for (const auto& [id, rep] : reps)
    for (const auto& p : rep.pools()) {
      auto& list = by_pool_[p];
      if (list.empty() || list.back() != &rep) list.push_back(&rep);  // a pool named twice
    }
  indexed_ = true;
}

void Roster::reindex(const Roster& other) {
  by_pool_.clear();
  times_.clear();
  indexed_ = false;
  if (other.indexed_) index();  // the copy's own reps, not other's
}

Roster& Roster::operator=(const Roster& other) {
  if (this != &other) {
    reps = other.reps;
    reindex(other);
  }
  return *this;
}

std::vector<const v1::Rep*> Roster::members(const std::string& pool) const {
  if (indexed_) {
    auto it = by_pool_.find(pool);
    return it == by_pool_.end() ? std::vector<const v1::Rep*>{} : it->second;
  }
  std::vector<const v1::Rep*> out;
  for (const auto& [id, rep] : reps)
    if (std::find(rep.pools().begin(), rep.pools().end(), pool) != rep.pools().end())
      out.push_back(&rep);
  return out;
}

void RepLoad::add(const v1::LedgerEntry& e) {
  open_leads += e.open_leads();
  if (!e.daily_date().empty()) daily_by_date[e.daily_date()] += e.daily_count();
}

RepTime rep_time(const v1::Rep& rep, const time::ZoneDb& zones, const std::string& default_zone,
                 const time::HolidayCalendars* holiday_calendars) {
  auto tz = zone_of(rep, zones, default_zone);
  time::Calendar cal = rep_calendar(rep, tz, holiday_calendars);
  return RepTime{std::move(tz), std::move(cal)};
}

const RepTime* Roster::cached_time(const v1::Rep& rep, const time::ZoneDb& zones,
                                   const std::string& default_zone,
                                   const time::HolidayCalendars* holiday_calendars) const {
  if (!indexed_) return nullptr;
  auto key = std::make_pair(rep.id(), default_zone);
  auto it = times_.find(key);
  if (it == times_.end())
    it =
        times_.emplace(std::move(key), rep_time(rep, zones, default_zone, holiday_calendars)).first;
  return &it->second;
}

std::string why_unavailable(const v1::Rep& rep, const RepTime& t, TimePoint now) {
  if (!rep.active()) return "inactive";
  std::string why = t.calendar.why_not_working(now);
  if (why == time::kOutOfOffice) return why;
  if (!t.zone) return "unknown_time_zone";
  return why;  // holiday, outside_working_hours, or "" (available)
}

std::string why_unavailable(const v1::Rep& rep, const time::ZoneDb& zones, TimePoint now,
                            const std::string& default_zone,
                            const time::HolidayCalendars* holiday_calendars) {
  if (!rep.active()) return "inactive";
  return why_unavailable(rep, rep_time(rep, zones, default_zone, holiday_calendars), now);
}

std::string ineligible_reason(const v1::Rep& rep, const RepTime& t, const v1::LedgerEntry* entry,
                              TimePoint now, const RepLoad* elsewhere) {
  if (std::string why = why_unavailable(rep, t, now); !why.empty()) return why;
  const std::string today = t.zone->local(now).date();
  int32_t open = entry ? entry->open_leads() : 0;
  int32_t daily = entry && entry->daily_date() == today ? entry->daily_count() : 0;
  if (elsewhere) {
    open += elsewhere->open_leads;
    auto it = elsewhere->daily_by_date.find(today);
    if (it != elsewhere->daily_by_date.end()) daily += it->second;
  }
  if (rep.capacity() > 0 && open >= rep.capacity()) return "at_capacity";
  if (rep.daily_cap() > 0 && daily >= rep.daily_cap()) return "daily_cap";
  return {};
}

std::string ineligible_reason(const v1::Rep& rep, const v1::LedgerEntry* entry,
                              const time::ZoneDb& zones, TimePoint now,
                              const std::string& default_zone,
                              const time::HolidayCalendars* holiday_calendars,
                              const RepLoad* elsewhere) {
  if (!rep.active()) return "inactive";
  return ineligible_reason(rep, rep_time(rep, zones, default_zone, holiday_calendars), entry, now,
                           elsewhere);
}

bool is_leave(const std::string& r) {
  return r == "inactive" || r == "out_of_office" || r == "holiday";
}

const v1::LedgerEntry* find_entry(const v1::PoolLedger& ledger, const std::string& rep_id) {
  for (const auto& e : ledger.entries())
    if (e.rep_id() == rep_id) return &e;
  return nullptr;
}

namespace {

double lowest_credit(const v1::PoolLedger& ledger) {
  double start = 0;
  bool first = true;
  for (const auto& e : ledger.entries()) {
    start = first ? e.credit() : std::min(start, e.credit());
    first = false;
  }
  return start;
}

v1::LedgerEntry& join(v1::PoolLedger& ledger, const std::string& rep_id, double credit) {
  auto* e = ledger.add_entries();
  e->set_rep_id(rep_id);
  e->set_credit(credit);
  e->set_last_seq(ledger.seq());  // joins at the back of the current round
  return *e;
}

}  // namespace

v1::LedgerEntry& entry_for(v1::PoolLedger& ledger, const std::string& rep_id) {
  for (auto& e : *ledger.mutable_entries())
    if (e.rep_id() == rep_id) return e;
  return join(ledger, rep_id, lowest_credit(ledger));
}

LedgerIndex::LedgerIndex(v1::PoolLedger& ledger)
    : ledger_(&ledger), join_credit_(lowest_credit(ledger)) {
  by_rep_.reserve(static_cast<size_t>(ledger.entries_size()));
  for (int i = 0; i < ledger.entries_size(); ++i)
    by_rep_.emplace(ledger.entries(i).rep_id(), i);  // the first wins, as in find_entry
}

const v1::LedgerEntry* LedgerIndex::find(const std::string& rep_id) const {
  auto it = by_rep_.find(rep_id);
  return it == by_rep_.end() ? nullptr : &ledger_->entries(it->second);
}

void LedgerIndex::refresh_join_credit() { join_credit_ = lowest_credit(*ledger_); }

v1::LedgerEntry& LedgerIndex::entry_for(const std::string& rep_id) {
  auto it = by_rep_.find(rep_id);
  if (it != by_rep_.end()) return *ledger_->mutable_entries(it->second);
  by_rep_.emplace(rep_id, ledger_->entries_size());
  return join(*ledger_, rep_id, join_credit_);
}

namespace {

void book(v1::PoolLedger& ledger, v1::LedgerEntry& e, const v1::Rep& rep, double weight,
          const time::ZoneDb& zones, TimePoint now, const std::string& default_zone) {
  ledger.set_seq(ledger.seq() + 1);
  e.set_credit(e.credit() + 1.0 / (weight > 0 ? weight : 1.0));
  e.set_last_seq(ledger.seq());
  e.set_open_leads(e.open_leads() + 1);
  e.set_assigned_total(e.assigned_total() + 1);
  auto tz = zone_of(rep, zones, default_zone);
  std::string today = tz ? tz->local(now).date() : std::string();
  if (e.daily_date() != today) {
    e.set_daily_date(today);
    e.set_daily_count(0);
  }
  e.set_daily_count(e.daily_count() + 1);
}

}  // namespace

void record_assignment(v1::PoolLedger& ledger, const v1::Rep& rep, double weight,
                       const time::ZoneDb& zones, TimePoint now, const std::string& default_zone) {
  book(ledger, entry_for(ledger, rep.id()), rep, weight, zones, now, default_zone);
}

void record_release(v1::PoolLedger& ledger, const std::string& rep_id) {
  for (auto& e : *ledger.mutable_entries())
    if (e.rep_id() == rep_id && e.open_leads() > 0) e.set_open_leads(e.open_leads() - 1);
}

Selection select_owner(const v1::PoolRequest& req, const PoolConfig& pool, const Roster& roster,
                       v1::PoolLedger& ledger, const time::ZoneDb& zones, TimePoint now,
                       const time::HolidayCalendars* holiday_calendars,
                       const LoadElsewhere* elsewhere) {
  Selection sel;
  LedgerIndex index(ledger);
  auto excluded = [&](const std::string& id) {
    return std::find(req.excluded_reps().begin(), req.excluded_reps().end(), id) !=
           req.excluded_reps().end();
  };
  auto reason_for = [&](const v1::Rep& rep) -> std::string {
    if (excluded(rep.id())) return "previous_owner";
    const RepLoad* other = nullptr;
    if (elsewhere) {
      auto it = elsewhere->find(rep.id());
      if (it != elsewhere->end()) other = &it->second;
    }
    const v1::LedgerEntry* entry = index.find(rep.id());
    const RepTime* t = roster.cached_time(rep, zones, pool.time_zone, holiday_calendars);
    std::string r =
        t ? ineligible_reason(rep, *t, entry, now, other)
          : ineligible_reason(rep, entry, zones, now, pool.time_zone, holiday_calendars, other);
    if (!r.empty()) return r;
    if (pool.match_language && !req.language().empty() && !rep.languages().empty()) {
      std::string lang = lower(req.language());
      bool speaks = std::any_of(rep.languages().begin(), rep.languages().end(),
                                [&](const std::string& l) { return lower(l) == lang; });
      if (!speaks) return "language";
    }
    return {};
  };
  auto skip = [&](const std::string& id, const std::string& reason) {
    auto& s = sel.skipped.emplace_back();
    s.set_rep_id(id);
    s.set_reason(reason);
  };

  // 1. The account owner, when eligible.
  if (!req.preferred_rep_id().empty()) {
    const v1::Rep* owner = roster.find(req.preferred_rep_id());
    std::string r = owner ? reason_for(*owner) : "not_in_roster";
    if (r.empty()) {
      book(ledger, index.entry_for(owner->id()), *owner, weight_of(*owner, pool), zones, now,
           pool.time_zone);
      sel.rep_id = owner->id();
      sel.how = "account_owner";
      return sel;
    }
    skip(req.preferred_rep_id(), "account_owner_" + r);
  }

  // 2. The pool's strategy over eligible members.
  struct Candidate {
    const v1::Rep* rep;
    std::tuple<double, double, int64_t, std::string> key;
  };
  std::vector<Candidate> eligible;
  std::vector<std::pair<const v1::Rep*, std::string>> ineligible;
  for (const v1::Rep* rep : roster.members(pool.name)) {
    if (rep->id() == req.preferred_rep_id()) continue;
    std::string r = reason_for(*rep);
    if (!r.empty()) {
      ineligible.emplace_back(rep, r);
      continue;
    }
    const v1::LedgerEntry& e = index.entry_for(rep->id());
    double w = weight_of(*rep, pool);
    double first = 0, second = e.credit();
    if (pool.strategy == Strategy::kWeighted) first = e.credit() + 1.0 / w;
    if (pool.strategy == Strategy::kLeastLoaded) first = e.open_leads();
    if (pool.strategy == Strategy::kRoundRobin) first = e.credit();
    eligible.push_back({rep, {first, second, e.last_seq(), rep->id()}});
  }
  for (const auto& [rep, r] : ineligible) skip(rep->id(), r);
  if (eligible.empty()) return sel;
  auto best =
      std::min_element(eligible.begin(), eligible.end(),
                       [](const Candidate& a, const Candidate& b) { return a.key < b.key; });
  const v1::Rep& chosen = *best->rep;
  v1::LedgerEntry& chosen_entry = index.entry_for(chosen.id());
  double before = chosen_entry.credit();
  book(ledger, chosen_entry, chosen, weight_of(chosen, pool), zones, now, pool.time_zone);
  index.refresh_join_credit();  // a rep joining below joins after this booking
  sel.rep_id = chosen.id();
  sel.how = strategy_name(pool.strategy);
  for (const auto& c : eligible)
    if (c.rep != &chosen) skip(c.rep->id(), "not_next_in_rotation");
  // Reps who could not take this lead keep pace with the rotation, except
  // reps on leave in a pool whose setting is to let them catch up.
  for (const auto& [rep, r] : ineligible) {
    auto& e = index.entry_for(rep->id());
    if (pool.catch_up && is_leave(r)) continue;
    if (e.credit() < before) e.set_credit(before);
  }
  return sel;
}

}  // namespace baton::router
