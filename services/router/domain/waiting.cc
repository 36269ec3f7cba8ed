#include "waiting.h"

#include "baton/time/time.h"

namespace baton::router {

WaitingLead waiting_lead(const v1::HeldLead& held, const RoutingConfig& cfg) {
  const auto& r = held.request();
  WaitingLead w;
  w.desk = desk_of(cfg, r.pool());
  w.tier = r.tier();
  if (r.has_requested_at() && r.requested_at().seconds() > 0)
    w.requested_ms = time::timestamp_millis(r.requested_at());
  else if (r.has_captured_at() && r.captured_at().seconds() > 0)
    w.requested_ms = time::timestamp_millis(r.captured_at());
  else
    w.requested_ms = held.held_since_ms();
  return w;
}

void WaitingBook::set(int32_t partition, const std::map<std::string, WaitingLead>& leads) {
  drop(partition);
  for (const auto& [key, lead] : leads) put(partition, key, lead);
}

void WaitingBook::put(int32_t partition, const std::string& key, const WaitingLead& lead) {
  remove(partition, key);
  by_partition_[partition][key] = lead;
  const Key k{lead.desk, lead.tier};
  requested_[k].insert(lead.requested_ms);
  seen_.insert(k);
}

void WaitingBook::remove(int32_t partition, const std::string& key) {
  auto p = by_partition_.find(partition);
  if (p == by_partition_.end()) return;
  auto it = p->second.find(key);
  if (it == p->second.end()) return;
  auto& times = requested_[{it->second.desk, it->second.tier}];
  auto t = times.find(it->second.requested_ms);
  if (t != times.end()) times.erase(t);
  p->second.erase(it);
}

void WaitingBook::drop(int32_t partition) {
  auto p = by_partition_.find(partition);
  if (p == by_partition_.end()) return;
  std::map<std::string, WaitingLead> leads = std::move(p->second);
  by_partition_.erase(p);
  for (const auto& [key, lead] : leads) {
    auto& times = requested_[{lead.desk, lead.tier}];
    auto t = times.find(lead.requested_ms);
    if (t != times.end()) times.erase(t);
  }
}

WaitingSummary WaitingBook::summary(const Key& key) const {
  WaitingSummary s;
  auto it = requested_.find(key);
  if (it == requested_.end() || it->second.empty()) return s;
  s.count = static_cast<int64_t>(it->second.size());
  s.oldest_requested_ms = *it->second.begin();
  return s;
}

}  // namespace baton::router
