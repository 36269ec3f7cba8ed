// Stage 2 (keyed by pool): one desk decides every owner of its pool, so
// fairness and caps hold whatever the number of router instances.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "baton/time/calendar.h"
#include "baton/v1/router_state.pb.h"
#include "baton/v1/routing.pb.h"
#include "config.h"
#include "selection.h"

namespace baton::router {

struct PoolDecision {
  v1::PoolLedger ledger;  // the pool's ledger after the decision
  bool ledger_changed = false;
  // Assignment or LeadHeld, keyed by lead id; purpose names the event id.
  std::optional<v1::RoutingEvent> event;
  std::string event_purpose;
  // Request for another pool's desk (fallback hop), keyed by its pool.
  std::optional<v1::PoolRequest> forward;
  // held/<lead>: write (hold), delete (unhold) or leave.
  std::optional<v1::HeldLead> hold;
  bool unhold = false;
  std::optional<TimePoint> retry_at;  // timer for the held lead
  std::string assigned_rep;           // open/<lead> = rep
  std::string released_rep;           // open-lead slot freed
  std::string note;                   // non-PII explanation (logs)
  // Set when the request is unusable (a kind neither request_kind nor the
  // legacy string names): {reason, detail}, dead-lettered.
  std::optional<std::pair<std::string, std::string>> reject;
};

// Handles one request by its kind (v1::pool_request_kind: request_kind, else
// the legacy string): assign, escalate, release, a fallback hop (FALLBACK,
// FALLBACK_ASSIGNED, FALLBACK_NONE), or the withdrawal of a held lead that
// closed meanwhile (WITHDRAW). An unspecified kind, or a pool not in the
// config (removed since the request), sets `reject`.
// `elsewhere`: the members' load in the desk's other pools (per-rep caps).
// The ledger is taken by value: a caller done with it moves it in, and the
// decision's ledger is built from it without a copy.
PoolDecision decide_pool(const v1::PoolRequest& req, v1::PoolLedger ledger,
                         const v1::HeldLead* held, const RoutingConfig& cfg, const Roster& roster,
                         const time::ZoneDb& zones, TimePoint now,
                         const LoadElsewhere* elsewhere = nullptr);

// A held lead's retry timer fired: try again (pool, then fallback).
PoolDecision retry_held(const v1::HeldLead& held, v1::PoolLedger ledger, const RoutingConfig& cfg,
                        const Roster& roster, const time::ZoneDb& zones, TimePoint now,
                        const LoadElsewhere* elsewhere = nullptr);

}  // namespace baton::router
