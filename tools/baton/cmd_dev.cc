// baton dev up|status|down|demo: Baton on this machine (a broker, the topics,
// the sample roster and accounts, the three services) as supervised
// processes, and the demo on it; the work itself is in dev/ (ctest -R
// DevSupervisor, -R DevDemo, -R demo_).
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <iostream>

#include "commands.h"
#include "dev/demo.h"
#include "dev/stream_view.h"
#include "dev/supervisor.h"

#ifndef BATON_SOURCE_DIR
#define BATON_SOURCE_DIR ""
#endif

namespace baton::cli {
namespace {

namespace fs = std::filesystem;

struct DevFlags {
  std::string dir;
  std::string root;
  std::string bin_dir;
  bool fresh = false;
  bool env = false;
  int port_base = 8081;
  double ready_timeout = 240;
  double grace = 45;
  // demo
  dev::DemoOptions demo;
  bool demo_fresh = true;
  std::string until;
};

// The source tree: the working folder or one above it holding deploy/demo,
// else the tree this binary was built from.
fs::path find_root(const std::string& flag) {
  if (!flag.empty()) return fs::absolute(flag);
  for (fs::path p = fs::current_path(); !p.empty(); p = p.parent_path()) {
    if (fs::exists(p / "deploy/demo/router.yaml") && fs::exists(p / "scripts/kafka")) return p;
    if (p == p.root_path()) break;
  }
  return BATON_SOURCE_DIR;
}

fs::path dir_of(const DevFlags& f) {
  return f.dir.empty() ? find_root(f.root) / ".cache/demo" : fs::absolute(f.dir);
}

dev::Millis millis(double seconds) { return dev::Millis(static_cast<int64_t>(seconds * 1000)); }

dev::UpOptions up_options(const Globals& g, const DevFlags& f, bool external_broker) {
  dev::UpOptions o;
  o.root = find_root(f.root);
  o.dir = dir_of(f);
  o.bin_dir = f.bin_dir.empty() ? fs::read_symlink("/proc/self/exe").parent_path()
                                : fs::absolute(f.bin_dir);
  if (external_broker) o.bootstrap = g.bootstrap;
  o.prefix = g.prefix;
  o.fresh = f.fresh;
  o.port_base = f.port_base;
  o.ready_timeout = millis(f.ready_timeout);
  o.grace = millis(f.grace);
  return o;
}

int run_up(const Globals& g, const DevFlags& f, bool external_broker) {
  const dev::UpOptions o = up_options(g, f, external_broker);
  install_stop_handler();
  try {
    dev::up(o, g_stop, std::cout);
    return kOk;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "baton: dev up: %s\n", e.what());
    return kRuntimeError;
  }
}

int run_demo(const Globals& g, DevFlags f, bool external_broker) {
  f.fresh = f.demo_fresh;
  dev::DemoOptions o = f.demo;
  o.up = up_options(g, f, external_broker);
  o.until = dev::split_words(f.until);
  o.colour = !o.headless && isatty(STDOUT_FILENO) == 1;
  install_stop_handler();
  try {
    return dev::demo(o, g_stop, std::cout);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "baton: dev demo: %s\n", e.what());
    return kRuntimeError;
  }
}

void add_demo_command(CLI::App& app, CLI::App* dev, Globals& g, int& rc,
                      const std::shared_ptr<DevFlags>& f) {
  auto* demo = dev->add_subcommand(
      "demo",
      "The demo: dev up, realistic leads (baton generate) and the stream live (who got each lead "
      "and why, SLA warnings, breaches, escalations, reassignments, outcomes), then what happened "
      "and one lead's timeline. Ctrl-C stops what it started (dev down) and nothing else");
  demo->add_option("--dir", f->dir, "Run folder: logs, state, broker data (default .cache/demo)")
      ->envname("BATON_DEMO_DIR");
  demo->add_option("--root", f->root, "Source tree (scripts/kafka, deploy/demo; default: found)");
  demo->add_option("--bin-dir", f->bin_dir, "Where the binaries are (default: beside baton)");
  demo->add_flag("--fresh,!--resume", f->demo_fresh,
                 "--fresh [default]: wipe the run folder first; --resume: keep its broker data, "
                 "topics and state");
  demo->add_flag("--headless", f->demo.headless,
                 "No colours, and exit (stopping everything) once the run is over");
  demo->add_flag("--keep", f->demo.keep,
                 "Exit once the run is over, leaving everything running (dev down stops it)");
  demo->add_option("--rate", f->demo.rate, "Leads per second")->capture_default_str();
  demo->add_option("--count", f->demo.count, "Leads (0: endless)")->capture_default_str();
  demo->add_option("--seed", f->demo.seed, "Generator seed (default 1 when fresh, else the time)");
  demo->add_option("--time-scale", f->demo.time_scale,
                   "The playbook runs X times faster (as deploy/demo/sla-monitor.yaml)")
      ->capture_default_str();
  demo->add_option("--duration", f->demo.duration_s,
                   "Stop the load after N seconds (default: when the generator is done)")
      ->check(CLI::NonNegativeNumber);
  demo->add_option("--until-seen", f->until,
                   "Stop the load once the stream showed each comma-separated word (tests)");
  demo->add_option("--ready-timeout", f->ready_timeout, "Seconds for every service to be ready")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  demo->callback(
      [&app, &g, &rc, f] { rc = run_demo(g, *f, app.get_option("--bootstrap")->count() > 0); });
}

}  // namespace

void add_dev_command(CLI::App& app, Globals& g, int& rc) {
  auto f = std::make_shared<DevFlags>();
  auto* dev = app.add_subcommand(
      "dev", "Run Baton on this machine: a broker, the topics, the sample roster, the services");
  dev->require_subcommand(1);
  auto add_dir = [f](CLI::App* c) {
    c->add_option("--dir", f->dir, "Run folder: logs, state, broker data (default .cache/demo)")
        ->envname("BATON_DEMO_DIR");
    c->add_option("--root", f->root, "Source tree (scripts/kafka, deploy/demo; default: found)");
  };
  auto* up = dev->add_subcommand(
      "up",
      "Start a broker (unless --bootstrap names one), create the topics, load the sample roster "
      "and accounts, start the three services and wait for each /readyz; leaves them running");
  add_dir(up);
  up->add_option("--bin-dir", f->bin_dir, "Where the service binaries are (default: beside baton)");
  up->add_flag("--fresh", f->fresh, "Stop what the folder's last run left, then wipe its data");
  up->add_option("--port-base", f->port_base,
                 "Admin ports: router N, sla-monitor N+1, feedback N+2, query N+102 (a busy one: "
                 "any free port; 0: any free ports)")
      ->capture_default_str()
      ->check(CLI::Range(0, 65000));
  up->add_option("--ready-timeout", f->ready_timeout, "Seconds for every service to be ready")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  up->add_option("--grace", f->grace,
                 "Seconds from SIGTERM to SIGKILL when a failed start is undone")
      ->capture_default_str();
  up->callback(
      [&app, &g, &rc, f] { rc = run_up(g, *f, app.get_option("--bootstrap")->count() > 0); });

  add_demo_command(app, dev, g, rc, f);

  auto* status = dev->add_subcommand(
      "status",
      "Each process, alive or not, and its /readyz. Exit code 0: all alive and ready, 4: all "
      "alive but one not ready, 1: one gone or nothing up");
  add_dir(status);
  status->add_flag("--env", f->env, "Print shell variables (ports, bootstrap, query URL)");
  status->callback([&rc, f] {
    try {
      rc = dev::status(dir_of(*f), f->env, std::cout);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "baton: dev status: %s\n", e.what());
      rc = kRuntimeError;
    }
  });

  auto* down = dev->add_subcommand(
      "down", "Stop what `dev up` started (SIGTERM, --grace, SIGKILL), then its broker");
  add_dir(down);
  down->add_option("--grace", f->grace, "Seconds from SIGTERM to SIGKILL")->capture_default_str();
  down->callback([&rc, f] {
    try {
      dev::down(dir_of(*f), millis(f->grace), std::cout);
      rc = kOk;
    } catch (const std::exception& e) {
      std::fprintf(stderr, "baton: dev down: %s\n", e.what());
      rc = kRuntimeError;
    }
  });
}

}  // namespace baton::cli
