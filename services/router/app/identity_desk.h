// The person-keyed view (issue 18 point 1). Every capture with an identity
// is checked by one task: the one that owns the identity desk
// (router.identity.desk, default the default pool's desk) on the
// pool-requests topic. It keeps "person/<hash>" in PoolDesk's store and,
// when the person is not merged into another lead, sends the decision the
// lead's desk made at capture on. A pool request for a pool on the same
// desk is then decided in that same step: capture -> desk -> assignment,
// two transactional hops.
//
// Upgrade from a build that kept the person view in LeadDesk's store (on
// the identity topic's partitions): LeadDesk hands each such record to the
// identity desk (PersonCarried), a batch per timer tick (on_tick), and forwards the checks
// and erasures still read from the identity topic to the desk after the
// record they need. So no person is forgotten across the upgrade.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "baton/runtime/processor.h"
#include "baton/v1/router_state.pb.h"
#include "domain/lead_desk.h"
#include "metrics.h"
#include "router_config.h"

namespace baton::router {

// ce_types of the identity desk's inputs on the pool-requests topic
// (make_output's default, the message's full name); a PoolRequest carries
// its own.
inline constexpr const char* kIdentityCheckType = "baton.v1.IdentityCheck";
inline constexpr const char* kPersonCarriedType = "baton.v1.PersonCarried";
// State key prefix of a person record ("person/<identity hash>").
inline constexpr std::string_view kPersonPrefix = "person/";

// Sends `msg` (a check, a carried person) to the identity desk: the
// pool-request topic, keyed by the desk.
void emit_to_identity_desk(runtime::Effects& fx, const RouterSettings& s,
                           const google::protobuf::Message& msg, const std::string& event_id,
                           runtime::TimePoint now);

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
// the kept decision's routing events and the internal notices. True when
// the capture's decision is kept: its pool requests (check.pool_requests(),
// read in place) are the caller's to decide or send on. The outcome is
// counted once the step commits (baton_router_identity_checks_total).
bool resolve_check(v1::IdentityCheck& check, const std::string& id, const runtime::StateView& state,
                   const RouterSettings& s, const std::shared_ptr<RouterMetrics>& metrics,
                   runtime::Effects& fx, runtime::TimePoint now);

// At the identity desk: adopts a carried person record (adopt_carried),
// counted as "carried" once the step commits.
void adopt_person(const v1::PersonCarried& carried, const runtime::StateView& state,
                  const std::shared_ptr<RouterMetrics>& metrics, runtime::Effects& fx);

// At LeadDesk: hands its person record `key` ("person/<hash>", value
// `value`) to the identity desk and deletes it here, in the same step. One
// that does not parse goes without its value, and the desk dead-letters it.
void carry_person(runtime::Effects& fx, const RouterSettings& s, std::string_view key,
                  std::string_view value, runtime::TimePoint now);

}  // namespace baton::router
