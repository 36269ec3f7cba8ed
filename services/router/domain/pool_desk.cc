#include "pool_desk.h"

#include "baton/time/time.h"
#include "baton/v1/contract.h"
#include "escalation.h"

namespace baton::router {
namespace {

v1::Envelope envelope_for(const v1::PoolRequest& req, TimePoint now) {
  v1::Envelope env;
  env.set_lead_id(req.envelope().lead_id());
  *env.mutable_event_time() = time::to_timestamp(time::from_millis(time::to_millis(now)));
  env.set_source_system("baton-router");
  env.set_schema_version("v1");
  env.set_correlation_id(req.envelope().correlation_id());
  env.set_causation_id(req.envelope().event_id());
  return env;
}

v1::RoutingEvent assignment(const v1::PoolRequest& req, const v1::Rep& rep, const std::string& pool,
                            const Selection& sel, TimePoint now) {
  v1::RoutingEvent ev;
  auto* a = ev.mutable_assignment();
  *a->mutable_envelope() = envelope_for(req, now);
  a->set_owner_rep_id(rep.id());
  a->set_manager_id(rep.manager_id());
  a->set_tier(req.tier());
  *a->mutable_handoff() = req.handoff();
  a->mutable_handoff()->set_pool(pool);
  a->mutable_handoff()->set_selection(sel.how);
  for (const auto& s : sel.skipped) *a->mutable_handoff()->add_skipped() = s;
  a->set_reassignment_count(req.reassignment_count());
  a->set_previous_owner_rep_id(req.previous_owner_rep_id());
  *a->mutable_captured_at() = req.captured_at();
  if (req.has_requested_at()) *a->mutable_requested_at() = req.requested_at();
  *a->mutable_assigned_at() = time::to_timestamp(time::from_millis(time::to_millis(now)));
  a->set_cycle(req.cycle());
  return ev;
}

PoolDecision start(v1::PoolLedger ledger, const std::string& pool) {
  PoolDecision d;
  d.ledger = std::move(ledger);
  d.ledger.set_pool(pool);
  return d;
}

void assign_to(PoolDecision& d, const v1::PoolRequest& req, const v1::Rep& rep,
               const std::string& pool, const Selection& sel, TimePoint now) {
  d.event = assignment(req, rep, pool, sel, now);
  d.event_purpose = "assignment";
  d.assigned_rep = rep.id();
  d.ledger_changed = true;
  d.unhold = true;
}

// Nobody eligible here: go to the fallback pool's desk, else hold.
void hold_or_fallback(PoolDecision& d, const v1::PoolRequest& req, const PoolConfig& pool,
                      const Selection& sel, const v1::HeldLead* held, const RoutingConfig& cfg,
                      TimePoint now) {
  v1::HeldLead h = held ? *held : v1::HeldLead{};
  *h.mutable_request() = req;
  if (!held) h.set_held_since_ms(time::to_millis(now));
  if (!pool.fallback.empty()) {
    v1::PoolRequest fwd = req;
    v1::set_pool_request_kind(fwd, v1::POOL_REQUEST_KIND_FALLBACK);
    fwd.set_pool(pool.fallback);
    fwd.set_fallback_pool(pool.name);  // origin: answers come back here
    for (const auto& s : sel.skipped) *fwd.mutable_handoff()->add_skipped() = s;
    d.forward = fwd;
    h.set_at_fallback(true);
    d.hold = h;
    d.note = "no eligible rep; asking fallback pool";
    return;
  }
  h.set_at_fallback(false);
  if (!h.announced()) {
    v1::RoutingEvent ev;
    auto* lh = ev.mutable_held();
    *lh->mutable_envelope() = envelope_for(req, now);
    lh->set_pool(pool.name);
    lh->set_tier(req.tier());
    for (const auto& s : req.handoff().skipped()) *lh->add_skipped() = s;
    for (const auto& s : sel.skipped) *lh->add_skipped() = s;
    // Waiting for its first owner (not a reassignment or an escalation): the
    // captured_owner queue owns it meanwhile, as LeadState.owner_queue says.
    if (req.reassignment_count() == 0) lh->set_owner_queue(cfg.captured_owner);
    d.event = ev;
    d.event_purpose = "held";
    h.set_announced(true);
  }
  d.hold = h;
  d.retry_at = now + cfg.held_retry;
  d.note = "no eligible rep; lead held";
}

PoolDecision try_assign(const v1::PoolRequest& req, v1::PoolLedger ledger, const v1::HeldLead* held,
                        const PoolConfig& pool, const RoutingConfig& cfg, const Roster& roster,
                        const time::ZoneDb& zones, TimePoint now, const LoadElsewhere* elsewhere) {
  PoolDecision d = start(std::move(ledger), pool.name);
  if (!req.release_rep_id().empty()) {
    record_release(d.ledger, req.release_rep_id());
    d.released_rep = req.release_rep_id();
    d.ledger_changed = true;
  }
  Selection passed;  // managers an escalation passed over
  const bool escalate = v1::pool_request_kind(req) == v1::POOL_REQUEST_KIND_ESCALATE;
  if (escalate && !pool.manager_rep_id.empty()) {
    time::ChainChoice up = pool_escalation(req, pool, cfg, roster, zones, now);
    for (const auto& [id, why] : up.skipped) {
      v1::SkippedRep& sk = passed.skipped.emplace_back();
      sk.set_rep_id(id);
      sk.set_reason(why);
    }
    if (!up.to.empty()) {
      passed.how = "manager";
      const v1::Rep& mgr = *roster.find(up.to);
      record_assignment(d.ledger, mgr, 1.0, zones, now);
      assign_to(d, req, mgr, pool.name, passed, now);
      return d;
    }
  }
  if (escalate && !pool.fallback.empty()) {
    hold_or_fallback(d, req, pool, passed, held, cfg, now);
    return d;
  }
  Selection sel =
      select_owner(req, pool, roster, d.ledger, zones, now, &cfg.holiday_calendars, elsewhere);
  sel.skipped.insert(sel.skipped.begin(), passed.skipped.begin(), passed.skipped.end());
  if (!sel.rep_id.empty()) {
    assign_to(d, req, *roster.find(sel.rep_id), pool.name, sel, now);
    return d;
  }
  d.ledger_changed = true;  // new ledger entries / kept pace
  hold_or_fallback(d, req, pool, sel, held, cfg, now);
  return d;
}

// Neither request_kind nor the legacy string names a kind: dead letter.
PoolDecision unknown_kind(v1::PoolLedger ledger, const v1::PoolRequest& req) {
  PoolDecision d = start(std::move(ledger), req.pool());
  d.reject = {"unknown_enum", "PoolRequest.request_kind: unspecified, and no known legacy kind"};
  d.note = "pool request without a known kind";
  return d;
}

// At the fallback desk: assign here or answer "none" to the origin.
PoolDecision at_fallback_desk(const v1::PoolRequest& req, v1::PoolLedger ledger,
                              const PoolConfig& pool, const RoutingConfig& cfg,
                              const Roster& roster, const time::ZoneDb& zones, TimePoint now,
                              const LoadElsewhere* elsewhere) {
  PoolDecision d = start(std::move(ledger), pool.name);
  Selection sel =
      select_owner(req, pool, roster, d.ledger, zones, now, &cfg.holiday_calendars, elsewhere);
  d.ledger_changed = true;
  v1::PoolRequest answer = req;
  answer.set_pool(req.fallback_pool());
  answer.set_fallback_pool(pool.name);
  if (!sel.rep_id.empty()) {
    sel.how = "fallback";
    assign_to(d, req, *roster.find(sel.rep_id), pool.name, sel, now);
    d.unhold = false;
    v1::set_pool_request_kind(answer, v1::POOL_REQUEST_KIND_FALLBACK_ASSIGNED);
  } else {
    v1::set_pool_request_kind(answer, v1::POOL_REQUEST_KIND_FALLBACK_NONE);
    for (const auto& s : sel.skipped) *answer.mutable_handoff()->add_skipped() = s;
  }
  d.forward = answer;
  return d;
}

// Back at the origin, the fallback pool found nobody either: hold here.
PoolDecision fallback_found_none(const v1::PoolRequest& req, v1::PoolLedger ledger,
                                 const v1::HeldLead* held, const PoolConfig& pool,
                                 const RoutingConfig& cfg, TimePoint now) {
  PoolDecision d = start(std::move(ledger), pool.name);
  if (!held) return d;  // answer to a request that is no longer held
  v1::HeldLead h = *held;
  h.set_at_fallback(false);
  if (!h.announced()) {
    v1::RoutingEvent ev;
    auto* lh = ev.mutable_held();
    *lh->mutable_envelope() = envelope_for(h.request(), now);
    lh->set_pool(pool.name);
    lh->set_tier(h.request().tier());
    for (const auto& s : req.handoff().skipped()) *lh->add_skipped() = s;
    d.event = ev;
    d.event_purpose = "held";
    h.set_announced(true);
  }
  d.hold = h;
  d.retry_at = now + cfg.held_retry;
  return d;
}

}  // namespace

PoolDecision decide_pool(const v1::PoolRequest& req, v1::PoolLedger ledger,
                         const v1::HeldLead* held, const RoutingConfig& cfg, const Roster& roster,
                         const time::ZoneDb& zones, TimePoint now, const LoadElsewhere* elsewhere) {
  const v1::PoolRequestKind kind = v1::pool_request_kind(req);
  if (kind == v1::POOL_REQUEST_KIND_UNSPECIFIED) return unknown_kind(std::move(ledger), req);
  auto it = cfg.pools.find(req.pool());
  if (it == cfg.pools.end()) {
    // A pool removed from router.pools since the request was made: nothing
    // here can decide it, so it is dead-lettered, never dropped in silence
    // (a lead already held at such a pool keeps waiting: retry_held).
    PoolDecision d = start(std::move(ledger), req.pool());
    d.reject = {"unknown_pool", "PoolRequest.pool '" + req.pool() +
                                    "' is not in router.pools (removed since the request?)"};
    d.note = "unknown pool";
    return d;
  }
  const PoolConfig& pool = it->second;
  switch (kind) {
    case v1::POOL_REQUEST_KIND_RELEASE: {
      PoolDecision d = start(std::move(ledger), pool.name);
      record_release(d.ledger, req.release_rep_id());
      d.released_rep = req.release_rep_id();
      d.ledger_changed = true;
      return d;
    }
    case v1::POOL_REQUEST_KIND_FALLBACK:
      return at_fallback_desk(req, std::move(ledger), pool, cfg, roster, zones, now, elsewhere);
    case v1::POOL_REQUEST_KIND_WITHDRAW: {
      // The lead closed while waiting: stop holding it (no slot was booked).
      PoolDecision d = start(std::move(ledger), pool.name);
      d.unhold = held != nullptr;
      d.note = held ? "held lead withdrawn" : "withdraw: lead not held here";
      return d;
    }
    case v1::POOL_REQUEST_KIND_FALLBACK_ASSIGNED: {
      PoolDecision d = start(std::move(ledger), pool.name);
      d.unhold = true;
      return d;
    }
    case v1::POOL_REQUEST_KIND_FALLBACK_NONE:
      return fallback_found_none(req, std::move(ledger), held, pool, cfg, now);
    case v1::POOL_REQUEST_KIND_ASSIGN:
    case v1::POOL_REQUEST_KIND_ESCALATE:
      return try_assign(req, std::move(ledger), held, pool, cfg, roster, zones, now, elsewhere);
    default:
      break;  // unreachable: pool_request_kind yields a known kind or UNSPECIFIED
  }
  return unknown_kind(std::move(ledger), req);
}

PoolDecision retry_held(const v1::HeldLead& held, v1::PoolLedger ledger, const RoutingConfig& cfg,
                        const Roster& roster, const time::ZoneDb& zones, TimePoint now,
                        const LoadElsewhere* elsewhere) {
  const v1::PoolRequest& req = held.request();
  auto it = cfg.pools.find(req.pool());
  if (it == cfg.pools.end() || held.at_fallback()) {
    PoolDecision d = start(std::move(ledger), req.pool());
    if (it == cfg.pools.end()) d.retry_at = now + cfg.held_retry;
    return d;
  }
  v1::PoolRequest again = req;
  again.set_release_rep_id("");  // released when first handled
  again.mutable_handoff()->clear_skipped();
  return try_assign(again, std::move(ledger), &held, it->second, cfg, roster, zones, now,
                    elsewhere);
}

}  // namespace baton::router
