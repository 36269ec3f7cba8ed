#include "simulator.h"

#include "baton/v1/contract.h"
#include "domain/identity_check.h"
#include "domain/signal_score.h"

namespace baton::router {

Simulator::Simulator(RoutingConfig cfg, Roster roster, std::vector<v1::Account> accounts,
                     const time::ZoneDb& zones)
    : cfg_(std::move(cfg)), roster_(std::move(roster)), zones_(zones) {
  for (auto& a : accounts) accounts_.add(std::move(a));  // file order: the first one wins
}

void Simulator::capture(const v1::LeadCaptured& lead, TimePoint now) {
  // Held leads first: someone may have become eligible since.
  for (auto it = held_.begin(); it != held_.end();) {
    if (it->second.at_fallback()) {
      ++it;
      continue;
    }
    const std::string pool = it->second.request().pool();
    const std::string id = it->second.request().envelope().lead_id();
    PoolDecision d = retry_held(it->second, ledgers_[pool], cfg_, roster_, zones_, now);
    ++it;
    on_pool_decision(d, pool, id);
  }
  run(now);
  const std::string& id = lead.envelope().lead_id();
  if (auto bad = invalid_lead(lead, cfg_, now)) {
    outcomes_[id.empty() ? "(no id)" : id] = {"invalid", "", "", "", bad->second};
    return;
  }
  std::string key = identity_key(lead, cfg_.identity);
  if (key.empty()) {
    v1::LeadDeskInput in;
    *in.mutable_intake()->mutable_lead() = lead;
    lead_queue_.push_back(in);
  } else {
    v1::IdentityCheck check;
    *check.mutable_lead() = lead;
    auto it = people_.find(key);
    IdentityOutcome o =
        resolve_identity(check, it == people_.end() ? nullptr : &it->second, cfg_, now);
    people_[key] = o.record;
    for (auto& i : o.internal) lead_queue_.push_back(i.input);
    if (o.internal.size() > 1) outcomes_[id] = {"merged", "", "", "", ""};
  }
  run(now);
}

void Simulator::run(TimePoint now) {
  LeadContext ctx{cfg_, accounts_.lookup(), now};
  while (!lead_queue_.empty() || !pool_queue_.empty()) {
    if (!lead_queue_.empty()) {
      v1::LeadDeskInput in = lead_queue_.front();
      lead_queue_.pop_front();
      std::string id;
      if (in.has_intake()) id = in.intake().lead().envelope().lead_id();
      if (in.has_alias()) id = in.alias().lead_id();
      if (in.has_signal()) id = in.signal().envelope().lead_id();
      auto it = leads_.find(id);
      const v1::LeadState* cur = it == leads_.end() ? nullptr : &it->second;
      LeadDecision d = in.has_intake()  ? decide_lead(in.intake(), cur, ctx)
                       : in.has_alias() ? on_alias(in.alias(), cur, ctx.now)
                                        : on_scored_signal(in.signal(), cur, ctx);
      if (d.state) leads_[id] = *d.state;
      for (auto& e : d.events)
        if (e.event.has_nurture())
          outcomes_[id] = {"nurture", v1::tier_name(v1::TIER_NURTURE), "", "", ""};
      for (auto& p : d.pool_requests) pool_queue_.push_back(p.request);
      for (auto& i : d.internal) lead_queue_.push_back(i.input);
      continue;
    }
    v1::PoolRequest req = pool_queue_.front();
    pool_queue_.pop_front();
    const std::string& pool = req.pool();
    const std::string& lead = req.envelope().lead_id();
    std::string held_key = pool;
    held_key.append("/").append(lead);
    auto h = held_.find(held_key);
    PoolDecision d = decide_pool(req, ledgers_[pool], h == held_.end() ? nullptr : &h->second, cfg_,
                                 roster_, zones_, now);
    on_pool_decision(d, pool, lead);
  }
}

void Simulator::on_pool_decision(PoolDecision& d, const std::string& pool,
                                 const std::string& lead) {
  ledgers_[pool] = d.ledger;
  std::string key = pool + "/" + lead;
  if (d.hold) held_[key] = *d.hold;
  if (d.unhold) held_.erase(key);
  if (d.forward) pool_queue_.push_back(*d.forward);
  if (!d.event) return;
  if (d.event->has_assignment()) {
    const auto& a = d.event->assignment();
    outcomes_[lead] = {"assigned", v1::tier_name(a.tier()), a.handoff().pool(), a.owner_rep_id(),
                       a.handoff().selection()};
    auto it = leads_.find(lead);
    if (it != leads_.end()) {
      LeadContext ctx{cfg_, {}, {}};
      auto r = on_routing_event(*d.event, &it->second, ctx);
      if (r.state) it->second = *r.state;
    }
  } else if (d.event->has_held()) {
    outcomes_[lead] = {"held", v1::tier_name(d.event->held().tier()), pool, "", ""};
  }
}

}  // namespace baton::router
