// The synthetic load generator's pure core: a deterministic stream of lead
// captures and engagement signals, and the simulated reps' reaction to an
// assignment. A pure function of the seed and the injected times: no Kafka,
// no clock.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <queue>
#include <string>
#include <vector>

#include "baton/v1/common.pb.h"
#include "baton/v1/roster.pb.h"
#include "topics.h"

namespace baton::cli::gen {

using TimePoint = std::chrono::system_clock::time_point;

// One record to produce.
struct GeneratedEvent {
  TimePoint at;
  TopicRole topic = TopicRole::kLeadsCaptured;
  std::string key;
  std::string event_id;
  std::string ce_type;  // full protobuf name
  std::string source;   // ce_source / envelope.source_system
  std::string value;    // serialized protobuf
};

// Stable bytes of an event (for digests and determinism tests).
std::string canonical_bytes(const GeneratedEvent& e);

struct GeneratorOptions {
  uint64_t seed = 1;
  double rate = 5;        // leads per second of event time
  int64_t count = 100;    // leads; 0 = unbounded
  double time_scale = 1;  // > 1 compresses engagement and rep delays
  TimePoint start{};      // event time of the first lead
};

// Leads and their engagement sequences, in event-time order.
class LeadStream {
 public:
  explicit LeadStream(GeneratorOptions options);
  // Event time of the next event; nullopt when the stream is finished.
  std::optional<TimePoint> peek_time() const;
  std::optional<GeneratedEvent> next();
  int64_t leads_emitted() const { return next_lead_; }

 private:
  struct Later {
    bool operator()(const std::pair<GeneratedEvent, uint64_t>& a,
                    const std::pair<GeneratedEvent, uint64_t>& b) const {
      return a.first.at != b.first.at ? a.first.at > b.first.at : a.second > b.second;
    }
  };
  TimePoint lead_time(int64_t index) const;
  void make_lead(int64_t index);
  void push(GeneratedEvent e);

  GeneratorOptions options_;
  int64_t next_lead_ = 0;
  uint64_t seq_ = 0;
  std::priority_queue<std::pair<GeneratedEvent, uint64_t>,
                      std::vector<std::pair<GeneratedEvent, uint64_t>>, Later>
      pending_;
  std::vector<GeneratedEvent> ready_;  // the lead itself, emitted before its signals
};

// Lead id of the index-th lead for a seed, e.g. "L3fa9-000042".
std::string lead_id_for(uint64_t seed, int64_t index);

// The roster the generator's leads are routed to: reps across time zones
// (Europe/Berlin, Europe/London, America/New_York, America/Los_Angeles,
// Asia/Singapore, Asia/Tokyo), three pools, one out of office, one on-call.
std::vector<v1::Rep> default_roster();

// An assignment the generator saw on the routing topic.
struct ObservedAssignment {
  std::string lead_id;
  std::string rep_id;
  v1::Tier tier = v1::TIER_STANDARD;
  int32_t reassignment_count = 0;
  int32_t cycle = 0;
  std::string country;  // ISO country of the lead (picks the deal currency)
  TimePoint seen_at{};
};

// How a simulated rep reacts to one assignment.
enum class Responsiveness { kFast, kSlow, kNever };
Responsiveness responsiveness(uint64_t seed, const ObservedAssignment& a);

// The rep's touches (SalesActivity) and CRM stage changes (StageChange to
// baton.crm.stage-changes) for one assignment, in time order.
std::vector<GeneratedEvent> plan_follow_up(uint64_t seed, double time_scale,
                                           const ObservedAssignment& a);

}  // namespace baton::cli::gen
