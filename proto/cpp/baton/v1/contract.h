// Small pieces of the event contract shared by the services and the CLI:
// the text form of event ids, the bounded label of a Tier, the kind of a
// PoolRequest.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "baton/v1/common.pb.h"
#include "baton/v1/lead.pb.h"
#include "baton/v1/notification.pb.h"
#include "baton/v1/routing.pb.h"

namespace baton::v1 {

// An RFC 4122 UUID in text form from 128 bits: the version nibble is set to
// `version` (4 random, 5 name-based, 8 custom) and the variant to 10xx.
std::string format_uuid(uint64_t hi, uint64_t lo, unsigned version);

// The metric and log label of a tier: "high-intent", "standard" or
// "nurture" (an unset tier counts as standard, the policy it gets).
std::string tier_label(Tier tier);

// The name of a tier in configs and text: "high_intent", "standard",
// "nurture" ("unspecified" for an unset tier). The router's tier rules, the
// SLA monitor's policies and their state JSON use these.
std::string tier_name(Tier tier);
// The tier a name above stands for (exact match); nullopt for any other.
std::optional<Tier> tier_from_name(std::string_view name);
// Every tier's name, highest first (config errors list them).
const std::vector<std::string>& tier_names();

// "assigned", "sla_warning", "reassigned_away" ("unspecified" otherwise):
// metric labels, alert ids and the webhook payload's kind.
std::string alert_kind_label(AlertKind kind);

// The legal basis of the ErasureRequest a service derives for a lead merged
// into an erased one: "merged into erased lead <survivor>" (ids only). The
// router reads it to tell that the survivor is already being erased.
std::string merged_into_erased_basis(const std::string& survivor_lead_id);

// An erasure request a service derives from `cause` for another lead of the
// same person (merges), ids only: caused by and correlated with `cause`,
// from `service` ("baton-router", "baton-feedback"), at `at`.
ErasureRequest follow_on_erasure(const ErasureRequest& cause, const std::string& lead_id,
                                 const std::string& service, const std::string& legal_basis,
                                 const google::protobuf::Timestamp& at);

// The kind of a pool request: request_kind when it names a known kind, else
// the deprecated string `kind` of a record written before request_kind
// (the one place that reads it), else POOL_REQUEST_KIND_UNSPECIFIED, which
// the pool desk dead-letters.
PoolRequestKind pool_request_kind(const PoolRequest& request);

// Sets request_kind and, for one release, the deprecated string `kind` as
// well, so a router build that reads only the string keeps working during a
// rolling upgrade. Every writer of a PoolRequest kind goes through here.
void set_pool_request_kind(PoolRequest& request, PoolRequestKind kind);

// The lower-case name of a kind ("assign", "fallback_none", ...; "" for
// unspecified): the legacy string, and the purpose in the event ids the
// pool desk derives, so ids stay what they were before the enum.
std::string_view pool_request_kind_name(PoolRequestKind kind);

}  // namespace baton::v1
