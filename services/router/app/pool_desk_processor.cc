// PoolDesk: one task per desk (input keyed by desk) decides every pool on
// it, with the roster as a global table on every instance. The identity
// desk's task also resolves every capture's identity (identity_desk.h).
#include <functional>
#include <map>

#include "baton/runtime/effects_view.h"
#include "baton/runtime/events.h"
#include "baton/runtime/global_cache.h"
#include "baton/runtime/input_check.h"
#include "baton/runtime/log.h"
#include "baton/runtime/step_arena.h"
#include "baton/v1/contract.h"
#include "domain/pool_desk.h"
#include "domain/scoring.h"
#include "domain/waiting.h"
#include "identity_desk.h"
#include "placement.h"
#include "processors.h"

namespace baton::router {
namespace {

using runtime::Effects;
using runtime::ProcessResult;
using runtime::Record;
using runtime::Rejection;
using runtime::StateView;
using runtime::TimePoint;

// Requests decided in place after the first: the fallback hop and its answer.
constexpr int kLocalHops = 2;

class PoolDeskProcessor : public runtime::Processor {
 public:
  PoolDeskProcessor(std::shared_ptr<const RouterSettings> s, std::shared_ptr<RouterMetrics> m,
                    const time::ZoneDb& zones)
      : s_(std::move(s)), m_(std::move(m)), zones_(zones) {}

  std::string name() const override { return kPoolDeskName; }
  std::vector<std::string> input_topics() const override { return {s_->topics.pool_requests}; }
  std::vector<std::string> global_topics() const override { return {s_->topics.roster}; }

  ProcessResult on_record(const Record& in, const StateView& state, TimePoint now) override {
    if (in.is_type(kIdentityCheckType)) return identity(in, state, now);
    if (in.is_type(kPersonCarriedType)) {
      v1::PersonCarried carried;
      if (!runtime::decode(in.value, carried) || carried.identity_key().empty())
        return Rejection{"decode", "not a baton.v1.PersonCarried with an identity key"};
      if (carried.record().canonical_lead_id().empty())
        return Rejection{"invalid", "carried person record without a lead id"};
      Effects fx;
      fx.dedup_id = runtime::input_event_id(in, "");
      adopt_person(carried, state, m_, fx);
      return fx;
    }
    v1::PoolRequest req;
    if (auto bad = runtime::check_input(in, req, now)) return *bad;  // sizes, times, enums
    if (req.pool().empty() || req.envelope().lead_id().empty())
      return Rejection{"invalid", "pool request without pool or lead id"};
    const std::string id = runtime::input_event_id(in, req.envelope().event_id());
    Effects fx;
    fx.dedup_id = id;
    Step step = decide(req, state, now);
    if (!step.decision) return fx;
    if (step.decision->reject)
      return Rejection{step.decision->reject->first, step.decision->reject->second};
    settle(fx, std::move(step), req.envelope().lead_id(), state, in.partition, id, now);
    return fx;
  }

  ProcessResult on_timer(const runtime::Timer& timer, const StateView& state,
                         TimePoint now) override {
    // Timer id "held/<pool>/<lead>" is also the state key.
    v1::HeldLead held;
    auto raw = state.get(timer.id);
    if (!raw || !held.ParseFromString(*raw)) return Effects{};
    const std::string pool = held.request().pool();
    PoolView v = pool_view(state, pool);
    Step step{
        pool, true,
        retry_held(held, std::move(v.ledger), s_->routing, *v.roster, zones_, now, &v.elsewhere)};
    std::string id = runtime::derive_event_id(
        timer.id, "retry/" + std::to_string(runtime::to_millis(timer.due)));
    Effects fx;
    settle(fx, std::move(step), held.request().envelope().lead_id(), state, timer.partition, id,
           now);
    return fx;
  }

  // Gauges from state: what this task holds, counted when it is assigned.
  void on_assigned(int32_t partition, const StateView& state) override {
    RouterMetrics::DeskLoad load;
    std::map<std::string, WaitingLead> waiting;
    state.scan("held/", [&](std::string_view key, std::string_view value) {
      v1::HeldLead held;
      if (held.ParseFromArray(value.data(), static_cast<int>(value.size()))) {
        load.held_by_pool[held.request().pool()] += 1;
        waiting[std::string(key)] = waiting_lead(held, s_->routing);
      }
      return true;
    });
    state.scan("open/", [&](std::string_view, std::string_view rep) {
      load.open_by_rep[std::string(rep)] += 1;
      return true;
    });
    m_->set_desk_load(partition, std::move(load));
    m_->set_waiting(partition, waiting);
  }
  void on_revoked(int32_t partition) noexcept override { m_->drop_desk_load(partition); }

 private:
  // A capture's identity check at the identity desk: the person record, the
  // kept decision's routing events, and its pool requests, decided in this
  // same step when their pool is on this desk (capture -> desk ->
  // assignment); another desk's go on by the topic. A request this desk
  // cannot use goes on by the topic too, where it is dead-lettered.
  ProcessResult identity(const Record& in, const StateView& state, TimePoint now) {
    v1::IdentityCheck& check = arena_.fresh<v1::IdentityCheck>();
    if (!runtime::decode(in.value, check))
      return Rejection{"decode", "not a baton.v1.IdentityCheck"};
    if (check.identity_key().empty())
      return Rejection{"invalid", "identity check without identity key"};
    const std::string id = runtime::input_event_id(in, check.lead().envelope().event_id());
    Effects fx;
    // An erasure may reach the desk twice (identity_desk.h) and counts once.
    // A capture's check needs no de-duplication record: LeadDesk sends one
    // per capture it admitted, on this exactly-once hop, so a check is read
    // again only after an abort, which dropped the state it wrote too.
    if (check.erase()) fx.dedup_id = id;
    if (!resolve_check(check, id, state, *s_, m_, fx, now)) return fx;
    for (const v1::PoolRequest& r : check.pool_requests()) {
      const std::string& lead = r.envelope().lead_id();
      std::optional<Step> step;
      if (desk_of(s_->routing, r.pool()) == in.key && !r.pool().empty() && !lead.empty()) {
        runtime::EffectsView view(state, fx);
        step = decide(r, view, now);
      }
      if (!step || (step->decision && step->decision->reject)) {
        send(fx, r, r.envelope().event_id(), now);
        continue;
      }
      if (!step->decision) continue;
      std::string id = r.envelope().event_id();
      settle(fx, std::move(*step), lead, state, in.partition, std::move(id), now);
    }
    return fx;
  }

  // A request on the pool-request topic, keyed by its pool's desk.
  void send(Effects& fx, const v1::PoolRequest& r, const std::string& eid, TimePoint now) const {
    fx.emit(runtime::make_output(s_->topics.pool_requests, desk_of(s_->routing, r.pool()), r, eid,
                                 now));
  }

  v1::PoolLedger load_ledger(const StateView& state, const std::string& pool) const {
    v1::PoolLedger ledger;
    if (auto raw = state.get("ledger/" + pool)) ledger.ParseFromString(*raw);
    return ledger;
  }

  // What a decision at a pool reads: its ledger, the roster, and its
  // members' load in the desk's other pools.
  struct PoolView {
    v1::PoolLedger ledger;
    const Roster* roster;
    LoadElsewhere elsewhere;
  };
  PoolView pool_view(const StateView& state, const std::string& pool) {
    PoolView v{load_ledger(state, pool), &load_roster(state), {}};
    v.elsewhere = load_elsewhere(state, *v.roster, pool);
    return v;
  }

  // One request's decision at its pool; no decision: nothing to do.
  struct Step {
    std::string pool;
    bool had_held = false;
    std::optional<PoolDecision> decision;
  };

  Step decide(const v1::PoolRequest& req, const StateView& state, TimePoint now) {
    Step step{req.pool(), false, std::nullopt};
    const std::string& lead = req.envelope().lead_id();
    v1::HeldLead held;
    auto raw = state.get("held/" + step.pool + "/" + lead);
    step.had_held = raw && held.ParseFromString(*raw);
    if (v1::pool_request_kind(req) == v1::POOL_REQUEST_KIND_RELEASE) {
      // Only a slot this lead really holds here is freed (idempotent).
      auto open = state.get("open/" + step.pool + "/" + lead);
      if (!open || *open != req.release_rep_id()) return step;
    }
    PoolView v = pool_view(state, step.pool);
    step.decision = decide_pool(req, std::move(v.ledger), step.had_held ? &held : nullptr,
                                s_->routing, *v.roster, zones_, now, &v.elsewhere);
    return step;
  }

  // Applies a decision. A request it makes of a pool on this same desk (the
  // fallback hop, then the answer back to the origin pool) would come back
  // to this task: it is decided at once, over the writes so far, instead of
  // a round trip through the pool-request topic per step (issue 18 point 2:
  // a held lead's retries cost no records when its fallback shares the desk).
  void settle(Effects& fx, Step step, const std::string& lead, const StateView& state, int32_t part,
              std::string id, TimePoint now) {
    runtime::EffectsView view(state, fx);
    const std::string& desk = desk_of(s_->routing, step.pool);
    for (int hop = 0;; ++hop) {
      PoolDecision& d = *step.decision;
      std::optional<v1::PoolRequest> next;
      if (d.forward && hop < kLocalHops && desk_of(s_->routing, d.forward->pool()) == desk) {
        next = std::move(d.forward);
        d.forward.reset();
      }
      apply(fx, d, part, step.pool, lead, step.had_held, id, now);
      if (!next) return;
      // The id the record would have carried: replays decide the same.
      id = forward_id(id, *next);
      next->mutable_envelope()->set_event_id(id);
      step = decide(*next, view, now);
      if (!step.decision || step.decision->reject) return;  // an answer with nothing to do
    }
  }

  static std::string forward_id(const std::string& id, const v1::PoolRequest& fwd) {
    // The kind's legacy name keeps the ids of earlier builds (replays).
    return runtime::derive_event_id(
        id, "forward/" + std::string(v1::pool_request_kind_name(v1::pool_request_kind(fwd))));
  }

  // The pool's members' load in the other pools of this desk: caps are per
  // rep, not per pool.
  LoadElsewhere load_elsewhere(const StateView& state, const Roster& roster,
                               const std::string& pool) const {
    LoadElsewhere out;
    const std::string& desk = desk_of(s_->routing, pool);
    // Each such ledger read and indexed once (map nodes keep their address).
    std::map<std::string, v1::PoolLedger> ledgers;
    std::map<std::string, LedgerIndex> indexes;
    for (const v1::Rep* rep : roster.members(pool)) {
      if (rep->capacity() <= 0 && rep->daily_cap() <= 0) continue;
      for (const auto& other : rep->pools()) {
        if (other == pool || desk_of(s_->routing, other) != desk) continue;
        auto it = indexes.find(other);
        if (it == indexes.end()) {
          auto& ledger = ledgers.emplace(other, load_ledger(state, other)).first->second;
          it = indexes.emplace(other, LedgerIndex(ledger)).first;
        }
        if (const v1::LedgerEntry* e = it->second.find(rep->id())) out[rep->id()].add(*e);
      }
    }
    return out;
  }

  // The parsed roster, with its members by pool: parsed again only when the
  // roster table changed (its global version moved).
  const Roster& load_roster(const StateView& state) {
    return roster_.get(state, s_->topics.roster, [&] {
      Roster roster = parse_roster(state);
      roster.index();
      m_->global_rebuilt("roster");
      return roster;
    });
  }

  // Reps naming pools the config does not know keep their known pools; the
  // unknown ones are ignored (not fatal) and reported once per roster
  // update: a warning (rep id and pool, no PII) and a counter.
  Roster parse_roster(const StateView& state) {
    Roster roster;
    state.scan_global(s_->topics.roster, [&](std::string_view, std::string_view value) {
      v1::Rep rep;
      if (rep.ParseFromString(std::string(value)) && !rep.id().empty()) {
        auto* pools = rep.mutable_pools();
        std::vector<std::string> unknown;
        for (int i = pools->size() - 1; i >= 0; --i)
          if (!s_->routing.pools.count(pools->Get(i))) {
            unknown.push_back(pools->Get(i));
            pools->DeleteSubrange(i, 1);
          }
        if (!unknown.empty()) report_unknown_pools(rep.id(), unknown, value);
        roster.reps[rep.id()] = rep;
      }
      return true;
    });
    return roster;
  }

  void report_unknown_pools(const std::string& rep_id, const std::vector<std::string>& pools,
                            std::string_view value) {
    size_t fingerprint = std::hash<std::string_view>{}(value);
    auto it = reported_.find(rep_id);
    if (it != reported_.end() && it->second == fingerprint) return;
    reported_[rep_id] = fingerprint;
    for (const auto& p : pools) {
      runtime::log::warn("roster update names an unknown pool; pool ignored",
                         {{"rep_id", rep_id}, {"pool", p}});
      m_->roster_unknown_pool();
    }
  }

  // part: the task's partition, for the gauges of what this instance holds.
  void apply(Effects& fx, PoolDecision& d, int32_t part, const std::string& pool,
             const std::string& lead, bool had_held, const std::string& id, TimePoint now) {
    if (d.ledger_changed) fx.put("ledger/" + pool, d.ledger.SerializeAsString());
    std::string held_key = "held/" + pool + "/" + lead;
    auto m = m_;
    if (d.hold) {
      fx.put(held_key, d.hold->SerializeAsString());
      if (!had_held) fx.after_commit([m, part, pool] { m->held_delta(part, pool, 1); });
      fx.after_commit([m, part, held_key, w = waiting_lead(*d.hold, s_->routing)] {
        m->waiting_put(part, held_key, w);
      });
    } else if (d.unhold && had_held) {
      fx.del(held_key);
      fx.cancel_timer(held_key);
      fx.after_commit([m, part, pool, held_key] {
        m->held_delta(part, pool, -1);
        m->waiting_remove(part, held_key);
      });
    }
    if (d.retry_at) fx.set_timer(held_key, *d.retry_at);
    if (!d.released_rep.empty()) {
      fx.del("open/" + pool + "/" + lead);
      std::string rep = d.released_rep;
      fx.after_commit([m, part, rep] { m->open_leads_delta(part, rep, -1); });
    }
    if (!d.assigned_rep.empty()) {
      fx.put("open/" + pool + "/" + lead, d.assigned_rep);
      std::string rep = d.assigned_rep;
      fx.after_commit([m, part, rep] { m->open_leads_delta(part, rep, 1); });
    }
    if (d.event) {
      std::string eid = runtime::derive_event_id(id, d.event_purpose);
      if (d.event->has_assignment()) {
        auto* a = d.event->mutable_assignment();
        a->mutable_envelope()->set_event_id(eid);
        v1::Tier tier = a->tier();
        std::string source = a->handoff().source();
        std::string p = a->handoff().pool();
        // System delay: from the cause of this assignment (capture,
        // promotion, reassignment request), not from the first capture.
        const auto& from = a->has_requested_at() ? a->requested_at() : a->captured_at();
        double secs = from.seconds() > 0
                          ? static_cast<double>(runtime::to_millis(now) -
                                                runtime::to_millis(runtime::from_timestamp(from))) /
                                1000.0
                          : -1;
        fx.after_commit([m, tier, p, source, secs] { m->routed(tier, p, source, secs); });
      } else if (d.event->has_held()) {
        d.event->mutable_held()->mutable_envelope()->set_event_id(eid);
      }
      runtime::Output routed = runtime::make_output(s_->topics.routing, lead, *d.event, eid, now,
                                                    "baton.v1.RoutingEvent");
      // The lead's desk learns its owner (or that it waits) from this record,
      // not by reading baton.routing.events back (issue 18 point 2); the
      // event is serialized once for both (placement.h).
      std::optional<runtime::Output> placed;
      if (d.event->has_assignment() || d.event->has_held()) {
        placed = runtime::make_output(s_->topics.leads, lead, v1::LeadDeskInput::default_instance(),
                                      runtime::derive_event_id(eid, "placed"), now);
        placed->value = placed_input(routed.value);
      }
      fx.emit(std::move(routed));
      if (placed) fx.emit(std::move(*placed));
    }
    if (d.forward) {
      std::string eid = forward_id(id, *d.forward);
      d.forward->mutable_envelope()->set_event_id(eid);
      send(fx, *d.forward, eid, now);
    }
  }

  std::shared_ptr<const RouterSettings> s_;
  std::shared_ptr<RouterMetrics> m_;
  const time::ZoneDb& zones_;
  // Rep id -> fingerprint of the last roster value reported (single-threaded
  // engine loop).
  std::map<std::string, size_t> reported_;
  runtime::GlobalCache<Roster> roster_;
  // The identity check of the step (single-threaded engine loop).
  runtime::StepArena arena_;
};

}  // namespace

std::unique_ptr<runtime::Processor> make_pool_desk(std::shared_ptr<const RouterSettings> settings,
                                                   std::shared_ptr<RouterMetrics> metrics,
                                                   const time::ZoneDb& zones) {
  return std::make_unique<PoolDeskProcessor>(std::move(settings), std::move(metrics), zones);
}

}  // namespace baton::router
