// bench-e2e: the whole of Baton on a real broker. One release process each
// of baton-router, baton-sla-monitor and baton-feedback (deploy/demo
// configs: SLA budgets 15x shorter than the real playbook, so warnings,
// breaches, escalations and reassignments come due during the run), the
// bench roster (the generator's reps plus more, 24x7, no caps), and the
// `baton generate` generator as a library: realistic leads, engagement
// signals, and simulated reps that touch quickly, slowly or never and move
// leads through CRM stages (so feedback has work too).
//  1. Paced: --paced-leads leads at --rate leads/s. Capture -> assignment
//     p50/p99: read time of the committed Assignment (read_committed) minus
//     the LeadCaptured's event time (the Assignment's captured_at).
//  2. Flood: the rest of --leads sent as fast as the producer goes (up to
//     --flood-rate); maximum sustained leads/s = flood leads routed (first
//     committed assignment, nurture decision or hold) / (last one - start).
//  3. Settle: until the SLA topic is quiet; capture -> SLA-event lateness =
//     read time of each committed warning/breach/escalation/reassignment
//     request minus its due time (its event time). Then the RSS of each
//     service (VmHWM = peak, VmRSS = now) after --leads leads.
// Usage: bench-e2e [--bootstrap HOST:PORT] [--bin-dir DIR] [--leads N]
//   [--rate R] [--paced-leads P] [--flood-rate R] [--time-scale X] [--seed S]
//   [--config-dir DIR] [--reps-per-pool N] [--no-reps] [--max-pending N]
//   [--stall S] [--settle S]
// Broker: --bootstrap, else BATON_TEST_BOOTSTRAP_FILE, else
// BATON_KAFKA_BOOTSTRAP_SERVERS, else 127.0.0.1:9092. Binaries: --bin-dir,
// else BATON_BIN_DIR, else this build's bin folder.
// Last line: RESULT e2e_leads=<n> assign_p50_ms=<n> assign_p99_ms=<n>
//   sla_late_p99_ms=<n> max_leads_per_s=<n> rss_router_mb=<n> rss_sla_mb=<n>
//   rss_feedback_mb=<n> clock_started_p99_ms=<n>
// clock_started_p99_ms: capture -> the lead's first SlaClockStarted read
// (read_committed), for the paced leads assigned at capture.
#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <iostream>
#include <map>
#include <stdexcept>

#include "load_driver.h"
#include "system.h"
#include "watchers.h"

using namespace baton;
using namespace baton::bench;
using namespace std::chrono_literals;
namespace client = runtime::client;
namespace fs = std::filesystem;

namespace {

struct Args {
  std::string bootstrap, bin_dir, config_dir;
  int64_t leads = 1000000, paced = -1;
  double rate = 500, flood_rate = 100000, time_scale = 15;
  uint64_t seed = 1;
  int reps_per_pool = 10;
  bool no_reps = false;
  int64_t max_pending = 200000;
  int stall_s = 180, settle_s = 600;
};

[[noreturn]] void die(const std::string& why) {
  std::cerr << "bench-e2e: " << why << "\n";
  std::exit(1);
}

// Once services run: unwinds, so the System stops them on the way out.
[[noreturn]] void fail(const std::string& why) { throw std::runtime_error(why); }

const char* kUsage =
    "usage: bench-e2e [--bootstrap HOST:PORT] [--bin-dir DIR] [--leads N] [--rate R] "
    "[--paced-leads P] [--flood-rate R] [--time-scale X] [--seed S] [--config-dir DIR] "
    "[--reps-per-pool N] [--no-reps] [--max-pending N] [--stall S] [--settle S]";

Args parse(int argc, char** argv) {
  Args a;
  for (int i = 1; i < argc; ++i) {
    const std::string k = argv[i];
    if (k == "--no-reps") {
      a.no_reps = true;
      continue;
    }
    if (k == "-h" || k == "--help") {
      std::cout << kUsage << "\n";
      std::exit(0);
    }
    if (i + 1 >= argc) die("missing value for " + k + "\n" + kUsage);
    const std::string v = argv[++i];
    try {
      if (k == "--bootstrap")
        a.bootstrap = v;
      else if (k == "--bin-dir")
        a.bin_dir = v;
      else if (k == "--config-dir")
        a.config_dir = v;
      else if (k == "--leads")
        a.leads = std::stoll(v);
      else if (k == "--paced-leads")
        a.paced = std::stoll(v);
      else if (k == "--rate")
        a.rate = std::stod(v);
      else if (k == "--flood-rate")
        a.flood_rate = std::stod(v);
      else if (k == "--time-scale")
        a.time_scale = std::stod(v);
      else if (k == "--seed")
        a.seed = std::stoull(v);
      else if (k == "--reps-per-pool")
        a.reps_per_pool = std::stoi(v);
      else if (k == "--max-pending")
        a.max_pending = std::stoll(v);
      else if (k == "--stall")
        a.stall_s = std::stoi(v);
      else if (k == "--settle")
        a.settle_s = std::stoi(v);
      else
        die("unknown argument " + k + "\n" + kUsage);
    } catch (const std::exception&) {
      die("bad value for " + k + ": " + v);
    }
  }
  if (a.leads < 1 || a.rate <= 0 || a.flood_rate <= 0 || a.time_scale <= 0)
    die("--leads, --rate, --flood-rate and --time-scale must be positive");
  if (a.paced < 0) a.paced = std::min<int64_t>(a.leads / 2, static_cast<int64_t>(a.rate * 120));
  a.paced = std::clamp<int64_t>(a.paced, 1, a.leads);
  return a;
}

// The broker address and a bootstrap file for the test-support System.
std::string resolve_broker(Args& a, const std::string& dir) {
  if (a.bootstrap.empty()) {
    if (const char* f = std::getenv("BATON_TEST_BOOTSTRAP_FILE"); f && fs::exists(f)) {
      a.bootstrap = test::read_file(f);
      while (!a.bootstrap.empty() && std::isspace(static_cast<unsigned char>(a.bootstrap.back())))
        a.bootstrap.pop_back();
    } else if (const char* b = std::getenv("BATON_KAFKA_BOOTSTRAP_SERVERS"); b && *b) {
      a.bootstrap = b;
    } else {
      a.bootstrap = "127.0.0.1:9092";
    }
  }
  client::ClientConfig cc;
  cc.bootstrap = a.bootstrap;
  cc.timeout = 10s;
  auto admin = client::Admin::connect(cc);
  if (!admin) die("broker " + a.bootstrap + " unreachable: " + admin.error().message);
  if (auto s = (*admin)->ping(); !s)
    die("broker " + a.bootstrap + " unreachable: " + s.message() +
        " (start one: scripts/kafka start --dir DIR, then --bootstrap ADDRESS)");
  const std::string file = dir + "/bootstrap";
  test::write_file(file, a.bootstrap + "\n");
  return file;
}

double secs_since(Steady::time_point t) {
  return std::chrono::duration<double>(Steady::now() - t).count();
}

Steady::time_point steady_at(int64_t ns) {
  return Steady::time_point(
      std::chrono::duration_cast<Steady::duration>(std::chrono::nanoseconds(ns)));
}

const char* kServices[] = {"router", "sla-monitor", "feedback"};

struct Run {
  Args& args;
  test::System& sys;
  LoadDriver& driver;
  RoutingWatch& routing;
  SlaWatch& sla;

  // Dies with a clear message when a part of the run broke.
  void check() {
    for (const char* s : kServices)
      if (!sys.child(s, "b0").running())
        fail(std::string("baton-") + s + " exited; log: " + sys.child(s, "b0").log_path());
    if (driver.failed()) fail("load: " + driver.error());
    if (routing.failed()) fail("reading the routing topic: " + routing.error());
    if (sla.failed()) fail("reading the SLA topic: " + sla.error());
  }

  void progress(const char* what, PhaseStats& st, int64_t count) {
    std::cout << "  " << what << ": leads sent " << driver.leads() << ", routed " << st.decided
              << "/" << count << " (assigned " << st.assigned << "), SLA timers " << sla.fired()
              << ", follow-ups " << driver.follow_ups() << ", RSS MB";
    for (const char* s : kServices)
      std::cout << " " << s << "=" << static_cast<int>(rss_of(sys.child(s, "b0").pid()).rss_mb);
    std::cout << std::endl;
  }

  // Waits until every lead of the phase is routed, or nothing new was
  // routed for --stall seconds after the phase was sent. True when complete.
  bool wait_phase(const char* what, PhaseStats& st, int64_t count) {
    int64_t last = -1;
    auto last_change = Steady::now(), last_report = Steady::now();
    while (st.decided < count) {
      std::this_thread::sleep_for(200ms);
      check();
      if (st.decided != last || !driver.leads_sent()) {
        last = st.decided;
        last_change = Steady::now();
      }
      if (secs_since(last_change) > args.stall_s) {
        std::cout << "  " << what << ": no lead routed for " << args.stall_s << " s; " << st.decided
                  << "/" << count << " routed\n";
        return false;
      }
      if (secs_since(last_report) >= 10) {
        progress(what, st, count);
        last_report = Steady::now();
      }
    }
    progress(what, st, count);
    return true;
  }
};

}  // namespace

int main(int argc, char** argv) {
  std::cout << std::unitbuf;
  Args args = parse(argc, argv);
  const std::string work = test::temp_dir("bench-e2e");
  const std::string bootstrap_file = resolve_broker(args, work);
  setenv("BATON_TEST_BOOTSTRAP_FILE", bootstrap_file.c_str(), 1);
  if (!args.bin_dir.empty()) setenv("BATON_BIN_DIR", args.bin_dir.c_str(), 1);
  for (const char* b : {"baton", "baton-router", "baton-sla-monitor", "baton-feedback"})
    if (access((test::bin_dir() + "/" + b).c_str(), X_OK) != 0)
      die(test::bin_dir() + "/" + b + " not found: build the release targets or pass --bin-dir");
  if (args.config_dir.empty()) args.config_dir = test::source_dir() + "/deploy/demo";
  const int64_t flood = args.leads - args.paced;
  std::cout << "bench-e2e: broker " << args.bootstrap << ", binaries " << test::bin_dir()
            << ", configs " << args.config_dir << "\n  " << args.leads << " leads: " << args.paced
            << " at " << args.rate << "/s, then " << flood << " as fast as possible; time scale "
            << args.time_scale << (args.no_reps ? ", no simulated reps" : ", simulated reps")
            << "\n";

  try {
    test::System sys("bench-e2e");
    std::cout << "  work dir " << sys.dir() << ", topic prefix " << sys.prefix() << "\n";
    sys.create_topics();
    const auto roster = bench_roster(args.reps_per_pool);
    for (const auto& r : roster) sys.send("baton.roster.reps", r.id(), r, "bench-rep-" + r.id());
    if (sys.cli({"accounts", "load", test::source_dir() + "/tools/baton/samples/accounts.yaml"},
                "accounts") != 0)
      fail("baton accounts load failed; see " + sys.dir() + "/accounts.log");
    const auto started = Steady::now();
    for (const char* s : kServices) sys.start(s, "b0", args.config_dir + "/" + s + ".yaml");
    if (!sys.all_ready(300s)) fail("services not ready within 300 s; logs in " + sys.dir());
    std::cout << "  " << roster.size() << " reps; services ready in " << secs_since(started)
              << " s\n";

    client::ClientConfig cc;
    cc.bootstrap = args.bootstrap;
    cc.timeout = 60s;
    // Two phases with distinct lead ids ("L<hex of the seed>-n").
    uint64_t flood_seed = args.seed + 1;
    auto id_prefix = [](uint64_t seed) {
      auto id = cli::gen::lead_id_for(seed, 0);
      return id.substr(0, id.find('-') + 1);
    };
    while (id_prefix(flood_seed) == id_prefix(args.seed)) ++flood_seed;
    std::vector<Phase> phases{{id_prefix(args.seed), args.paced}, {id_prefix(flood_seed), flood}};

    DriverOptions dopt;
    dopt.seed = args.seed;
    dopt.time_scale = args.time_scale;
    dopt.simulate_reps = !args.no_reps;
    dopt.max_pending = args.max_pending;
    LoadDriver driver(cc, sys.prefix(), dopt);
    RoutingWatch routing(
        cc, sys.topic("baton.routing.events"), phases,
        [&driver](const cli::gen::ObservedAssignment& a) { driver.on_assignment(a); });
    SlaWatch sla(cc, sys.topic("baton.sla.events"));
    routing.start();
    sla.start();
    if (auto e = driver.start(); !e.empty()) fail("producer: " + e);
    Run run{args, sys, driver, routing, sla};

    // 1. Paced.
    std::cout << "phase 1: " << args.paced << " leads at " << args.rate << "/s\n";
    driver.add_phase(args.seed, args.rate, args.paced);
    bool complete = run.wait_phase("paced", routing.stats(0), args.paced);
    std::vector<double> assign_ms;
    {
      std::lock_guard lk(routing.stats(0).mu);
      assign_ms = routing.stats(0).assign_ms;
    }
    const double p50 = percentile(assign_ms, 0.5), p99 = percentile(assign_ms, 0.99);
    std::printf(
        "phase 1: %zu first assignments; capture -> assignment p50 %.1f ms, p99 %.1f ms, "
        "max %.1f ms; worst send lag %.0f ms\n",
        assign_ms.size(), p50, p99, percentile(assign_ms, 1), driver.worst_lag_ms());

    // 2. Flood.
    double max_per_s = 0;
    if (flood > 0) {
      std::cout << "phase 2: " << flood << " leads as fast as possible\n";
      const auto flood_start = Steady::now();
      driver.add_phase(flood_seed, args.flood_rate, flood);
      while (!driver.leads_sent() && secs_since(flood_start) < 24 * 3600) {
        std::this_thread::sleep_for(100ms);
        run.check();
      }
      const double send_s = secs_since(flood_start);
      std::cout << "  flood sent in " << send_s << " s ("
                << static_cast<int64_t>(static_cast<double>(flood) / send_s) << " leads/s)\n";
      auto& st = routing.stats(1);
      complete = run.wait_phase("flood", st, flood) && complete;
      const double span =
          std::chrono::duration<double>(steady_at(st.last_decision_ns) - flood_start).count();
      max_per_s = span > 0 ? static_cast<double>(st.decided) / span : 0;
      std::lock_guard lk(st.mu);
      std::printf(
          "phase 2: %lld leads routed in %.1f s = %.0f leads/s sustained; "
          "capture -> assignment under the flood p50 %.0f ms, p99 %.0f ms\n",
          static_cast<long long>(st.decided.load()), span, max_per_s, percentile(st.assign_ms, 0.5),
          percentile(st.assign_ms, 0.99));
    }

    // 3. Settle: the SLA timers of the last assignments come due; stop once
    // the SLA topic was quiet for 45 s (the longest gap between a lead's
    // milestones in deploy/demo), at most --settle s.
    std::cout << "phase 3: waiting for the SLA topic to go quiet (at most " << args.settle_s
              << " s)\n";
    const auto settle_start = Steady::now();
    while (secs_since(settle_start) < args.settle_s &&
           (sla.last_event_ns() == 0 || secs_since(steady_at(sla.last_event_ns())) < 45)) {
      std::this_thread::sleep_for(500ms);
      run.check();
    }
    // Capture -> SLA clock started, for the paced leads assigned at capture.
    std::vector<double> clock_ms;
    {
      const auto started = sla.first_started();
      std::lock_guard lk(routing.stats(0).mu);
      for (const auto& [lead, cap] : routing.stats(0).captured_ms)
        if (auto it = started.find(lead); it != started.end())
          clock_ms.push_back(static_cast<double>(it->second - cap));
    }
    const double clock99 = percentile(clock_ms, 0.99);
    std::printf("paced: capture -> SLA clock started for %zu leads: p50 %.1f ms, p99 %.1f ms\n",
                clock_ms.size(), percentile(clock_ms, 0.5), clock99);
    std::map<std::string, Rss> rss;
    for (const char* s : kServices) rss[s] = rss_of(sys.child(s, "b0").pid());
    const auto late = sla.late_ms();
    const double late50 = percentile(late, 0.5), late99 = percentile(late, 0.99);
    std::printf(
        "SLA: %lld clocks started, %lld met, %zu timer events; lateness p50 %.0f ms, "
        "p99 %.0f ms, max %.0f ms\n",
        static_cast<long long>(sla.started()), static_cast<long long>(sla.met()), late.size(),
        late50, late99, percentile(late, 1));
    std::printf(
        "simulated reps: %lld touches/stage changes sent, %lld assignments left "
        "unanswered (queue bound); %lld reassignments seen\n",
        static_cast<long long>(driver.follow_ups()),
        static_cast<long long>(driver.skipped_follow_ups()),
        static_cast<long long>(routing.reassignments()));
    for (const auto& [s, r] : rss)
      std::printf("RSS %s: peak (VmHWM) %.0f MB, now (VmRSS) %.0f MB\n", s.c_str(), r.hwm_mb,
                  r.rss_mb);
    int64_t dups = routing.stats(0).duplicates + routing.stats(1).duplicates;
    if (dups > 0) std::cout << "duplicate first assignments: " << dups << "\n";

    driver.stop();
    for (const char* s : kServices) {
      auto rc = sys.stop(s, "b0", SIGTERM);
      if (rc != std::optional<int>(0))
        std::cout << "baton-" << s << " exit after SIGTERM: " << (rc ? *rc : -1) << "\n";
    }
    std::error_code ec;
    fs::remove_all(sys.dir() + "/state", ec);  // RocksDB of a big run; the logs stay
    fs::remove_all(work, ec);
    // The run's topics (its prefix and application ids hold its unique name),
    // once nothing reads them (librdkafka 2.0.2's consumer can hang in its
    // destructor once its topics are gone).
    routing.stop();
    sla.stop();
    std::string unique = sys.prefix();
    if (!unique.empty() && unique.back() == '.') unique.pop_back();
    std::cout << "deleted " << test::delete_topics_containing(args.bootstrap, unique)
              << " topics of this run\n";
    std::printf(
        "RESULT e2e_leads=%lld assign_p50_ms=%.0f assign_p99_ms=%.0f sla_late_p99_ms=%.0f "
        "max_leads_per_s=%.0f rss_router_mb=%.0f rss_sla_mb=%.0f rss_feedback_mb=%.0f "
        "clock_started_p99_ms=%.0f\n",
        static_cast<long long>(args.leads), p50, p99, late99, max_per_s, rss["router"].hwm_mb,
        rss["sla-monitor"].hwm_mb, rss["feedback"].hwm_mb, clock99);
    return complete && dups == 0 ? 0 : 1;
  } catch (const std::exception& e) {
    die(e.what());
  }
}
