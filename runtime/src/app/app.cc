#include "baton/runtime/app.h"

#include <malloc.h>
#include <prometheus/registry.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <cstring>
#include <iostream>
#include <thread>

#include "admin/admin_server.h"
#include "app/command_line.h"
#include "app/runtime_config.h"
#include "baton/runtime/log.h"
#include "engine/engine.h"
#include "engine/fatal.h"

// jemalloc's options, read at its first allocation (the services link it;
// elsewhere this is an unused global). A background thread returns freed
// pages to the kernel after a second instead of ten, without waiting for the
// next allocation: peak RSS under load is what issue 18 point 5 bounds.
extern "C" {
[[gnu::used]] const char* malloc_conf =
    "background_thread:true,dirty_decay_ms:1000,muzzy_decay_ms:0";
}

namespace baton::runtime {

int run_service(const ServiceSpec& spec, int argc, char** argv) {
  log::set_service(spec.name);
  if (spec.subcommand) {
    int rc = spec.subcommand(argc, argv);
    if (rc >= 0) return rc;
  }
  CommandLine cl;
  if (auto code = parse_command_line(spec.name, argc, argv, cl)) return *code;
#ifdef __GLIBC__
  // The services link jemalloc (BATON_JEMALLOC), which ignores this. Built
  // with glibc's malloc: two arenas, not eight per core, as librdkafka's
  // threads each grew a 64 MiB arena of fetch buffers they rarely give back
  // (issue 18 point 5, docs/benchmarks.md). Before any thread exists.
  mallopt(M_ARENA_MAX, 2);
#endif
  // Signals go to one thread (blocked before any service thread exists, so
  // threads started by a service's make() inherit the mask); the engine stops
  // at the next loop turn.
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  auto registry = std::make_shared<prometheus::Registry>();
  auto loaded = load_runtime_config(spec, cl, *registry);
  if (!loaded) {
    std::cerr << "invalid config " << cl.config << ":\n" << loaded.error().message << "\n";
    return 2;
  }
  auto& rc = loaded.value();
  if (cl.check_only) {
    std::cout << "config ok: " << cl.config << "\n";
    return 0;
  }
  log::set_level(rc.log_level);

  RuntimeMetrics metrics(*registry, spec.name);
  Engine engine(rc.engine, std::move(rc.processors), metrics);
  std::atomic<bool> loop_alive{true};
  QueryRouter queries;
  queries.lookup = [&engine](std::string_view p, std::string_view k) {
    return engine.lookup(p, k);
  };
  queries.local_scan =
      [&engine](std::string_view p, std::string_view prefix,
                const std::function<void(int32_t, std::string_view, std::string_view)>& fn) {
        return engine.scan_tasks(p, prefix, fn);
      };
  // With the query listener on, replicas answer for each other (issue 20):
  // reports scan every partition, per-lead queries go to the lead's owner.
  std::shared_ptr<query::Fanout> fanout;
  if (!rc.query.token_file.empty()) {
    auto dir = query::PeerDirectory::open(rc.engine.kafka, rc.engine.application_id);
    if (!dir) {
      std::cerr << dir.error().message << "\n";
      return 2;
    }
    fanout = std::make_shared<query::Fanout>(
        std::shared_ptr<query::PeerDirectory>(std::move(dir.value())),
        query::PeerCalls{!rc.query.plaintext, rc.query.peer_ca_file});
  }
  queries.scan = [&engine, fanout, local = queries.local_scan](
                     std::string_view p, std::string_view prefix, const ScanFn& fn) {
    if (fanout)
      fanout->scan(p, prefix, local, fn, query::current_authorization());
    else
      engine.scan(p, prefix, fn);
  };
  if (spec.routes) spec.routes(queries);
  AdminServer admin(registry,
                    AdminHooks{[&] { return loop_alive.load(); }, [&] { return engine.ready(); },
                               [&] { return engine.status_json(); }});
  if (auto s = admin.start(rc.admin_host, rc.admin_port); !s) {
    log::error("admin start failed", {{"error", s.message()}});
    std::cerr << s.message() << "\n";
    return 1;
  }
  query::QueryServer query_server(rc.query, queries, *registry);
  query_server.set_fanout(fanout);
  if (auto s = query_server.start(); !s) {
    log::error("query listener start failed", {{"error", s.message()}});
    std::cerr << s.message() << "\n";
    return 1;
  }
  if (fanout) {
    fanout->set_self(query_server.advertised());
    engine.set_client_id(query::client_id_for(query_server.advertised()));
  }
  std::atomic<bool> done{false};
  std::mutex mu;
  std::condition_variable cv;
  std::thread signals([&] {
    int sig = 0;
    while (!done.load()) {
      timespec ts{0, 200 * 1000 * 1000};
      sig = sigtimedwait(&set, nullptr, &ts);
      if (sig == SIGTERM || sig == SIGINT) break;
    }
    if (done.load()) return;
    log::info("signal received: stopping", {{"signal", std::to_string(sig)}});
    engine.stop();
    // Grace: a stuck shutdown ends the process rather than hanging the pod.
    std::unique_lock lk(mu);
    if (!cv.wait_for(lk, rc.shutdown_grace, [&] { return done.load(); })) {
      log::error("shutdown grace exceeded; exiting");
      std::_Exit(1);
    }
  });
  int code = 0;
  if (auto s = engine.start(); !s) {
    log::error("start failed", {{"error", s.message()}});
    std::cerr << "start failed: " << s.message() << "\n";
    code = 1;
  } else if (auto r = engine.run(); !r) {
    // 70..75: unrecoverable, the pod restarts and restores (docs/design.md).
    code = fatal_exit_code(r.error()).value_or(1);
    log::error("run failed", {{"error", r.message()}, {"exit_code", std::to_string(code)}});
  }
  loop_alive = false;
  {
    std::lock_guard lk(mu);
    done = true;
  }
  cv.notify_all();
  signals.join();
  query_server.stop();
  admin.stop();
  log::info("stopped", {{"code", std::to_string(code)}});
  return code;
}

}  // namespace baton::runtime
