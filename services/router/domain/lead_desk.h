// Stage 1 (keyed by lead): validation, identity, merge, account match,
// scoring, tier and the routing rule; asks the pool's desk for an owner.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "baton/v1/lead.pb.h"
#include "baton/v1/router_state.pb.h"
#include "baton/v1/routing.pb.h"
#include "config.h"
#include "identity.h"

namespace baton::router {

struct LeadContext {
  const RoutingConfig& cfg;
  AccountLookup accounts;  // may be empty: no account matching
  TimePoint now;
};

struct LeadDecision {
  struct Event {
    std::string purpose;  // names the derived event id
    v1::RoutingEvent event;
  };
  struct PoolOut {
    std::string purpose;
    v1::PoolRequest request;  // key: request.pool()
  };
  struct Internal {
    std::string purpose;
    std::string key;  // lead id
    v1::LeadDeskInput input;
  };
  std::optional<v1::LeadState> state;  // write lead/<id> when set
  std::vector<Event> events;           // routing topic, keyed by lead id
  std::vector<PoolOut> pool_requests;  // pool-requests topic, keyed by desk
  std::vector<Internal> internal;      // internal leads topic
  // Set when the input is unusable: {reason, detail} (goes to the DLQ).
  std::optional<std::pair<std::string, std::string>> reject;
  std::string note;  // non-PII explanation
};

// Bad captures: no id, no contact point, absurd timestamps.
std::optional<std::pair<std::string, std::string>> invalid_lead(const v1::LeadCaptured& lead,
                                                                const RoutingConfig& cfg,
                                                                TimePoint now);

// A capture after identity resolution: create or merge, score, tier, route.
LeadDecision decide_lead(const v1::LeadIntake& intake, const v1::LeadState* state,
                         const LeadContext& ctx);
// A capture of a lead that is not an alias, decided at once as its own
// canonical lead (decide_lead) before the identity check answers: the state
// is marked identity_pending and the check carries the outputs on.
LeadDecision decide_captured(const v1::LeadCaptured& lead, const v1::LeadState* state,
                             const LeadContext& ctx);
// The identity check kept the capture's decision and no placement will say
// so: clear identity_pending, scoring the signals read meanwhile.
LeadDecision on_identity_confirmed(const v1::LeadState* state, const std::string& causation,
                                   const LeadContext& ctx);
// An engagement signal: re-score; a nurture lead crossing the bar is routed;
// an assigned lead whose tier rises emits a tier change.
LeadDecision on_signal(const v1::EngagementSignal& signal, const v1::LeadState* state,
                       const LeadContext& ctx);
// Topics are read unevenly: a hand-raise (signal or capture) that happened
// at or after `since_ms`, when the lead was closed or recycled, may have been
// read while it was still open, and was kept without routing. Applied now, in
// event-time order: it re-opens a closed lead or routes a recycled one when
// it qualifies the lead on its own. True when the lead is routed again.
bool replay_hand_raise(v1::LeadState& s, int64_t since_ms, const std::string& causation,
                       const LeadContext& ctx, LeadDecision& d);
// This lead merged into another: forward what was kept here.
// An owned lead that becomes an alias releases its rep's slot.
LeadDecision on_alias(const v1::AliasNotice& alias, const v1::LeadState* state, TimePoint now);
// Reassignment: same rules, never a rep who held the lead this cycle; past
// the limit it escalates to the pool's manager / fallback.
LeadDecision on_reassign(const v1::ReassignmentRequest& req, const v1::LeadState* state,
                         const LeadContext& ctx);
// PoolDesk's placement of the lead (LeadDeskInput.placed: an Assignment or a
// LeadHeld, sent to the lead's desk, not read back from baton.routing.events).
// It also clears identity_pending: the identity check kept the lead.
LeadDecision on_routing_event(const v1::RoutingEvent& ev, const v1::LeadState* state,
                              const LeadContext& ctx);
// The same, taking the lead's state instead of copying it: the processor
// hands over the copy it parsed from its store.
LeadDecision on_routing_event(const v1::RoutingEvent& ev, std::optional<v1::LeadState> state,
                              const LeadContext& ctx);

}  // namespace baton::router
