#include "service.h"

#include <memory>
#include <set>

#include "baton/runtime/events.h"
#include "baton/v1/router_state.pb.h"
#include "baton/v1/routing.pb.h"
#include "processors.h"
#include "router_config.h"

namespace baton::router {

namespace {
// "routing/<lead>" holds the RoutingEvent in binary; a build before this one
// stored its JSON (a JSON object starts with '{', which no RoutingEvent's
// first byte is: that would be field 15 as a group).
std::optional<std::string> routing_json(const std::string& stored) {
  if (!stored.empty() && stored.front() == '{') return stored;
  return runtime::to_json(*v1::RoutingEvent::descriptor(), stored);
}
}  // namespace

runtime::ServiceSpec router_service_spec() {
  runtime::ServiceSpec spec;
  spec.name = "router";
  spec.make = [](runtime::ConfigNode& section, prometheus::Registry& registry) {
    std::vector<std::unique_ptr<runtime::Processor>> out;
    auto settings =
        std::make_shared<RouterSettings>(read_router_config(section, time::system_zones()));
    std::set<std::string> pools;
    for (const auto& [name, pool] : settings->routing.pools) pools.insert(name);
    auto metrics = std::make_shared<RouterMetrics>(registry, pools, settings->metric_sources);
    out.push_back(make_lead_desk(settings, metrics));
    out.push_back(make_pool_desk(settings, metrics, time::system_zones()));
    return out;
  };
  spec.routes = [](runtime::QueryRouter& q) {
    auto lookup = q.lookup;
    q.get(R"(/leads/([^/]+)/routing)", runtime::QueryScope::kLead,
          [lookup](const runtime::QueryRequest& r) {
            runtime::QueryResponse resp;
            const std::string& id = r.params.empty() ? std::string() : r.params[0];
            std::optional<std::string> body;
            if (lookup) body = lookup(kLeadDeskName, "routing/" + id);
            if (!body && lookup) {
              // A merged lead: answer with the canonical lead's decision.
              if (auto raw = lookup(kLeadDeskName, "lead/" + id)) {
                v1::LeadState s;
                if (s.ParseFromString(*raw) && !s.canonical_lead_id().empty())
                  body = lookup(kLeadDeskName, "routing/" + s.canonical_lead_id());
              }
            }
            if (!body) {
              resp.status = 404;
              resp.body = R"({"error":"no routing decision for this lead"})";
              return resp;
            }
            auto json = routing_json(*body);
            if (!json) {
              resp.status = 500;
              resp.body = R"({"error":"the stored routing decision does not decode"})";
              return resp;
            }
            resp.body = std::move(*json);
            return resp;
          });
  };
  spec.subcommand = [](int argc, char** argv) { return backtest_main(argc, argv); };
  return spec;
}

}  // namespace baton::router
