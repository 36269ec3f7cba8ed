// Shared fixture of the runtime's broker tests: topics, config and the
// reference processor (tests/runtime/refproc) as real processes.
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "baton/runtime/client.h"
#include "harness.h"

namespace baton::test {

struct RefOracle {
  std::map<std::string, int64_t> count, sum;
  int64_t inputs = 0;
  int64_t expected_timers() const {
    int64_t n = 0;
    for (const auto& [k, c] : count) n += c / 10;
    return n;
  }
};

class RefProcFixture : public ::testing::Test {
 protected:
  void SetUp() override;
  // Produces n valid inputs with sequence numbers from first_seq.
  void produce_inputs(int64_t first_seq, int64_t n, int keys = 200);
  void produce_raw(const std::string& key, const std::string& value);
  // binary: baton-refproc, or baton-refproc-v2 (the next state schema).
  std::unique_ptr<Child> start_instance(const std::string& instance, int admin_port,
                                        const std::string& binary = "baton-refproc");
  // Reads everything committed so far from a topic (read_committed).
  void drain(const std::string& topic, std::vector<runtime::Record>& into,
             std::chrono::milliseconds budget = std::chrono::milliseconds(500));
  // Runs `rounds` instances one after another on the inputs produced so far,
  // each SIGKILLed at a random moment after random progress; returns the
  // kills. `each` runs while an instance is up (e.g. to read its metrics).
  int kill_at_random(int rounds, size_t total, int admin_port,
                     const std::function<void()>& each = {});
  // Starts a last instance, waits for every output and timer, stops it with
  // SIGTERM (exit 0 expected). `each` runs while it is up.
  void finish(size_t total, int admin_port, const std::function<void()>& each = {});
  // After every instance stopped: every output and timer exactly once and
  // totals equal to the oracle.
  void verify_exactly_once();

  std::string in_, out_, timers_, app_, dir_, config_;
  RefOracle oracle_;
  runtime::client::ClientConfig cc_;
  std::unique_ptr<runtime::client::PlainProducer> producer_;
  std::map<std::string, std::unique_ptr<runtime::client::TailConsumer>> tails_;
  std::vector<runtime::Record> outs_, ticks_;
};

}  // namespace baton::test
