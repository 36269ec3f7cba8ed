#include "metrics.h"

#include "baton/v1/contract.h"
#include "domain/config.h"

namespace baton::router {

RouterMetrics::RouterMetrics(prometheus::Registry& r, std::set<std::string> pools,
                             const std::vector<std::string>& sources)
    : pools_(std::move(pools)),
      routed_(prometheus::BuildCounter()
                  .Name("baton_router_leads_routed_total")
                  .Help("Leads assigned to an owner, by tier, pool and source")
                  .Register(r)),
      latency_(prometheus::BuildHistogram()
                   .Name("baton_router_capture_to_assignment_seconds")
                   .Help("System delay: the cause of an assignment (capture, promoting signal "
                         "or reassignment request; event time) to the assignment, by tier")
                   .Register(r)),
      held_(prometheus::BuildGauge()
                .Name("baton_router_held_leads")
                .Help("Leads waiting for an eligible rep, by pool")
                .Register(r)),
      open_(prometheus::BuildGauge()
                .Name("baton_router_open_leads")
                .Help("Open leads per rep as booked by the router")
                .Register(r)),
      waiting_count_(prometheus::BuildGauge()
                         .Name("baton_router_waiting_leads")
                         .Help("Leads truly waiting for an owner (held at their desk: no "
                               "eligible rep in the pool or its fallback), by desk and tier")
                         .Register(r)),
      waiting_oldest_(prometheus::BuildGauge()
                          .Name("baton_router_waiting_oldest_requested_seconds")
                          .Help("Unix time of the oldest waiting lead's request (capture, "
                                "promoting signal or reassignment request), by desk and tier; "
                                "0 when none waits. Its age is time() minus this")
                          .Register(r)),
      unknown_pool_(prometheus::BuildCounter()
                        .Name("baton_router_roster_unknown_pool_total")
                        .Help("Roster updates naming a pool the routing config does not know "
                              "(the pool is ignored)")
                        .Register(r)
                        .Add({})),
      rebuilds_(prometheus::BuildCounter()
                    .Name("baton_router_global_rebuilds_total")
                    .Help("Rebuilds of what the router derives from a global table (the "
                          "account index, the parsed roster): one per change of the table")
                    .Register(r)),
      identity_(prometheus::BuildCounter()
                    .Name("baton_router_identity_checks_total")
                    .Help("Identity checks resolved, by outcome: kept (a new person or the "
                          "same lead), merged (into an earlier lead of the person), erased, "
                          "carried (a person record of an earlier build, adopted)")
                    .Register(r)) {
  for (const char* o : {"kept", "merged", "erased", "carried"}) identity_.Add({{"outcome", o}});
  for (const auto& s : sources.empty() ? default_sources() : sources) sources_.insert(lower(s));
  // Every tier's series exists from the start (alerts divide by them).
  for (v1::Tier t : {v1::TIER_HIGH_INTENT, v1::TIER_STANDARD, v1::TIER_NURTURE})
    latency_.Add({{"tier", v1::tier_label(t)}}, latency_buckets());
  for (const auto& p : pools_) held_.Add({{"pool", p}});
}

const std::vector<double>& RouterMetrics::latency_buckets() {
  static const std::vector<double> kBuckets = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1,   2.5,
                                               5,     10,   15,    30,   60,  300,  900, 3600};
  return kBuckets;
}

const std::vector<std::string>& RouterMetrics::default_sources() {
  static const std::vector<std::string> kSources = {
      "web",         "web-form", "chat",     "import", "event",     "webinar", "paid_search",
      "paid_social", "organic",  "referral", "email",  "partner",   "direct",  "content",
      "google",      "linkedin", "facebook", "events", "trade_show"};
  return kSources;
}

std::string RouterMetrics::source_label(const std::string& source) const {
  std::string s = lower(source);
  if (s.empty()) return "unknown";
  return sources_.count(s) ? s : "other";
}

std::string RouterMetrics::pool_label(const std::string& pool) const {
  return pools_.count(pool) ? pool : "other";
}

void RouterMetrics::routed(v1::Tier tier, const std::string& pool, const std::string& source,
                           double seconds) {
  std::string t = v1::tier_label(tier);
  routed_.Add({{"tier", t}, {"pool", pool_label(pool)}, {"source", source_label(source)}})
      .Increment();
  if (seconds >= 0) latency_.Add({{"tier", t}}, latency_buckets()).Observe(seconds);
}

void RouterMetrics::add_load(const DeskLoad& load, double sign) {
  for (const auto& [pool, n] : load.held_by_pool) {
    const std::string label = pool_label(pool);
    double& t = total_.held_by_pool[label];
    t += sign * n;
    held_.Add({{"pool", label}}).Set(t);
  }
  for (const auto& [rep, n] : load.open_by_rep) {
    double& t = total_.open_by_rep[rep];
    t += sign * n;
    open_.Add({{"rep", rep}}).Set(t);
  }
}

void RouterMetrics::set_desk_load(int32_t partition, DeskLoad load) {
  std::lock_guard lk(mu_);
  auto it = load_.find(partition);
  if (it != load_.end()) add_load(it->second, -1);
  add_load(load, 1);
  load_[partition] = std::move(load);
}

void RouterMetrics::drop_desk_load(int32_t partition) {
  std::lock_guard lk(mu_);
  waiting_.drop(partition);
  refresh_waiting();
  auto it = load_.find(partition);
  if (it == load_.end()) return;
  add_load(it->second, -1);
  load_.erase(it);
}

void RouterMetrics::held_delta(int32_t partition, const std::string& pool, double d) {
  DeskLoad one;
  one.held_by_pool[pool] = d;
  std::lock_guard lk(mu_);
  load_[partition].held_by_pool[pool] += d;
  add_load(one, 1);
}

void RouterMetrics::open_leads_delta(int32_t partition, const std::string& rep, double d) {
  DeskLoad one;
  one.open_by_rep[rep] = d;
  std::lock_guard lk(mu_);
  load_[partition].open_by_rep[rep] += d;
  add_load(one, 1);
}

void RouterMetrics::roster_unknown_pool() { unknown_pool_.Increment(); }

void RouterMetrics::global_rebuilt(const std::string& table) {
  rebuilds_.Add({{"table", table}}).Increment();
}

void RouterMetrics::identity_resolved(const char* outcome) {
  identity_.Add({{"outcome", outcome}}).Increment();
}

void RouterMetrics::refresh_waiting() {
  for (const auto& key : waiting_.keys()) {
    const WaitingSummary w = waiting_.summary(key);
    const std::map<std::string, std::string> labels = {{"desk", key.first},
                                                       {"tier", v1::tier_label(key.second)}};
    waiting_count_.Add(labels).Set(static_cast<double>(w.count));
    waiting_oldest_.Add(labels).Set(static_cast<double>(w.oldest_requested_ms) / 1000.0);
  }
}

void RouterMetrics::set_waiting(int32_t partition,
                                const std::map<std::string, WaitingLead>& leads) {
  std::lock_guard lk(mu_);
  waiting_.set(partition, leads);
  refresh_waiting();
}

void RouterMetrics::waiting_put(int32_t partition, const std::string& key,
                                const WaitingLead& lead) {
  std::lock_guard lk(mu_);
  waiting_.put(partition, key, lead);
  refresh_waiting();
}

void RouterMetrics::waiting_remove(int32_t partition, const std::string& key) {
  std::lock_guard lk(mu_);
  waiting_.remove(partition, key);
  refresh_waiting();
}

}  // namespace baton::router
