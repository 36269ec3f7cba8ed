// What the sla-monitor remembers about one lead (state key: the lead id).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "baton/v1/activity.pb.h"
#include "baton/v1/common.pb.h"
#include "sla_time.h"

namespace baton::sla {

enum class ClockStatus {
  kNone,     // no assignment seen yet (only early activities are held)
  kOpen,     // waiting for the owner's first qualifying touch
  kMet,      // the owner touched the lead
  kStopped,  // the lead moved past Assigned (or was recycled/rejected)
};

// One contact attempt (any rep), for the minimum-attempts rule.
struct Attempt {
  std::string event_id;
  std::string rep_id;
  v1::ActivityType type = v1::ACTIVITY_UNSPECIFIED;
  TimePoint at{};
};

// An activity that arrived before the lead's assignment.
struct PendingActivity {
  std::string event_id;
  std::string rep_id;
  v1::ActivityType type = v1::ACTIVITY_UNSPECIFIED;
  TimePoint at{};           // event time
  TimePoint callback_at{};  // for scheduled callbacks
  TimePoint received{};     // processing time it arrived
};

// One first-touch clock: the milestones and which of them fired.
struct SlaClock {
  std::string clock_id;  // event id of the Assignment that started it
  std::string owner_rep_id;
  std::string manager_id;
  v1::Tier tier = v1::TIER_UNSPECIFIED;
  std::string policy;  // policy name (tier it was computed with)
  bool business_hours = false;
  int32_t cycle = 0;
  int32_t reassignment_count = 0;
  std::string correlation_id;
  TimePoint captured_at{};  // the assignment's cause (requested_at, else capture)
  TimePoint started_at{};
  TimePoint deadline{};
  TimePoint warn_at{};
  std::optional<TimePoint> escalate_at;
  std::optional<TimePoint> reassign_at;
  bool warned = false, breached = false, escalated = false, reassign_requested = false;
  std::optional<TimePoint> paused_at;
  std::optional<TimePoint> paused_until;
  // Set when met.
  std::optional<TimePoint> met_at;
  std::string met_activity;
  bool within_sla = false;
};

struct SlaState {
  std::string lead_id;
  ClockStatus status = ClockStatus::kNone;
  SlaClock clock;
  CalendarSpec calendar;          // the owner's calendar, resolved at assignment
  std::vector<Attempt> attempts;  // this cycle's contact attempts
  std::vector<PendingActivity> pending;
  std::vector<std::string> breached_reps;  // owners who breached in this cycle
  v1::Stage last_stage = v1::STAGE_UNSPECIFIED;
};

}  // namespace baton::sla
