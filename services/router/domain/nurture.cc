#include "nurture.h"

#include <algorithm>

#include "baton/v1/contract.h"
#include "lead_lifecycle.h"

namespace baton::router {

bool wants_nurture_owner(const v1::LeadState& s, const RoutingConfig& cfg) {
  return cfg.nurture.enabled && s.status() == "nurture" && s.owner_rep_id().empty() &&
         s.pool() != cfg.nurture.pool;
}

void request_nurture_owner(v1::LeadState& s, v1::PoolRequest req, const RoutingConfig& cfg,
                           LeadDecision& d) {
  const std::string& pool = cfg.nurture.pool;
  req.set_pool(pool);
  auto it = cfg.pools.find(pool);
  req.set_fallback_pool(it == cfg.pools.end() ? "" : it->second.fallback);
  req.set_tier(v1::TIER_NURTURE);
  req.set_preferred_rep_id("");  // the account owner is a sales rep
  req.mutable_handoff()->set_pool(pool);
  req.mutable_handoff()->set_rule_matched("nurture");
  req.mutable_handoff()->set_rule_reason("nurture: not sales-ready yet");
  v1::set_pool_request_kind(req, v1::POOL_REQUEST_KIND_ASSIGN);
  s.set_pool(pool);
  s.set_rule("nurture");
  d.pool_requests.push_back({"nurture_request", std::move(req)});
}

void release_nurture_owner(v1::LeadState& s, v1::PoolRequest& sales, LeadDecision& d,
                           TimePoint now) {
  if (s.owner_rep_id().empty() || s.assigned_pool().empty()) return;
  if (s.assigned_pool() == sales.pool())
    sales.set_release_rep_id(s.owner_rep_id());
  else
    d.pool_requests.push_back(release_request(s, s.assigned_pool(), s.owner_rep_id(), now));
  s.clear_owner_rep_id();
  s.clear_manager_id();
  s.clear_assigned_pool();
}

void on_nurture_assignment(const v1::Assignment& a, v1::LeadState& s, LeadDecision& d,
                           TimePoint now) {
  if (a.owner_rep_id() == s.owner_rep_id()) {
    d.note = "nurture assignment already applied";
    return;
  }
  if (s.status() != "nurture" || !s.owner_rep_id().empty() ||
      (s.cycle() > 0 && a.cycle() > 0 && a.cycle() != s.cycle())) {
    d.pool_requests.push_back(release_request(s, a.handoff().pool(), a.owner_rep_id(), now));
    d.note = "nurture assignment landed after the lead moved on: slot released";
    return;
  }
  s.set_owner_rep_id(a.owner_rep_id());
  s.set_manager_id(a.manager_id());
  s.set_assigned_pool(a.handoff().pool());
  if (std::find(s.held_by().begin(), s.held_by().end(), a.owner_rep_id()) == s.held_by().end())
    s.add_held_by(a.owner_rep_id());
  d.note = "nurture owner set";
}

void stamp_owner_queue(v1::LeadState& s, const RoutingConfig& cfg) {
  const std::string& st = s.status();
  bool unowned = s.owner_rep_id().empty() && !st.empty() && st != "closed" && st != "assigned" &&
                 s.canonical_lead_id().empty();
  if (unowned && !cfg.captured_owner.empty())
    s.set_owner_queue(cfg.captured_owner);
  else
    s.clear_owner_queue();
}

void stamp_owner_queue(const v1::LeadState& s, LeadDecision& d) {
  for (auto& e : d.events)
    if (e.event.has_nurture()) e.event.mutable_nurture()->set_owner_queue(s.owner_queue());
}

}  // namespace baton::router
