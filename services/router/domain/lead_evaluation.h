// The lead desk's evaluation, shared by lead_desk.cc and lead_placement.cc
// (not part of the domain API): re-scoring a lead's cycle, what the change
// means (nurture, a pool request, a tier change), re-opening a closed lead,
// and the identity check's kept signals.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "baton/v1/router_state.pb.h"
#include "baton/v1/routing.pb.h"
#include "config.h"
#include "lead_desk.h"

namespace baton::router::detail {

// Envelope of an output of the lead's desk caused by `causation`.
v1::Envelope out_envelope(const v1::LeadState& s, const std::string& causation, TimePoint now);
// Whether a lead closed at `closed` re-opens on a new hand-raise (router.reopen).
bool reopens(const RoutingConfig& cfg, v1::Stage closed);
// A closed lead's new hand-raise: a new cycle with nothing carried over but
// the lead's identity and context.
void start_cycle(v1::LeadState& s, int64_t at_ms);
// Re-score and decide what the change means.
void evaluate(v1::LeadState& s, const std::string& causation, const LeadContext& ctx,
              LeadDecision& d);
// The lead as it would be re-scored (in a new cycle from `new_cycle_ms`,
// when set): taken, with its events and requests, only when that routes it.
bool route_if_ready(v1::LeadState& s, std::optional<int64_t> new_cycle_ms,
                    const std::string& causation, const LeadContext& ctx, LeadDecision& d);
// A closed lead's hand-raise at `at_ms`: a new cycle when the raise qualifies
// the lead on its own (and the closed stage re-opens); otherwise nothing.
bool reopen_on(v1::LeadState& s, int64_t at_ms, const std::string& causation,
               const LeadContext& ctx, LeadDecision& d);
// The pool request for a lead that is ready to be owned.
v1::PoolRequest pool_request(const v1::LeadState& s, const std::string& causation,
                             const LeadContext& ctx, v1::PoolRequestKind kind);
// The cause of the lead's new pool requests happened at `at_ms` (capture,
// promoting signal): the system delay of their assignment counts from it.
void stamp_requested(LeadDecision& d, int64_t at_ms);
// The identity check kept this lead: clear identity_pending; true when
// signals were kept meanwhile (score_kept_signals scores them).
bool clear_identity_pending(v1::LeadState& s);
void score_kept_signals(bool kept, v1::LeadState& s, const std::string& causation,
                        const LeadContext& ctx, LeadDecision& d);

}  // namespace baton::router::detail
