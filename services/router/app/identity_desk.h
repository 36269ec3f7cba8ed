// The person-keyed view (issue 18 point 1). Every capture with an identity
// is checked by one task: the one that owns the identity desk
// (router.identity.desk, default the default pool's desk) on the
// pool-requests topic. It keeps "person/<hash>" in PoolDesk's store and,
// when the person is not merged into another lead, sends the decision the
// lead's desk made at capture on. A pool request for a pool on the same
// desk is then decided in that same step: capture -> desk -> assignment,
// two transactional hops. Checks still read from the older identity topic
// (an earlier build's, in flight at an upgrade) are resolved the same way
// against LeadDesk's store.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "baton/runtime/processor.h"
#include "baton/v1/router_state.pb.h"
#include "domain/lead_desk.h"
#include "metrics.h"
#include "router_config.h"

namespace baton::router {

// ce_type of an IdentityCheck on the pool-requests topic (make_output's
// default, the message's full name); a PoolRequest carries its own.
inline constexpr const char* kIdentityCheckType = "baton.v1.IdentityCheck";
bool is_identity_check(const runtime::Record& in);

// The envelope of whichever event a RoutingEvent holds (nullptr: none).
v1::Envelope* envelope_of(v1::RoutingEvent& ev);

// A routing event on baton.routing.events, keyed by its lead id.
void emit_routing(runtime::Effects& fx, const RouterSettings& s, v1::RoutingEvent& ev,
                  runtime::TimePoint now);
// LeadDesk inputs (intake, alias, confirmation, forwarded signals) on the
// internal leads topic, ids derived from `id` and their purpose.
void emit_internal(runtime::Effects& fx, const RouterSettings& s,
                   std::vector<LeadDecision::Internal>& internal, const std::string& id,
                   runtime::TimePoint now);

// Resolves `check` over the person record in `state` (first capture, same
// lead, or merge) and writes the record; an erase check deletes it. Emits
// the kept decision's routing events and the internal notices. Returns the
// kept pool requests for the caller to decide or send on. The outcome is
// counted once the step commits (baton_router_identity_checks_total).
std::vector<v1::PoolRequest> resolve_check(v1::IdentityCheck& check, const std::string& id,
                                           const runtime::StateView& state, const RouterSettings& s,
                                           std::shared_ptr<RouterMetrics> metrics,
                                           runtime::Effects& fx, runtime::TimePoint now);

}  // namespace baton::router
