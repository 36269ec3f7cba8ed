// Small pieces of the event contract shared by the services and the CLI:
// the text form of event ids and the bounded label of a Tier.
#pragma once

#include <cstdint>
#include <string>

#include "baton/v1/common.pb.h"
#include "baton/v1/notification.pb.h"

namespace baton::v1 {

// An RFC 4122 UUID in text form from 128 bits: the version nibble is set to
// `version` (4 random, 5 name-based, 8 custom) and the variant to 10xx.
std::string format_uuid(uint64_t hi, uint64_t lo, unsigned version);

// The metric and log label of a tier: "high-intent", "standard" or
// "nurture" (an unset tier counts as standard, the policy it gets).
std::string tier_label(Tier tier);

// "assigned", "sla_warning", "reassigned_away" ("unspecified" otherwise):
// metric labels, alert ids and the webhook payload's kind.
std::string alert_kind_label(AlertKind kind);

}  // namespace baton::v1
