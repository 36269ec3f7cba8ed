// bench-router: one real baton-router process (exactly-once runtime) on a
// real broker.
//  1. Sustained throughput: N captured leads (default 200,000) are loaded
//     before the router starts; the clock runs from readiness until every
//     lead's assignment is committed (read_committed reader).
//  2. Latency: leads produced at a fixed rate (default 2,000/s for 20 s);
//     for each committed assignment, now - lead event time.
// Usage: bench-router --bootstrap HOST:PORT [--leads N] [--rate R]
//                     [--seconds S] [--bin-dir DIR] [--commit-interval-ms MS]
//                     [--fetch-wait-ms MS] [--partitioner P] [--accounts N] [--reps R]
// Last line: RESULT router_leads_per_s=<n> p50_ms=<n> p99_ms=<n> partitioner=<p> misplaced=<n>
//            reads_per_lead=<n> first_decision_s=<n> rss_mb=<n> last_vs_first=<n>
//            commit_ms=<n> flush_ms=<n> p2_commit_ms=<n> p2_flush_ms=<n>
//            p2_offsets_ms=<n> p2_end_ms=<n> accounts=<n> reps=<n>
// reads_per_lead: every record the router consumed (baton_records_in_total,
// all topics: inputs, internal hops, read-backs; the roster's few records
// too) per lead of both phases (issue 18 point 2). first_decision_s: from
// /readyz answering 200 to the first committed assignment read (point 4).
// rss_mb: the router's peak RSS (VmHWM) at the end (point 5). last_vs_first:
// phase 1's rate over its last 10% of leads / over its first 10% (flat cost
// per lead as state grows: 1 is flat). commit_ms, flush_ms: the router's mean
// transaction commit and, of it, the flush that delivers its records
// (baton_transaction_{commit,flush}_seconds; 0 where a baseline lacks them).
// p2_*_ms: the same means over phase 2 only (the paced load), with the
// commit's other two round trips: offsets (AddOffsetsToTxn and
// TxnOffsetCommit) and end (EndTxn). Where a paced lead's latency goes.
// The log also shows phase 2's worst latency by second of capture.
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <thread>

#include "baton/runtime/client.h"
#include "baton/runtime/events.h"
#include "baton/v1/lead.pb.h"
#include "baton/v1/roster.pb.h"
#include "baton/v1/routing.pb.h"
#include "builders.h"  // tests/support
#include "harness.h"   // tests/support: child processes, admin HTTP, waits

using namespace baton;
using namespace std::chrono_literals;
namespace client = baton::runtime::client;
using Steady = std::chrono::steady_clock;

namespace {

struct Options {
  std::string bootstrap = "127.0.0.1:9092";
  int64_t leads = 200000;
  int rate = 2000;
  int seconds = 20;
  std::string bin_dir = BATON_BIN_DIR;
  int commit_interval_ms = 100;  // runtime.commit_interval
  int fetch_wait_ms = 0;         // librdkafka fetch.wait.max.ms (0: default)
  // The lead producer's partitioner: murmur2_random (Baton's and Java's
  // placement) or consistent_random (librdkafka's default, as Python, Go,
  // .NET and kcat producers use): every misplaced lead takes the router's
  // repartition hop.
  std::string partitioner = "murmur2_random";
  // The global tables' size (issue 18: 100,000 accounts and 5,000 reps
  // within 10% of 5 and 20). Every other lead's domain names an account
  // (no owner, so the path is the same at every size); the reps beyond the
  // routed pools' 8 (rr 5, wt 3) work kOtherPools other pools.
  int64_t accounts = 5;
  int64_t reps = 20;
};

constexpr int64_t kOtherPools = 100;

[[noreturn]] void die(const std::string& why) {
  std::cerr << "bench-router: " << why << "\n";
  std::exit(1);
}

v1::Rep rep(const std::string& id, const std::string& pool, double weight) {
  v1::Rep r = test::always_on_rep(id, pool);
  r.clear_name();
  r.set_weight(weight);
  return r;
}

std::string account_domain(int64_t i) { return "acct" + std::to_string(i) + ".example"; }

// Lead i: every other one at account i % accounts, the rest at a domain of its own.
std::string lead_domain(const std::string& id, int64_t i, int64_t accounts) {
  return i % 2 == 0 ? account_domain((i / 2) % accounts) : "co-" + id + ".example";
}

std::string lead_bytes(const std::string& id, const std::string& domain, runtime::TimePoint t) {
  v1::LeadCaptured l;
  auto* env = l.mutable_envelope();
  env->set_event_id("cap-" + id);
  env->set_lead_id(id);
  *env->mutable_event_time() = runtime::to_timestamp(t);
  env->set_source_system("bench");
  l.mutable_person()->set_email("p-" + id + "@" + domain);
  l.mutable_company()->set_country("us");
  l.mutable_company()->set_industry("software");
  l.set_source(id.back() % 3 == 0 ? "wt" : "rr");
  l.set_campaign("bench");
  l.set_trigger_signal("demo_request");
  l.mutable_first_touch()->set_landing_page("/demo");
  return l.SerializeAsString();
}

const char* kConfig = R"(kafka:
  bootstrap_servers: localhost:9092
router:
  scoring:
    fit:
      - {name: fit.industry, field: industry, values: [software], points: 20}
    intent:
      half_life: 14d
      signals: {demo_request: 40, pricing_page_view: 20}
    qualification: {fit_min: 10, intent_min: 10}
  tiers:
    - tier: high_intent
      when: {signals_any: [demo_request]}
    - tier: standard
      when: {sales_ready: true}
  rules:
    - {name: to-wt, when: {source: [wt]}, pool: wt}
  default_pool: rr
  identity: {fields: [email], window: 30d}
  pools:
    rr: {strategy: round_robin}
    wt: {strategy: weighted}
)";

// Reads committed assignments; calls fn(lead id, assignment) for each.
class AssignmentReader {
 public:
  AssignmentReader(const client::ClientConfig& cc, const std::string& topic) {
    client::TailOptions o;
    o.topics = {topic};
    auto c = client::TailConsumer::open(cc, o);
    if (!c) die(c.error().message);
    tail_ = std::move(c.value());
  }
  // Closes the consumer: before its topics are deleted (librdkafka 2.0.2's
  // consumer can hang in its destructor once its topics are gone).
  void close() noexcept { tail_.reset(); }
  template <typename F>
  void poll(F&& fn, std::chrono::milliseconds budget) {
    auto end = Steady::now() + budget;
    while (Steady::now() < end) {
      auto r = tail_->poll(20ms);
      if (!r) die(r.error().message);
      if (!r->has_value()) continue;
      v1::RoutingEvent ev;
      if (ev.ParseFromString((*r)->value) && ev.has_assignment())
        fn(ev.assignment().envelope().lead_id(), ev.assignment());
    }
  }

 private:
  std::unique_ptr<client::TailConsumer> tail_;
};

double percentile(std::vector<double> v, double q) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  size_t i = static_cast<size_t>(q * static_cast<double>(v.size() - 1));
  return v[i];
}

}  // namespace

int main(int argc, char** argv) {
  Options opt;
  bool bootstrap_given = false;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string a = argv[i], v = argv[i + 1];
    if (a == "--bootstrap") {
      opt.bootstrap = v;
      bootstrap_given = true;
    } else if (a == "--leads")
      opt.leads = std::stoll(v);
    else if (a == "--rate")
      opt.rate = std::stoi(v);
    else if (a == "--seconds")
      opt.seconds = std::stoi(v);
    else if (a == "--bin-dir")
      opt.bin_dir = v;
    else if (a == "--commit-interval-ms")
      opt.commit_interval_ms = std::stoi(v);
    else if (a == "--fetch-wait-ms")
      opt.fetch_wait_ms = std::stoi(v);
    else if (a == "--partitioner")
      opt.partitioner = v;
    else if (a == "--accounts")
      opt.accounts = std::max<int64_t>(1, std::stoll(v));
    else if (a == "--reps")
      opt.reps = std::max<int64_t>(8, std::stoll(v));
    else
      die("unknown argument " + a);
  }
  // Under ctest (the CI smoke run) the tests' broker, unless --bootstrap names one.
  if (!bootstrap_given && std::getenv("BATON_TEST_BOOTSTRAP_FILE"))
    opt.bootstrap = test::bootstrap();
  const std::string tag = "benchrouter" + std::to_string(getpid());
  const std::string prefix = tag + ".";
  const std::string dir = std::filesystem::temp_directory_path() / tag;
  std::filesystem::create_directories(dir);
  std::cout << "bench-router: broker " << opt.bootstrap << ", work dir " << dir << "\n";

  test::Child topics({opt.bin_dir + "/baton", "topics", "create", "--partitions", "6", "--prefix",
                      prefix, "--bootstrap", opt.bootstrap},
                     {}, dir + "/topics.log");
  if (topics.wait(120s) != std::optional<int>(0))
    die("baton topics create failed; see " + dir + "/topics.log");
  {
    std::ofstream y(dir + "/router.yaml");
    y << kConfig;
    if (opt.reps > 8)
      for (int64_t k = 0; k < kOtherPools; ++k)
        y << "    other-" << k << ": {strategy: round_robin}\n";
    y << "runtime:\n  commit_interval: " << opt.commit_interval_ms << "ms\n";
  }
  std::map<std::string, std::string> router_env{{"BATON_KAFKA_BOOTSTRAP_SERVERS", opt.bootstrap}};
  if (opt.fetch_wait_ms > 0)
    router_env["BATON_KAFKA_FETCH_WAIT_MAX_MS"] = std::to_string(opt.fetch_wait_ms);

  client::ClientConfig cc;
  cc.bootstrap = opt.bootstrap;
  cc.properties["linger.ms"] = "5";
  cc.properties["partitioner"] = opt.partitioner;
  auto prod = client::PlainProducer::open(cc);
  if (!prod) die(prod.error().message);
  auto& p = *prod.value();
  auto send = [&](const std::string& topic, const std::string& key, const std::string& bytes,
                  const std::string& id, const char* type, runtime::TimePoint t) {
    auto s = p.produce(prefix + topic, key, bytes,
                       client::cloudevents_headers(id, type, "bench-router", t));
    if (!s) die(s.message());
  };
  for (int i = 1; i <= 5; ++i) {
    auto r = rep("rr-" + std::to_string(i), "rr", 1);
    send("baton.roster.reps", r.id(), r.SerializeAsString(), "rep-" + r.id(), "baton.v1.Rep",
         runtime::Clock::now());
  }
  for (int i = 1; i <= 3; ++i) {
    auto r = rep("wt-" + std::to_string(i), "wt", i);
    send("baton.roster.reps", r.id(), r.SerializeAsString(), "rep-" + r.id(), "baton.v1.Rep",
         runtime::Clock::now());
  }
  for (int64_t i = 8; i < opt.reps; ++i) {
    auto r = rep("other-" + std::to_string(i), "other-" + std::to_string(i % kOtherPools), 1);
    send("baton.roster.reps", r.id(), r.SerializeAsString(), "rep-" + r.id(), "baton.v1.Rep",
         runtime::Clock::now());
  }
  for (int64_t i = 0; i < opt.accounts; ++i) {
    v1::Account a;
    a.set_id("acc-" + std::to_string(i));
    a.set_name("Account " + std::to_string(i));
    a.add_domains(account_domain(i));
    send("baton.roster.accounts", a.id(), a.SerializeAsString(), "account-" + a.id(),
         "baton.v1.Account", runtime::Clock::now());
    if (i % 1000 == 0) p.poll();
  }

  // Phase 1: pre-load N captured leads.
  auto load_start = Steady::now();
  for (int64_t i = 0; i < opt.leads; ++i) {
    std::string id = "T" + std::to_string(i);
    auto now = runtime::Clock::now();
    send("baton.leads.captured", id, lead_bytes(id, lead_domain(id, i, opt.accounts), now),
         "cap-" + id, "baton.v1.LeadCaptured", now);
    if (i % 1000 == 0) p.poll();
  }
  if (auto s = p.flush(120s); !s) die(s.message());
  std::cout << "loaded " << opt.leads << " leads in "
            << std::chrono::duration<double>(Steady::now() - load_start).count() << " s\n";

  int port = test::free_port();
  auto start = Steady::now();
  test::Child router({opt.bin_dir + "/baton-router", "--config", dir + "/router.yaml",
                      "--instance-id", "b0", "--admin-port", std::to_string(port), "--state-dir",
                      dir + "/state", "--topic-prefix", prefix, "--application-id", tag},
                     router_env, dir + "/router.log");
  const bool up = test::wait_until(
      [&] {
        auto r = test::http_get(port, "/readyz");
        return (r && r->status == 200) || !router.running();
      },
      300s, 100ms);
  if (!router.running()) die("router exited; see " + dir + "/router.log");
  if (!up) die("router not ready in 300 s");
  auto ready = Steady::now();
  std::cout << "router ready in " << std::chrono::duration<double>(ready - start).count() << " s\n";

  AssignmentReader reader(cc, prefix + "baton.routing.events");
  std::set<std::string> done;
  int64_t duplicates = 0;
  Steady::time_point last_assignment = ready;
  std::optional<Steady::time_point> first_assignment;
  int64_t last_report = 0;
  // When the 10%, 90% and last lead were assigned (rate over first and last 10%).
  std::optional<Steady::time_point> at_10, at_90;
  while (static_cast<int64_t>(done.size()) < opt.leads) {
    reader.poll(
        [&](const std::string& id, const v1::Assignment&) {
          if (!done.insert(id).second) ++duplicates;
          last_assignment = Steady::now();
          if (!first_assignment) first_assignment = last_assignment;
          const auto n = static_cast<int64_t>(done.size());
          if (!at_10 && n * 10 >= opt.leads) at_10 = last_assignment;
          if (!at_90 && n * 10 >= opt.leads * 9) at_90 = last_assignment;
        },
        500ms);
    if (static_cast<int64_t>(done.size()) - last_report >= opt.leads / 10) {
      last_report = static_cast<int64_t>(done.size());
      std::cout << "  " << done.size() << " assigned after "
                << std::chrono::duration<double>(Steady::now() - ready).count() << " s\n";
    }
    if (Steady::now() - last_assignment > 180s) die("no progress for 180 s; see router.log");
  }
  double secs = std::chrono::duration<double>(last_assignment - ready).count();
  double per_s = static_cast<double>(opt.leads) / secs;
  std::cout << "phase 1: " << opt.leads << " leads assigned (exactly-once, " << duplicates
            << " duplicate assignments) in " << secs << " s = " << per_s << " leads/s\n";

  // Phase 2: paced load, capture -> committed assignment. The router's
  // transaction phases are read before and after it: their phase-2 means
  // say where a paced lead's latency goes.
  auto histogram = [&](const std::string& h) {
    return std::pair{test::metric(port, h + "_sum").value_or(0),
                     test::metric(port, h + "_count").value_or(0)};
  };
  const std::vector<std::string> phases = {
      "baton_transaction_commit_seconds", "baton_transaction_flush_seconds",
      "baton_transaction_offsets_seconds", "baton_transaction_end_seconds"};
  std::vector<std::pair<double, double>> phases_before;
  for (const auto& h : phases) phases_before.push_back(histogram(h));
  const int64_t n2 = static_cast<int64_t>(opt.rate) * opt.seconds;
  std::atomic<bool> producing{true};
  std::thread producer([&] {
    auto t0 = Steady::now();
    for (int64_t i = 0; i < n2; ++i) {
      auto due = t0 + std::chrono::microseconds(i * 1000000 / opt.rate);
      std::this_thread::sleep_until(due);
      std::string id = "R" + std::to_string(i);
      auto now = runtime::Clock::now();
      send("baton.leads.captured", id, lead_bytes(id, lead_domain(id, i, opt.accounts), now),
           "cap-" + id, "baton.v1.LeadCaptured", now);
      if (i % 100 == 0) p.poll();
    }
    if (auto s = p.flush(60s); !s) std::cerr << "flush: " << s.message() << "\n";
    producing = false;
  });
  std::vector<double> lat_ms;
  // Latency by second of capture (the worst of each second), to tell a
  // steady cost from periodic stalls.
  std::map<int64_t, double> worst_by_second;
  const auto phase2_start = runtime::Clock::now();
  std::set<std::string> seen2;
  auto phase2_deadline = Steady::now() + std::chrono::seconds(opt.seconds) + 300s;
  while (static_cast<int64_t>(seen2.size()) < n2 && Steady::now() < phase2_deadline) {
    reader.poll(
        [&](const std::string& id, const v1::Assignment& a) {
          if (id.empty() || id[0] != 'R' || !seen2.insert(id).second) return;
          auto now = runtime::Clock::now();
          double ms = std::chrono::duration<double, std::milli>(
                          now - runtime::from_timestamp(a.captured_at()))
                          .count();
          lat_ms.push_back(ms);
          const auto sec = std::chrono::duration_cast<std::chrono::seconds>(
                               runtime::from_timestamp(a.captured_at()) - phase2_start)
                               .count();
          auto& w = worst_by_second[sec];
          w = std::max(w, ms);
        },
        200ms);
  }
  producer.join();
  const double misplaced = test::metric(port, "baton_input_misplaced_total").value_or(0);
  const double reads = test::metric(port, "baton_records_in_total").value_or(0);
  const double reads_per_lead = reads / static_cast<double>(opt.leads + n2);
  const double first_decision_s =
      first_assignment ? std::chrono::duration<double>(*first_assignment - ready).count() : -1;
  auto mean_ms = [&](const std::string& h) {
    auto [sum, n] = histogram(h);
    return n > 0 ? 1000 * sum / n : 0.0;
  };
  const double commit_ms = mean_ms("baton_transaction_commit_seconds");
  const double flush_ms = mean_ms("baton_transaction_flush_seconds");
  std::vector<double> p2_ms;  // commit, flush, offsets, end: phase 2's means
  for (size_t i = 0; i < phases.size(); ++i) {
    auto [sum, count] = histogram(phases[i]);
    const double n = count - phases_before[i].second;
    p2_ms.push_back(n > 0 ? 1000 * (sum - phases_before[i].first) / n : 0.0);
  }
  const test::Rss rss = test::rss_of(router.pid());
  if (auto m = test::http_get(port, "/metrics"); m && m->status == 200) {
    std::ofstream(dir + "/metrics.txt") << m->body;
    std::cout << "router metrics at the end: " << dir << "/metrics.txt\n";
  }
  router.signal(SIGTERM);
  int rc = router.wait(120s).value_or(-1);
  // Rates over the first and the last 10% of phase 1's leads.
  auto secs_between = [](Steady::time_point a, Steady::time_point b) {
    return std::max(1e-3, std::chrono::duration<double>(b - a).count());
  };
  const double tenth = static_cast<double>(opt.leads) / 10;
  const double first_rate =
      first_assignment && at_10 ? tenth / secs_between(*first_assignment, *at_10) : 0;
  const double last_rate = at_90 ? tenth / secs_between(*at_90, last_assignment) : 0;
  const double last_vs_first = first_rate > 0 ? last_rate / first_rate : 0;
  std::cout << "phase 1 rate: first 10% " << first_rate << " leads/s, last 10% " << last_rate
            << " leads/s; router RSS " << rss.rss_mb << " MB, peak " << rss.hwm_mb << " MB\n";
  double p50 = percentile(lat_ms, 0.50), p99 = percentile(lat_ms, 0.99);
  std::cout << "phase 2: " << seen2.size() << "/" << n2 << " leads at " << opt.rate
            << "/s, capture->assignment p50 " << p50 << " ms, p99 " << p99 << " ms, max "
            << percentile(lat_ms, 1.0) << " ms\n";
  std::cout << "phase 2 worst latency by second of capture (ms):";
  for (const auto& [sec, ms] : worst_by_second) std::cout << " " << sec << ":" << std::lround(ms);
  std::cout << "\n";
  std::cout << "router exit code " << rc << " (SIGTERM)\n";
  // The stores (1.4 GB at 1M leads) go; the logs and metrics.txt stay.
  std::error_code ec;
  std::filesystem::remove_all(dir + "/state", ec);
  reader.close();
  std::cout << "deleted " << test::delete_topics_containing(opt.bootstrap, tag)
            << " topics of this run\n";
  std::cout << "records consumed " << reads << " (" << reads_per_lead << " per lead)\n";
  std::printf(
      "RESULT router_leads_per_s=%.0f p50_ms=%.1f p99_ms=%.1f partitioner=%s misplaced=%.0f "
      "reads_per_lead=%.2f first_decision_s=%.2f rss_mb=%.0f last_vs_first=%.2f commit_ms=%.1f "
      "flush_ms=%.1f p2_commit_ms=%.2f p2_flush_ms=%.2f p2_offsets_ms=%.2f p2_end_ms=%.2f "
      "accounts=%lld reps=%lld\n",
      per_s, p50, p99, opt.partitioner.c_str(), misplaced, reads_per_lead, first_decision_s,
      rss.hwm_mb, last_vs_first, commit_ms, flush_ms, p2_ms[0], p2_ms[1], p2_ms[2], p2_ms[3],
      static_cast<long long>(opt.accounts), static_cast<long long>(opt.reps));
  return static_cast<int64_t>(seen2.size()) == n2 && duplicates == 0 ? 0 : 1;
}
