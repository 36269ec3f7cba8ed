// bench-router-lookups: the router's per-record cost against the size of its
// global tables (issue 18 point 3, O(1) lookups). No broker: the two
// processors are called in process (google benchmark), over an in-memory
// state holding the tables, with the example router config.
//  - lead: one LeadDeskInput intake (a new lead whose email domain names one
//    of N accounts, N = 100, 10,000, 100,000): account match, scoring, rule,
//    the pool request. The lead's state is not kept, so every lead is new.
//  - pool: one assign request to dach (10 members) with R reps on the roster
//    (R = 10, 1,000; the others work us-enterprise): eligibility, selection,
//    the assignment.
//  - pool_members: the pool case with every rep of the roster in dach (R =
//    10, 1,000): selection visits each member, so this one grows.
//  - chain: one capture through the router's whole path on the in-process
//    TopologyDriver (runtime/testing): LeadDesk decides it at capture, the
//    identity desk checks it and assigns it, LeadDesk applies the placement.
//    Its stores keep every lead, as a running router's do. Per lead.
//  - rescan_lead: the lead case with the global table's version moved before
//    every lookup, which rebuilds the index each time: the cost of scanning
//    the table per lead, as before this change.
// Usage: bench-router-lookups [google benchmark flags]
// Last line: RESULT lead_ns_100=<n> lead_ns_10000=<n> lead_ns_100000=<n>
//   lead_ratio=<largest/smallest> pool_ns_10=<n> pool_ns_1000=<n> pool_ratio=<n>
//   pool_members_ns_10=<n> pool_members_ns_1000=<n> rescan_lead_ns_100=<n>
//   rescan_lead_ns_10000=<n> rescan_lead_ns_100000=<n> rescan_lead_ratio=<n>
//   chain_ns=<n>
#include <benchmark/benchmark.h>
#include <prometheus/registry.h>

#include <cstdio>
#include <map>
#include <random>
#include <set>
#include <string>

#include "app/processors.h"
#include "app/router_config.h"
#include "baton/runtime/events.h"
#include "baton/testing/topology_driver.h"
#include "baton/v1/lead.pb.h"
#include "baton/v1/roster.pb.h"
#include "baton/v1/routing.pb.h"

using namespace baton;

namespace {

// Empty task state plus the global tables; `rescan` moves every table's
// version at each look, so whatever is derived from it is rebuilt.
class BenchState : public runtime::StateView {
 public:
  std::map<std::string, std::map<std::string, std::string>, std::less<>> globals;
  std::map<std::string, uint64_t, std::less<>> versions;
  bool rescan = false;

  void put(const std::string& topic, const std::string& key, const std::string& value) {
    globals[topic][key] = value;
    versions[topic] = runtime::next_global_version();
  }
  std::optional<std::string> get(std::string_view) const override { return std::nullopt; }
  void scan(std::string_view,
            const std::function<bool(std::string_view, std::string_view)>&) const override {}
  std::optional<std::string> global(std::string_view topic, std::string_view key) const override {
    auto t = globals.find(topic);
    if (t == globals.end()) return std::nullopt;
    auto it = t->second.find(std::string(key));
    if (it == t->second.end()) return std::nullopt;
    return it->second;
  }
  void scan_global(
      std::string_view topic,
      const std::function<bool(std::string_view, std::string_view)>& fn) const override {
    auto t = globals.find(topic);
    if (t == globals.end()) return;
    for (const auto& [k, v] : t->second)
      if (!fn(k, v)) return;
  }
  uint64_t global_version(std::string_view topic) const override {
    if (rescan) return runtime::next_global_version();
    auto it = versions.find(topic);
    return it == versions.end() ? 0 : it->second;
  }
};

struct World {
  prometheus::Registry registry;
  std::shared_ptr<router::RouterSettings> s;
  std::shared_ptr<router::RouterMetrics> m;
  World() {
    auto root = runtime::ConfigNode::load_file(std::string(BATON_SOURCE_DIR) +
                                               "/services/router/config/router.example.yaml");
    auto section = root.child("router");
    s = std::make_shared<router::RouterSettings>(
        router::read_router_config(section, time::system_zones()));
    if (!section.status()) {
      std::fprintf(stderr, "router.example.yaml: %s\n", section.status().message().c_str());
      std::abort();
    }
    std::set<std::string> names;
    for (const auto& [name, pool] : s->routing.pools) names.insert(name);
    m = std::make_shared<router::RouterMetrics>(registry, names, s->metric_sources);
  }
};

World& world() {
  static World w;
  return w;
}

runtime::TimePoint now() { return runtime::from_millis(1'780'000'000'000); }

v1::Rep rep(const std::string& id, const std::string& pool) {
  v1::Rep r;
  r.set_id(id);
  r.add_pools(pool);
  r.set_time_zone("UTC");  // no working hours: always at work
  r.set_active(true);
  return r;
}

std::string domain_of(int64_t i) { return "acct" + std::to_string(i) + ".example"; }

// reps: on the roster; members: how many of them work dach (the others
// us-enterprise).
void fill(BenchState& st, int64_t accounts, int64_t reps, int64_t members = 10) {
  const auto& t = world().s->topics;
  for (int64_t i = 0; i < accounts; ++i) {
    v1::Account a;
    a.set_id("acc-" + std::to_string(i));
    a.set_name("Account " + std::to_string(i));
    a.add_domains(domain_of(i));
    a.add_domains("www." + domain_of(i));
    a.set_owner_rep_id("rep-" + std::to_string(i % 10));
    st.put(t.accounts, a.id(), a.SerializeAsString());
  }
  for (int64_t i = 0; i < reps; ++i) {
    v1::Rep r = rep("rep-" + std::to_string(i), i < members ? "dach" : "us-enterprise");
    st.put(t.roster, r.id(), r.SerializeAsString());
  }
}

// Intake records of new DACH leads at random accounts' domains.
std::vector<runtime::Record> intakes(int64_t accounts) {
  std::mt19937_64 rng(42);
  std::vector<runtime::Record> out;
  for (int i = 0; i < 4096; ++i) {
    const std::string id = "L-" + std::to_string(i);
    v1::LeadDeskInput in;
    auto* l = in.mutable_intake()->mutable_lead();
    auto* env = l->mutable_envelope();
    env->set_lead_id(id);
    env->set_event_id(id + "-cap");
    env->set_source_system("bench");
    *env->mutable_event_time() = runtime::to_timestamp(now());
    l->mutable_person()->set_email("p" + std::to_string(i) + "@" +
                                   domain_of(static_cast<int64_t>(rng() % accounts)));
    // The fuzz harness's sample lead (a DACH software VP asking for a demo):
    // sales-ready, so it is routed to the dach pool.
    l->mutable_person()->set_first_name("Anna");
    l->mutable_person()->set_seniority("vp");
    l->mutable_person()->set_title("VP Operations");
    l->mutable_person()->set_language("de");
    l->mutable_company()->set_name("Northwind Example GmbH");
    l->mutable_company()->set_industry("software");
    l->mutable_company()->set_employee_band("201-1000");
    l->mutable_company()->set_country("DE");
    l->set_source("web");
    l->set_medium("organic");
    l->set_trigger_signal("demo_request");
    l->set_hand_raise_reason("wants a demo");
    in.mutable_intake()->set_original_lead_id(id);
    runtime::Record r;
    r.topic = world().s->topics.leads;
    r.key = id;
    r.value = in.SerializeAsString();
    r.headers = {{"ce_id", id + "-intake"}};
    out.push_back(std::move(r));
  }
  return out;
}

void lead_case(benchmark::State& state, bool rescan) {
  const int64_t n = state.range(0);
  BenchState st;
  fill(st, n, 10);
  const auto records = intakes(n);
  auto desk = router::make_lead_desk(world().s, world().m);
  st.rescan = rescan;
  size_t i = 0, requests = 0;
  for (auto _ : state) {
    auto r = desk->on_record(records[i++ % records.size()], st, now());
    if (!r) state.SkipWithError(r.error().detail.c_str());
    for (const auto& o : r->outputs) requests += o.topic == world().s->topics.pool_requests;
    benchmark::DoNotOptimize(r);
  }
  if (requests == 0) {
    std::string what;
    for (const auto& rec : records) {
      auto r = desk->on_record(rec, st, now());
      what = r ? std::to_string(r->outputs.size()) + " outputs, first to " +
                     (r->outputs.empty() ? "-" : r->outputs[0].topic)
               : r.error().reason + ": " + r.error().detail;
      break;
    }
    state.SkipWithError(("no lead was routed (" + what + ")").c_str());
  }
}

void BM_lead(benchmark::State& state) { lead_case(state, false); }
void BM_rescan_lead(benchmark::State& state) { lead_case(state, true); }

void pool_case(benchmark::State& state, int64_t members) {
  BenchState st;
  fill(st, 0, state.range(0), members);
  // A real pool request: what the lead desk asks for a lead without account.
  auto leads = router::make_lead_desk(world().s, world().m);
  auto pool = router::make_pool_desk(world().s, world().m, time::system_zones());
  runtime::Record req;
  auto lr = leads->on_record(intakes(1).front(), st, now());
  for (const auto& o : lr->outputs)
    if (o.topic == world().s->topics.pool_requests) {
      req.topic = o.topic;
      req.key = o.key;
      req.value = o.value;
      req.headers = {{"ce_id", o.event_id}};
    }
  if (req.value.empty()) state.SkipWithError("no pool request");
  size_t assigned = 0;
  for (auto _ : state) {
    auto r = pool->on_record(req, st, now());
    if (!r) state.SkipWithError(r.error().detail.c_str());
    for (const auto& o : r->outputs) assigned += o.topic == world().s->topics.routing;
    benchmark::DoNotOptimize(r);
  }
  if (assigned == 0) state.SkipWithError("no assignment");
}

void BM_pool(benchmark::State& state) { pool_case(state, 10); }
void BM_pool_members(benchmark::State& state) { pool_case(state, state.range(0)); }

// Captures of new leads (the intakes' leads, as the world sends them).
std::vector<runtime::Record> captures(int64_t accounts) {
  std::vector<runtime::Record> out;
  for (auto& r : intakes(accounts)) {
    v1::LeadDeskInput in;
    in.ParseFromString(r.value);
    r.topic = world().s->topics.captured;
    r.value = in.intake().lead().SerializeAsString();
    out.push_back(std::move(r));
  }
  return out;
}

void BM_chain(benchmark::State& state) {
  BenchState tables;
  fill(tables, 5, 20);
  testing::TopologyDriver d;
  for (const auto& [topic, table] : tables.globals)
    for (const auto& [k, v] : table) d.put_global(topic, k, v);
  auto leads = router::make_lead_desk(world().s, world().m);
  auto desk = router::make_pool_desk(world().s, world().m, time::system_zones());
  d.add(leads.get());
  d.add(desk.get());
  const auto records = captures(5);
  const std::string& routing = world().s->topics.routing;
  size_t i = 0, assigned = 0, routed = 0;
  for (auto _ : state) {
    runtime::Record r = records[i % records.size()];
    const std::string id = "L-" + std::to_string(i++);  // every lead new
    r.key = id;
    v1::LeadCaptured lead;
    lead.ParseFromString(r.value);
    lead.mutable_envelope()->set_lead_id(id);
    lead.mutable_envelope()->set_event_id(id + "-cap");
    lead.mutable_person()->set_email("p" + id + "@acct1.example");
    r.value = lead.SerializeAsString();
    r.headers = {{"ce_id", id + "-cap"}};
    d.pipe(std::move(r), now());
    if (i % 256 == 0) {
      routed += d.output(routing).size();
      if (assigned == 0)  // parsing them all would cost more than routing them
        for (const auto& ev : d.read<v1::RoutingEvent>(routing)) assigned += ev.has_assignment();
      d.clear_outputs();
    }
  }
  if (!d.rejections().empty()) state.SkipWithError(d.rejections().front().c_str());
  if (i >= 256 && assigned == 0) state.SkipWithError("no lead was assigned");
  benchmark::DoNotOptimize(routed);
}

BENCHMARK(BM_chain)->Iterations(20000);  // fixed: the stores grow with each lead
BENCHMARK(BM_lead)->Arg(100)->Arg(10'000)->Arg(100'000);
BENCHMARK(BM_pool)->Arg(10)->Arg(1'000);
BENCHMARK(BM_pool_members)->Arg(10)->Arg(1'000);
BENCHMARK(BM_rescan_lead)->Arg(100)->Arg(10'000)->Arg(100'000);

// Keeps each run's CPU time per iteration (ns) by name ("BM_lead/100").
class Collect : public benchmark::ConsoleReporter {
 public:
  std::map<std::string, double> ns;
  void ReportRuns(const std::vector<Run>& runs) override {
    ConsoleReporter::ReportRuns(runs);
    for (const auto& r : runs)
      if (!r.error_occurred && r.iterations > 0)
        ns[r.benchmark_name()] = r.GetAdjustedCPUTime();  // time unit: ns (default)
  }
};

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  Collect rep;
  benchmark::RunSpecifiedBenchmarks(&rep);
  benchmark::Shutdown();
  auto get = [&](const std::string& k) { return rep.ns.count(k) ? rep.ns[k] : 0.0; };
  auto ratio = [&](const std::string& big, const std::string& small) {
    return get(small) > 0 ? get(big) / get(small) : 0.0;
  };
  std::printf(
      "RESULT lead_ns_100=%.0f lead_ns_10000=%.0f lead_ns_100000=%.0f lead_ratio=%.2f "
      "pool_ns_10=%.0f pool_ns_1000=%.0f pool_ratio=%.2f pool_members_ns_10=%.0f "
      "pool_members_ns_1000=%.0f rescan_lead_ns_100=%.0f "
      "rescan_lead_ns_10000=%.0f rescan_lead_ns_100000=%.0f rescan_lead_ratio=%.1f "
      "chain_ns=%.0f\n",
      get("BM_lead/100"), get("BM_lead/10000"), get("BM_lead/100000"),
      ratio("BM_lead/100000", "BM_lead/100"), get("BM_pool/10"), get("BM_pool/1000"),
      ratio("BM_pool/1000", "BM_pool/10"), get("BM_pool_members/10"), get("BM_pool_members/1000"),
      get("BM_rescan_lead/100"), get("BM_rescan_lead/10000"), get("BM_rescan_lead/100000"),
      ratio("BM_rescan_lead/100000", "BM_rescan_lead/100"), get("BM_chain/iterations:20000"));
  return 0;
}
