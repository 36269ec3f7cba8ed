#include "topics.h"

#include "baton/v1/topics.h"

namespace baton::cli {

const std::vector<TopicInfo>& topic_catalog() {
  static const std::vector<TopicInfo> kTopics = {
      {TopicRole::kLeadsCaptured, v1::topics::kLeadsCaptured, "baton.v1.LeadCaptured"},
      {TopicRole::kLeadsSignals, v1::topics::kLeadsSignals, "baton.v1.EngagementSignal"},
      {TopicRole::kRosterReps, v1::topics::kRosterReps, "baton.v1.Rep", true, false},
      {TopicRole::kRosterAccounts, v1::topics::kRosterAccounts, "baton.v1.Account", true, false},
      {TopicRole::kRoutingEvents, v1::topics::kRoutingEvents, "baton.v1.RoutingEvent"},
      {TopicRole::kRoutingReassign, v1::topics::kRoutingReassign, "baton.v1.ReassignmentRequest"},
      {TopicRole::kSlaEvents, v1::topics::kSlaEvents, "baton.v1.SlaEvent"},
      {TopicRole::kSalesActivities, v1::topics::kSalesActivities, "baton.v1.SalesActivity"},
      {TopicRole::kCrmStageChanges, v1::topics::kCrmStageChanges, "baton.v1.StageChange"},
      {TopicRole::kLifecycleStageChanges, v1::topics::kLifecycleStageChanges,
       "baton.v1.StageChange"},
      {TopicRole::kLifecycleEvents, v1::topics::kLifecycleEvents, "baton.v1.LifecycleEvent"},
      {TopicRole::kOutcomes, v1::topics::kOutcomes, "baton.v1.Outcome"},
      {TopicRole::kNotifications, v1::topics::kNotifications, "baton.v1.RepAlert", false, false},
      {TopicRole::kPrivacyErasure, v1::topics::kPrivacyErasure, "baton.v1.ErasureRequest"},
      {TopicRole::kDlq, v1::topics::kDeadLetters, "", false, false},
      {TopicRole::kPoolRequests, v1::topics::kRouterPoolRequests, "baton.v1.PoolRequest", false,
       false},
  };
  return kTopics;
}

const TopicInfo& topic_info(TopicRole role) {
  for (const auto& t : topic_catalog())
    if (t.role == role) return t;
  return topic_catalog().front();
}

std::string topic_name(TopicRole role, std::string_view prefix) {
  return std::string(prefix) + std::string(topic_info(role).name);
}

const TopicInfo* find_topic(std::string_view name, std::string_view prefix) {
  for (const auto& t : topic_catalog()) {
    std::string full = std::string(prefix) + std::string(t.name);
    if (name == full || name == t.name) return &t;
    if (t.name.rfind("baton.", 0) == 0 && name == t.name.substr(6)) return &t;
  }
  return nullptr;
}

}  // namespace baton::cli
