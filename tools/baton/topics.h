// The topics the CLI knows: default names, message types, and policies.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace baton::cli {

enum class TopicRole {
  kLeadsCaptured,
  kLeadsSignals,
  kRosterReps,
  kRosterAccounts,
  kRoutingEvents,
  kRoutingReassign,
  kSlaEvents,
  kSalesActivities,
  kCrmStageChanges,
  kLifecycleStageChanges,
  kLifecycleEvents,
  kOutcomes,
  kNotifications,
  kPrivacyErasure,
  kDlq,
  kPoolRequests,
};

struct TopicInfo {
  TopicRole role;
  std::string_view name;          // default name, without prefix
  std::string_view message_type;  // full protobuf name; empty: raw (DLQ)
  bool compacted = false;         // reference data keyed by id
  bool lead_keyed = true;         // key is the lead id
};

const std::vector<TopicInfo>& topic_catalog();
const TopicInfo& topic_info(TopicRole role);
// prefix + default name, e.g. "t1.baton.leads.captured".
std::string topic_name(TopicRole role, std::string_view prefix);
// Finds a topic by its full name (with prefix) or a short alias such as
// "leads.captured" or "outcomes"; nullptr when unknown.
const TopicInfo* find_topic(std::string_view name, std::string_view prefix);

}  // namespace baton::cli
