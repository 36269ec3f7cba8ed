// Router metrics. Labels are bounded: tier is one of high-intent, standard,
// nurture (the dashboard's values); pool is a configured pool or "other";
// source is a configured source or "other" ("unknown" when absent); rep is a
// roster rep id.
#pragma once

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "baton/v1/common.pb.h"
#include "domain/waiting.h"

namespace baton::router {

class RouterMetrics {
 public:
  // pools: configured pool names; sources: allowed source labels (empty:
  // default_sources()).
  RouterMetrics(prometheus::Registry& registry, std::set<std::string> pools,
                const std::vector<std::string>& sources = {});
  void routed(v1::Tier tier, const std::string& pool, const std::string& source,
              double capture_to_assignment_seconds);

  // Held leads by pool and open leads by rep, from the pool desk's state
  // (issue 20): a task's counts are set when it is assigned (a scan of its
  // state), moved by each commit, and dropped when it is revoked. Each gauge
  // is the sum over the partitions this instance holds, so the sum over
  // instances is the deployment's truth after restarts and rebalances.
  struct DeskLoad {
    std::map<std::string, double> held_by_pool;
    std::map<std::string, double> open_by_rep;
  };
  void set_desk_load(int32_t partition, DeskLoad load);
  void drop_desk_load(int32_t partition);
  void held_delta(int32_t partition, const std::string& pool, double d);
  void open_leads_delta(int32_t partition, const std::string& rep, double d);
  // A roster update naming a pool the config does not know (ignored).
  void roster_unknown_pool();
  // A processor rebuilt what it derives from a global table (table:
  // "accounts" for the account index, "roster" for the parsed roster),
  // which happens only when the table changed.
  void global_rebuilt(const std::string& table);
  // An identity check resolved at the identity desk, by outcome: "kept"
  // (a new person or the same lead: the capture's decision stands),
  // "merged" (into an earlier lead of the person), "erased" (a person
  // forgotten), "carried" (a person record an earlier build kept in
  // LeadDesk's store, adopted).
  void identity_resolved(const char* outcome);

  // Leads truly waiting for an owner (domain/waiting.h), from the pool
  // desk's held leads like the held gauge: baton_router_waiting_leads
  // {desk,tier} and baton_router_waiting_oldest_requested_seconds{desk,tier}
  // (Unix time of the oldest waiting lead's requested_at, 0 when none waits;
  // its age is time() - the gauge). Keys are the held state keys.
  void set_waiting(int32_t partition, const std::map<std::string, WaitingLead>& leads);
  void waiting_put(int32_t partition, const std::string& key, const WaitingLead& lead);
  void waiting_remove(int32_t partition, const std::string& key);

  static const std::vector<std::string>& default_sources();
  std::string source_label(const std::string& source) const;
  std::string pool_label(const std::string& pool) const;

  // Buckets of baton_router_capture_to_assignment_seconds (system delay from
  // the assignment's requested_at; 0.005 ... 60, then
  // longer waits for held leads).
  static const std::vector<double>& latency_buckets();

 private:
  // Adds `sign` times a partition's load to the totals and the gauges (mu_).
  void add_load(const DeskLoad& load, double sign);
  // Sets the waiting gauges of every (desk, tier) seen (mu_).
  void refresh_waiting();
  WaitingBook waiting_;
  std::mutex mu_;
  std::map<int32_t, DeskLoad> load_;  // by partition
  DeskLoad total_;
  std::set<std::string> pools_;
  std::set<std::string> sources_;
  prometheus::Family<prometheus::Counter>& routed_;
  prometheus::Family<prometheus::Histogram>& latency_;
  prometheus::Family<prometheus::Gauge>& held_;
  prometheus::Family<prometheus::Gauge>& open_;
  prometheus::Family<prometheus::Gauge>& waiting_count_;
  prometheus::Family<prometheus::Gauge>& waiting_oldest_;
  prometheus::Counter& unknown_pool_;
  prometheus::Family<prometheus::Counter>& rebuilds_;
  prometheus::Family<prometheus::Counter>& identity_;
};

}  // namespace baton::router
