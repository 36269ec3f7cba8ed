// bench-e2e's readers: committed routing and SLA events (read_committed), as
// a downstream consumer sees them. Each runs on its own thread.
#pragma once

#include <sys/types.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "baton/runtime/client.h"
#include "generator/generator.h"
#include "harness.h"

namespace baton::bench {

using Steady = std::chrono::steady_clock;

// Value at quantile q (0..1) of v (sorted here); 0 when empty.
double percentile(std::vector<double> v, double q);

// One run phase's leads: lead ids "L<hex of the seed>-<index + 1>".
struct Phase {
  std::string id_prefix;  // "Lxxxx-"
  int64_t count = 0;
};

// What the routing topic said about the leads of the phases.
struct PhaseStats {
  std::atomic<int64_t> decided{0};   // first routing decision (assigned, nurtured or held)
  std::atomic<int64_t> assigned{0};  // first assignment
  std::atomic<int64_t> duplicates{0};
  std::atomic<int64_t> last_decision_ns{0};  // Steady time of the latest first decision
  std::mutex mu;
  std::vector<double> assign_ms;  // capture -> committed first assignment
  // Capture time (ms since the epoch) by lead key, of the leads in assign_ms,
  // in the first (paced) phase only: joined with SlaWatch::first_started()
  // for capture -> SLA clock started.
  std::unordered_map<std::string, int64_t> captured_ms;
};

// Reads baton.routing.events: first decisions and capture -> assignment
// latency per phase; hands every assignment to on_assignment (the
// simulated reps).
class RoutingWatch {
 public:
  using OnAssignment = std::function<void(const cli::gen::ObservedAssignment&)>;
  RoutingWatch(runtime::client::ClientConfig cc, std::string topic, std::vector<Phase> phases,
               OnAssignment on_assignment);
  ~RoutingWatch() { stop(); }
  void start();
  // Stops reading and closes the consumer (before the run's topics go).
  void stop() noexcept;
  PhaseStats& stats(size_t phase) { return *stats_[phase]; }
  int64_t records() const { return records_; }
  int64_t reassignments() const { return reassignments_; }
  // Set once reading failed (the thread has stopped).
  bool failed() const { return failed_; }
  const std::string& error() const { return error_; }  // valid once failed()

 private:
  void run();
  void on_record(const runtime::Record& r);

  runtime::client::ClientConfig cc_;
  std::string topic_;
  std::vector<Phase> phases_;
  std::vector<std::unique_ptr<PhaseStats>> stats_;
  std::vector<std::vector<uint8_t>> flags_;  // per phase, per lead index
  OnAssignment on_assignment_;
  std::atomic<int64_t> records_{0}, reassignments_{0};
  std::atomic<bool> stop_{false}, failed_{false};
  std::string error_;
  std::thread th_;
};

// Reads baton.sla.events: lateness of every timer-driven event (warning,
// breach, escalation, reassignment request) = read time - due time (the
// event's own event time).
class SlaWatch {
 public:
  SlaWatch(runtime::client::ClientConfig cc, std::string topic);
  ~SlaWatch() { stop(); }
  void start();
  void stop() noexcept;  // as RoutingWatch::stop
  std::vector<double> late_ms();
  int64_t fired() const { return fired_; }
  int64_t started() const { return started_; }
  int64_t met() const { return met_; }
  // When each lead's first SlaClockStarted was read (ms since the epoch).
  std::unordered_map<std::string, int64_t> first_started();
  int64_t last_event_ns() const { return last_event_ns_; }
  bool failed() const { return failed_; }
  const std::string& error() const { return error_; }  // valid once failed()

 private:
  void run();

  runtime::client::ClientConfig cc_;
  std::string topic_;
  std::mutex mu_;
  std::vector<double> late_ms_;
  std::unordered_map<std::string, int64_t> first_started_;
  std::atomic<int64_t> fired_{0}, started_{0}, met_{0}, last_event_ns_{0};
  std::atomic<bool> stop_{false}, failed_{false};
  std::string error_;
  std::thread th_;
};

using test::Rss;
using test::rss_of;

}  // namespace baton::bench
