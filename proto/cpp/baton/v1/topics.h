// The default topic names of the contract (docs/integrating.md, Topics): the
// one home for them. Each service's config starts from these (its
// <service>.topics section can rename them), the runtime's dead-letter topic
// too, and the CLI's catalog lists them. runtime.topic_prefix goes in front.
#pragma once

namespace baton::v1::topics {

// Upstream inputs.
inline constexpr char kLeadsCaptured[] = "baton.leads.captured";
inline constexpr char kLeadsSignals[] = "baton.leads.signals";
inline constexpr char kSalesActivities[] = "baton.sales.activities";
inline constexpr char kCrmStageChanges[] = "baton.crm.stage-changes";
inline constexpr char kPrivacyErasure[] = "baton.privacy.erasure";
inline constexpr char kRoutingReassign[] = "baton.routing.reassign";
// Compacted reference data (global tables).
inline constexpr char kRosterReps[] = "baton.roster.reps";
inline constexpr char kRosterAccounts[] = "baton.roster.accounts";
// Baton's outputs.
inline constexpr char kRoutingEvents[] = "baton.routing.events";
inline constexpr char kSlaEvents[] = "baton.sla.events";
inline constexpr char kLifecycleStageChanges[] = "baton.lifecycle.stage-changes";
inline constexpr char kLifecycleEvents[] = "baton.lifecycle.events";
inline constexpr char kOutcomes[] = "baton.outcomes";
inline constexpr char kNotifications[] = "baton.notifications";
inline constexpr char kDeadLetters[] = "baton.dlq";
// The router's internal topics (not part of the contract; never write them).
inline constexpr char kRouterIdentity[] = "baton-router-identity";
inline constexpr char kRouterLeads[] = "baton-router-leads";
inline constexpr char kRouterPoolRequests[] = "baton-router-pool-requests";

}  // namespace baton::v1::topics
