#include "metrics.h"

#include <prometheus/counter.h>

#include "domain/config.h"

namespace baton::router {

RouterMetrics::RouterMetrics(prometheus::Registry& r)
    : routed_(prometheus::BuildCounter()
                  .Name("baton_router_leads_routed_total")
                  .Help("Leads assigned to an owner, by tier, pool and source")
                  .Register(r)),
      latency_(prometheus::BuildHistogram()
                   .Name("baton_router_capture_to_assignment_seconds")
                   .Help("Lead capture (event time) to assignment")
                   .Register(r)
                   .Add({}, prometheus::Histogram::BucketBoundaries{0.005, 0.01, 0.025, 0.05, 0.1,
                                                                    0.25, 0.5, 1, 2.5, 5, 10, 30,
                                                                    60, 300, 900, 3600})),
      held_(prometheus::BuildGauge()
                .Name("baton_router_held_leads")
                .Help("Leads waiting for an eligible rep")
                .Register(r)
                .Add({})),
      open_(prometheus::BuildGauge()
                .Name("baton_router_open_leads")
                .Help("Open leads per rep as booked by the router")
                .Register(r)) {}

std::string RouterMetrics::bounded_source(const std::string& source) {
  static const std::set<std::string> known = {
      "web",         "web-form", "chat",     "import", "event",   "webinar", "paid_search",
      "paid_social", "organic",  "referral", "email",  "partner", "direct",  "content"};
  std::string s = lower(source);
  if (s.empty()) return "unknown";
  return known.count(s) ? s : "other";
}

void RouterMetrics::routed(const std::string& tier, const std::string& pool,
                           const std::string& source, double seconds) {
  routed_.Add({{"tier", tier}, {"pool", pool}, {"source", bounded_source(source)}}).Increment();
  if (seconds >= 0) latency_.Observe(seconds);
}

void RouterMetrics::held_delta(double d) { held_.Increment(d); }

void RouterMetrics::open_leads_delta(const std::string& rep, double d) {
  open_.Add({{"rep", rep}}).Increment(d);
}

}  // namespace baton::router
