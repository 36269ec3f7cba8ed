#include "selection.h"

#include <algorithm>
#include <tuple>

#include "baton/time/time.h"
#include "identity.h"

namespace baton::router {
namespace {

const TimeZone* zone_of(const v1::Rep& rep, const TimeZoneDb& zones, const std::string& def) {
  return zones.find(rep.time_zone().empty() ? def : rep.time_zone());
}

double weight_of(const v1::Rep& rep, const PoolConfig& pool) {
  auto it = pool.weights.find(rep.id());
  if (it != pool.weights.end()) return it->second;
  return rep.weight() > 0 ? rep.weight() : 1.0;
}

bool in_hours(const v1::WorkingHours& wh, const LocalTime& lt) {
  if (wh.days().empty()) return true;  // no hours configured: always
  int s = wh.start_minute(), e = wh.end_minute();
  auto has_day = [&](int d) {
    return std::find(wh.days().begin(), wh.days().end(), d) != wh.days().end();
  };
  if (e > s) return has_day(lt.weekday) && lt.minute_of_day >= s && lt.minute_of_day < e;
  // Overnight window: starts on a listed day, ends the next morning.
  int prev = lt.weekday == 1 ? 7 : lt.weekday - 1;
  return (has_day(lt.weekday) && lt.minute_of_day >= s) || (has_day(prev) && lt.minute_of_day < e);
}

}  // namespace

const v1::Rep* Roster::find(const std::string& id) const {
  auto it = reps.find(id);
  return it == reps.end() ? nullptr : &it->second;
}

std::vector<const v1::Rep*> Roster::members(const std::string& pool) const {
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

std::string ineligible_reason(const v1::Rep& rep, const v1::LedgerEntry* entry,
                              const TimeZoneDb& zones, TimePoint now,
                              const std::string& default_zone, const RepLoad* elsewhere) {
  if (!rep.active()) return "inactive";
  int64_t now_ms = time::to_millis(now);
  for (const auto& ooo : rep.out_of_office()) {
    int64_t from = time::timestamp_millis(ooo.from());
    int64_t until = ooo.has_until() ? time::timestamp_millis(ooo.until()) : INT64_MAX;
    if (now_ms >= from && now_ms < until) return "out_of_office";
  }
  const TimeZone* tz = zone_of(rep, zones, default_zone);
  if (!tz) return "unknown_time_zone";
  LocalTime lt = tz->local(now);
  std::string today = lt.date();
  if (std::find(rep.holidays().begin(), rep.holidays().end(), today) != rep.holidays().end())
    return "holiday";
  if (!in_hours(rep.working_hours(), lt)) return "outside_working_hours";
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

bool is_leave(const std::string& r) {
  return r == "inactive" || r == "out_of_office" || r == "holiday";
}

const v1::LedgerEntry* find_entry(const v1::PoolLedger& ledger, const std::string& rep_id) {
  for (const auto& e : ledger.entries())
    if (e.rep_id() == rep_id) return &e;
  return nullptr;
}

v1::LedgerEntry& entry_for(v1::PoolLedger& ledger, const std::string& rep_id) {
  for (auto& e : *ledger.mutable_entries())
    if (e.rep_id() == rep_id) return e;
  // A rep joining the rotation starts at the current position (lowest
  // credit in the ledger), so a roster change never resets the rotation.
  double start = 0;
  bool first = true;
  for (const auto& e : ledger.entries()) {
    start = first ? e.credit() : std::min(start, e.credit());
    first = false;
  }
  auto* e = ledger.add_entries();
  e->set_rep_id(rep_id);
  e->set_credit(start);
  e->set_last_seq(ledger.seq());  // joins at the back of the current round
  return *e;
}

void record_assignment(v1::PoolLedger& ledger, const v1::Rep& rep, double weight,
                       const TimeZoneDb& zones, TimePoint now, const std::string& default_zone) {
  auto& e = entry_for(ledger, rep.id());
  ledger.set_seq(ledger.seq() + 1);
  e.set_credit(e.credit() + 1.0 / (weight > 0 ? weight : 1.0));
  e.set_last_seq(ledger.seq());
  e.set_open_leads(e.open_leads() + 1);
  e.set_assigned_total(e.assigned_total() + 1);
  const TimeZone* tz = zone_of(rep, zones, default_zone);
  std::string today = tz ? tz->local(now).date() : std::string();
  if (e.daily_date() != today) {
    e.set_daily_date(today);
    e.set_daily_count(0);
  }
  e.set_daily_count(e.daily_count() + 1);
}

void record_release(v1::PoolLedger& ledger, const std::string& rep_id) {
  for (auto& e : *ledger.mutable_entries())
    if (e.rep_id() == rep_id && e.open_leads() > 0) e.set_open_leads(e.open_leads() - 1);
}

Selection select_owner(const v1::PoolRequest& req, const PoolConfig& pool, const Roster& roster,
                       v1::PoolLedger& ledger, const TimeZoneDb& zones, TimePoint now,
                       const LoadElsewhere* elsewhere) {
  Selection sel;
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
    std::string r =
        ineligible_reason(rep, find_entry(ledger, rep.id()), zones, now, pool.time_zone, other);
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
      record_assignment(ledger, *owner, weight_of(*owner, pool), zones, now, pool.time_zone);
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
    const v1::LedgerEntry& e = entry_for(ledger, rep->id());
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
  double before = entry_for(ledger, chosen.id()).credit();
  record_assignment(ledger, chosen, weight_of(chosen, pool), zones, now, pool.time_zone);
  sel.rep_id = chosen.id();
  sel.how = strategy_name(pool.strategy);
  for (const auto& c : eligible)
    if (c.rep != &chosen) skip(c.rep->id(), "not_next_in_rotation");
  // Reps who could not take this lead keep pace with the rotation, except
  // reps on leave in a pool whose setting is to let them catch up.
  for (const auto& [rep, r] : ineligible) {
    auto& e = entry_for(ledger, rep->id());
    if (pool.catch_up && is_leave(r)) continue;
    if (e.credit() < before) e.set_credit(before);
  }
  return sel;
}

}  // namespace baton::router
