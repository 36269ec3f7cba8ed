// Leads truly waiting for an owner (issue 19: "the unassigned alert fires
// only for leads that truly wait"): a lead is waiting while its desk holds it
// (held/<pool>/<lead> in PoolDesk's state: no eligible rep in the pool or
// its fallback). A request in flight, a lead assigned within its retry, a
// nurture lead without an owner and a reassignment already answered are not.
//
// WaitingBook keeps, per task partition, each held lead's desk, tier and
// requested_at (the event time of what caused the request: capture,
// promoting signal or reassignment request), and answers per (desk, tier):
// how many wait and the oldest requested_at. It is rebuilt from a task's
// state when the task is assigned, moved by each commit and dropped when the
// task is revoked, so the sum over instances is the deployment's truth.
// Pure: no clock (the age is now - oldest, computed by the reader).
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <utility>

#include "baton/v1/router_state.pb.h"
#include "config.h"

namespace baton::router {

struct WaitingLead {
  std::string desk;
  v1::Tier tier = v1::TIER_UNSPECIFIED;
  int64_t requested_ms = 0;  // requested_at, else captured_at, else held since
};

// What a held lead waits as.
WaitingLead waiting_lead(const v1::HeldLead& held, const RoutingConfig& cfg);

struct WaitingSummary {
  int64_t count = 0;
  int64_t oldest_requested_ms = 0;  // 0 when none waits
};

class WaitingBook {
 public:
  using Key = std::pair<std::string, v1::Tier>;  // desk, tier
  // Replaces a partition's waiting leads (key: the held state key).
  void set(int32_t partition, const std::map<std::string, WaitingLead>& leads);
  void put(int32_t partition, const std::string& key, const WaitingLead& lead);
  void remove(int32_t partition, const std::string& key);
  void drop(int32_t partition);
  WaitingSummary summary(const Key& key) const;
  // Every (desk, tier) that ever had a waiting lead (its summary may be 0).
  const std::set<Key>& keys() const { return seen_; }

 private:
  std::map<int32_t, std::map<std::string, WaitingLead>> by_partition_;
  std::map<Key, std::multiset<int64_t>> requested_;
  std::set<Key> seen_;
};

}  // namespace baton::router
