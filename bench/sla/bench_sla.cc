// bench-sla: N open first-touch clocks in a real baton-sla-monitor (release
// binary, its own topics under a unique prefix). Once all N are open, the
// state folder is deleted and the clocks are restored from the changelog into
// an empty RocksDB; then their warnings and deadlines come due in bursts
// (`--burst` clocks due within the same second, every `--gap-ms`), fired by
// the restored process.
// Usage: bench-sla --bootstrap HOST:PORT [--clocks N] [--burst B] [--gap-ms G]
//                  [--due-in S]
// Measures: timer firing lateness p99 (when a committed SlaWarning/SlaBreached
// is read vs. its due time, the event's own event_time), restore time (process
// start to /readyz 200, and baton_restore_seconds), peak RSS (VmHWM of both
// processes).
// Last line: RESULT sla_open_clocks=<n> fire_late_p99_ms=<n> restore_s=<n> rss_mb=<n>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <thread>

#include "baton/runtime/client.h"
#include "baton/runtime/events.h"
#include "baton/v1/routing.pb.h"
#include "baton/v1/sla.pb.h"
#include "harness.h"  // tests/support: child processes, admin HTTP, waits

using namespace baton;
using namespace std::chrono_literals;
namespace client = runtime::client;
namespace fs = std::filesystem;
using Steady = std::chrono::steady_clock;

namespace {

struct Args {
  std::string bootstrap = "127.0.0.1:9092";
  int64_t clocks = 1000000;
  int64_t burst = 10000;
  int gap_ms = 2500;
  int due_in_s = -1;  // -1: 120 s + N / 4000 s (load and restore come first)
};

[[noreturn]] void die(const std::string& why) {
  std::cerr << "bench-sla: " << why << "\n";
  std::exit(1);
}

double secs(Steady::duration d) { return std::chrono::duration<double>(d).count(); }

bool ready(int port) {
  auto r = test::http_get(port, "/readyz");
  return r && r->status == 200;
}

std::string self_dir() { return fs::read_symlink("/proc/self/exe").parent_path().string(); }

// Reads the SLA topic as the monitor commits it: counts clocks started and
// records, per fired milestone, how long after its due time it was readable.
struct Watcher {
  std::atomic<int64_t> started{0}, fired{0};
  std::mutex mu;
  std::vector<double> late_ms;
  std::atomic<bool> stop{false};
  std::thread th;

  void run(const client::ClientConfig& cc, const std::string& topic) {
    th = std::thread([this, cc, topic] {
      client::TailOptions o;
      o.topics = {topic};
      auto c = client::TailConsumer::open(cc, o);
      if (!c) die(c.error().message);
      while (!stop) {
        auto r = (*c)->poll(100ms);
        if (!r) die(r.error().message);
        if (!r->has_value()) continue;
        const auto now = runtime::Clock::now();
        v1::SlaEvent ev;
        if (!ev.ParseFromString((*r)->value)) continue;
        const v1::Envelope* env = nullptr;
        if (ev.has_started()) {
          ++started;
          continue;
        }
        if (ev.has_warning()) env = &ev.warning().envelope();
        if (ev.has_breached()) env = &ev.breached().envelope();
        if (!env) continue;
        const double late = std::chrono::duration<double, std::milli>(
                                now - runtime::from_timestamp(env->event_time()))
                                .count();
        std::lock_guard lk(mu);
        late_ms.push_back(late);
        ++fired;
      }
    });
  }
  ~Watcher() {
    stop = true;
    if (th.joinable()) th.join();
  }
};

Args parse(int argc, char** argv) {
  Args a;
  for (int i = 1; i < argc; ++i) {
    std::string k = argv[i];
    auto val = [&]() -> std::string {
      if (i + 1 >= argc) die("missing value for " + k);
      return argv[++i];
    };
    if (k == "--bootstrap")
      a.bootstrap = val();
    else if (k == "--clocks")
      a.clocks = std::stoll(val());
    else if (k == "--burst")
      a.burst = std::max<int64_t>(1, std::stoll(val()));
    else if (k == "--gap-ms")
      a.gap_ms = std::stoi(val());
    else if (k == "--due-in")
      a.due_in_s = std::stoi(val());
    else
      die("usage: bench-sla --bootstrap HOST:PORT [--clocks N] [--burst B] [--gap-ms G] "
          "[--due-in S]");
  }
  if (a.due_in_s < 0) a.due_in_s = 120 + static_cast<int>(a.clocks / 4000);
  return a;
}

}  // namespace

int main(int argc, char** argv) {
  std::cout << std::unitbuf;  // progress lines as they happen
  const Args args = parse(argc, argv);
  client::ClientConfig cc;
  cc.bootstrap = args.bootstrap;
  cc.timeout = 30s;
  std::mt19937_64 rng(std::random_device{}());
  const std::string prefix =
      "bench-sla-" + std::to_string(getpid()) + "-" + std::to_string(rng() % 1000000) + ".";
  const fs::path dir = fs::temp_directory_path() / prefix;
  fs::create_directories(dir);

  {
    auto admin = client::Admin::connect(cc);
    if (!admin) die(admin.error().message);
    std::vector<client::TopicSpec> specs;
    for (const char* t : {"baton.routing.events", "baton.sales.activities",
                          "baton.crm.stage-changes", "baton.sla.events", "baton.routing.reassign",
                          "baton.lifecycle.stage-changes", "baton.privacy.erasure", "baton.dlq"})
      specs.push_back(client::TopicSpec{prefix + t, 6, -1, {}});
    specs.push_back(
        client::TopicSpec{prefix + "baton.roster.reps", 1, -1, {{"cleanup.policy", "compact"}}});
    if (auto r = (*admin)->create_topics(specs); !r) die(r.error().message);
  }
  // One hour first-touch budget, 24x7; the warning 36 s before the deadline.
  const fs::path config = dir / "sla-monitor.bench.yaml";
  std::ofstream(config) << R"(kafka:
  bootstrap_servers: localhost:9092
runtime:
  application_id: baton-sla-monitor
sla-monitor:
  default_calendar: {time_zone: UTC}
  tiers:
    high_intent: {first_touch: 1h, warning_fraction: 0.99, clock: 24x7}
    standard: {first_touch: 1h, clock: 24x7}
    nurture: {first_touch: 1d, clock: 24x7}
)";
  const std::string bin = self_dir() + "/baton-sla-monitor";
  const int port = test::free_port();
  const fs::path state = dir / "state";
  auto start = [&](const std::string& log) {
    return std::make_unique<test::Child>(
        std::vector<std::string>{bin, "--config", config.string(), "--instance-id", "b0",
                                 "--admin-port", std::to_string(port), "--state-dir",
                                 state.string(), "--topic-prefix", prefix, "--application-id",
                                 "bench-sla-" + prefix},
        std::map<std::string, std::string>{{"BATON_KAFKA_BOOTSTRAP_SERVERS", args.bootstrap}},
        (dir / log).string());
  };
  auto stop = [](test::Child& c) {
    c.signal(SIGTERM);
    c.wait(120s);
  };

  Watcher watch;
  watch.run(cc, prefix + "baton.sla.events");
  auto mon = start("sla-monitor-1.log");
  if (!test::wait_until([&] { return ready(port); }, 180s))
    die("not ready; logs in " + dir.string());

  // N assignments; burst k's deadlines fall in the second at due_in + k * gap.
  const auto t_due = runtime::Clock::now() + std::chrono::seconds(args.due_in_s);
  const auto load_start = Steady::now();
  {
    client::ClientConfig pc = cc;
    pc.properties["linger.ms"] = "20";
    pc.properties["batch.size"] = "1000000";
    pc.properties["compression.type"] = "lz4";
    auto p = client::PlainProducer::open(pc);
    if (!p) die(p.error().message);
    std::uniform_int_distribution<int64_t> jitter(0, 999);
    std::string bytes;
    for (int64_t i = 0; i < args.clocks; ++i) {
      const std::string lead = "B" + std::to_string(i);
      const auto due = t_due + std::chrono::milliseconds((i / args.burst) * args.gap_ms) +
                       std::chrono::milliseconds(jitter(rng));
      const auto at = due - 1h;
      v1::RoutingEvent ev;
      auto* a = ev.mutable_assignment();
      a->mutable_envelope()->set_event_id("assign-" + lead);
      a->mutable_envelope()->set_lead_id(lead);
      *a->mutable_envelope()->mutable_event_time() = runtime::to_timestamp(at);
      a->set_owner_rep_id("rep-" + std::to_string(i % 200));
      a->set_manager_id("mgr-" + std::to_string(i % 20));
      a->set_tier(v1::TIER_HIGH_INTENT);
      *a->mutable_captured_at() = runtime::to_timestamp(at - 30s);
      *a->mutable_assigned_at() = runtime::to_timestamp(at);
      ev.SerializeToString(&bytes);
      if (auto s = (*p)->produce(prefix + "baton.routing.events", lead, bytes); !s)
        die(s.message());
    }
    if (auto s = (*p)->flush(300s); !s) die(s.message());
  }
  std::cout << "produced " << args.clocks << " assignments in " << secs(Steady::now() - load_start)
            << " s; deadlines in bursts of " << args.burst << " every " << args.gap_ms
            << " ms from +" << args.due_in_s << " s (warnings 36 s before each)\n";
  const auto until_due = [&] { return t_due - runtime::Clock::now(); };
  test::wait_until([&] { return watch.started >= args.clocks; },
                   std::chrono::duration_cast<std::chrono::seconds>(until_due()) + 600s, 500ms);
  const double load_s = secs(Steady::now() - load_start);
  std::cout << "clocks started: " << watch.started << " in " << load_s << " s ("
            << static_cast<int64_t>(watch.started / std::max(load_s, 1e-3)) << "/s)"
            << (runtime::Clock::now() > t_due ? " -- LATE: the load overran the burst" : "")
            << "\n";
  const auto open_metric = test::metric(port, "baton_sla_open_clocks");
  std::cout << "baton_sla_open_clocks before the burst: " << open_metric.value_or(-1) << "\n";

  // Restore: stop, lose the RocksDB folder, start again.
  const double hwm1 = test::rss_of(mon->pid()).hwm_mb;
  stop(*mon);
  mon.reset();
  fs::remove_all(state);
  const auto restart = Steady::now();
  mon = start("sla-monitor-2.log");
  if (!test::wait_until([&] { return ready(port); }, 1800s, 50ms)) die("restore never finished");
  const double restore_s = secs(Steady::now() - restart);
  const auto restore_metric = test::metric(port, "baton_restore_seconds");
  // The census reports the restored open clocks within one interval.
  std::optional<double> open_after;
  test::wait_until(
      [&] {
        open_after = test::metric(port, "baton_sla_open_clocks");
        return open_after && *open_after >= static_cast<double>(args.clocks);
      },
      60s, 500ms);
  std::cout << "restore: ready after " << restore_s << " s (baton_restore_seconds "
            << restore_metric.value_or(-1) << "); open clocks after restore "
            << open_after.value_or(-1)
            << (runtime::Clock::now() > t_due - 36s ? " -- LATE: the first warnings are due" : "")
            << "\n";
  // The bursts: warnings 36 s before the deadlines, then the deadlines.
  const auto burst_start = Steady::now();
  if (!test::wait_until([&] { return watch.fired >= 2 * args.clocks; },
                        std::chrono::duration_cast<std::chrono::seconds>(until_due()) + 1800s,
                        200ms))
    std::cout << "only " << watch.fired << " of " << 2 * args.clocks << " milestones fired\n";
  const double hwm2 = test::rss_of(mon->pid()).hwm_mb;
  double p50 = 0, p99 = 0, worst = 0;
  {
    std::lock_guard lk(watch.mu);
    auto v = watch.late_ms;
    std::sort(v.begin(), v.end());
    if (!v.empty()) {
      p50 = v[v.size() / 2];
      p99 = v[std::min(v.size() - 1, v.size() * 99 / 100)];
      worst = v.back();
    }
  }
  std::cout << "milestones fired: " << watch.fired << " (bursts took "
            << secs(Steady::now() - burst_start) << " s after the restore); lateness p50 " << p50
            << " ms, p99 " << p99 << " ms, max " << worst << " ms\n";
  std::cout << "VmHWM: " << static_cast<long>(hwm1) << " MB loading, " << static_cast<long>(hwm2)
            << " MB restoring and firing\n";

  stop(*mon);
  const long rss_mb = static_cast<long>(std::max(hwm1, hwm2));
  std::cout << "RESULT sla_open_clocks=" << static_cast<int64_t>(open_after.value_or(0))
            << " fire_late_p99_ms=" << static_cast<int64_t>(p99)
            << " restore_s=" << static_cast<int64_t>(restore_s + 0.5) << " rss_mb=" << rss_mb
            << "\n";
  fs::remove_all(state);
  return 0;
}
