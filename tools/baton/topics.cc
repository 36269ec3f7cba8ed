#include "topics.h"

namespace baton::cli {

const std::vector<TopicInfo>& topic_catalog() {
  static const std::vector<TopicInfo> kTopics = {
      {TopicRole::kLeadsCaptured, "baton.leads.captured", "baton.v1.LeadCaptured"},
      {TopicRole::kLeadsSignals, "baton.leads.signals", "baton.v1.EngagementSignal"},
      {TopicRole::kRosterReps, "baton.roster.reps", "baton.v1.Rep", true, false},
      {TopicRole::kRosterAccounts, "baton.roster.accounts", "baton.v1.Account", true, false},
      {TopicRole::kRoutingEvents, "baton.routing.events", "baton.v1.RoutingEvent"},
      {TopicRole::kRoutingReassign, "baton.routing.reassign", "baton.v1.ReassignmentRequest"},
      {TopicRole::kSlaEvents, "baton.sla.events", "baton.v1.SlaEvent"},
      {TopicRole::kSalesActivities, "baton.sales.activities", "baton.v1.SalesActivity"},
      {TopicRole::kCrmStageChanges, "baton.crm.stage-changes", "baton.v1.StageChange"},
      {TopicRole::kLifecycleStageChanges, "baton.lifecycle.stage-changes", "baton.v1.StageChange"},
      {TopicRole::kLifecycleEvents, "baton.lifecycle.events", "baton.v1.LifecycleEvent"},
      {TopicRole::kOutcomes, "baton.outcomes", "baton.v1.Outcome"},
      {TopicRole::kNotifications, "baton.notifications", "baton.v1.RepAlert", false, false},
      {TopicRole::kPrivacyErasure, "baton.privacy.erasure", "baton.v1.ErasureRequest"},
      {TopicRole::kDlq, "baton.dlq", "", false, false},
      {TopicRole::kPoolRequests, "baton-router-pool-requests", "baton.v1.PoolRequest", false,
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
