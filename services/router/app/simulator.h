// Runs the pure router core in memory over recorded captures (backtest).
#pragma once

#include <deque>
#include <map>
#include <string>
#include <vector>

#include "domain/config.h"
#include "domain/lead_desk.h"
#include "domain/pool_desk.h"
#include "domain/selection.h"

namespace baton::router {

struct LeadOutcome {
  std::string status;  // assigned, held, nurture, merged, invalid
  std::string tier;
  std::string pool;
  std::string owner;
  std::string selection;
};

class Simulator {
 public:
  Simulator(RoutingConfig cfg, Roster roster, std::vector<v1::Account> accounts,
            const time::ZoneDb& zones);
  // One capture at its event time (held leads are retried first).
  void capture(const v1::LeadCaptured& lead, TimePoint now);
  const std::map<std::string, LeadOutcome>& outcomes() const { return outcomes_; }

 private:
  void run(TimePoint now);
  void on_pool_decision(PoolDecision& d, const std::string& pool, const std::string& lead);

  RoutingConfig cfg_;
  Roster roster_;
  AccountIndex accounts_;
  const time::ZoneDb& zones_;
  std::map<std::string, v1::IdentityRecord> people_;
  std::map<std::string, v1::LeadState> leads_;
  std::map<std::string, v1::PoolLedger> ledgers_;
  std::map<std::string, v1::HeldLead> held_;  // "<pool>/<lead>"
  std::deque<v1::LeadDeskInput> lead_queue_;
  std::deque<v1::PoolRequest> pool_queue_;
  std::map<std::string, LeadOutcome> outcomes_;
};

}  // namespace baton::router
