// bench-e2e's load: the `baton generate` generator (tools/baton/generator)
// as a library. Leads and engagement signals go out at their event time
// (so a phase runs at a fixed rate), and the generator's simulated reps
// answer the committed assignments with touches and CRM stage changes.
// One thread; bounded queues.
#pragma once

#include <atomic>
#include <chrono>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "baton/runtime/client.h"
#include "baton/v1/roster.pb.h"
#include "generator/generator.h"

namespace baton::bench {

struct DriverOptions {
  uint64_t seed = 1;       // the simulated reps' habits
  double time_scale = 15;  // matches deploy/demo/sla-monitor.yaml
  bool simulate_reps = true;
  // Follow-ups (touches, stage changes) waiting to be sent; assignments
  // beyond this get no simulated rep (counted in skipped_follow_ups).
  int64_t max_pending = 200000;
};

// The generator's lead with a unique e-mail: the generator draws people
// from a small catalogue (a few thousand addresses), so at volume nearly
// every capture would merge into an earlier lead of the same person.
std::string with_unique_email(const std::string& lead_captured_bytes, const std::string& lead_id);

// A roster that can take any volume: the generator's reps (three pools
// across time zones) plus `extra_per_pool` more per pool, all 24x7,
// without capacity or daily caps.
std::vector<v1::Rep> bench_roster(int extra_per_pool);

class LoadDriver {
 public:
  LoadDriver(runtime::client::ClientConfig cc, std::string prefix, DriverOptions options);
  ~LoadDriver();
  // Opens the producer (error text on failure) and starts the thread.
  std::string start();
  // A phase: `count` leads at `rate` per second from now, drawn for `seed`.
  void add_phase(uint64_t seed, double rate, int64_t count);
  // An assignment the routing topic showed (any thread).
  void on_assignment(const cli::gen::ObservedAssignment& a);
  // Every lead of every phase added so far has been produced.
  bool leads_sent() const { return leads_out_ == leads_planned_; }
  int64_t leads() const { return leads_out_; }
  int64_t signals() const { return signals_; }
  int64_t follow_ups() const { return follow_ups_; }
  int64_t skipped_follow_ups() const { return skipped_; }
  // Lead-send lag behind the schedule (ms) at the worst moment.
  double worst_lag_ms() const { return worst_lag_ms_; }
  bool failed() const { return failed_; }
  const std::string& error() const { return error_; }  // valid once failed()
  // Stops the thread and flushes the producer (bounded).
  void stop();

 private:
  using Event = cli::gen::GeneratedEvent;
  void run();
  bool emit(const Event& e);
  void fail(const std::string& why);

  runtime::client::ClientConfig cc_;
  std::string prefix_;
  DriverOptions options_;
  std::unique_ptr<runtime::client::PlainProducer> producer_;
  std::mutex mu_;
  std::vector<std::unique_ptr<cli::gen::LeadStream>> new_streams_;  // guarded by mu_
  std::deque<cli::gen::ObservedAssignment> inbox_;                  // guarded by mu_
  std::atomic<int64_t> leads_planned_{0}, leads_out_{0}, signals_{0}, follow_ups_{0}, skipped_{0};
  std::atomic<double> worst_lag_ms_{0};
  std::atomic<bool> stop_{false}, failed_{false};
  std::string error_;
  std::thread th_;
};

}  // namespace baton::bench
