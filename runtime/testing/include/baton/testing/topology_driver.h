// An in-process driver for processors, as Kafka Streams' TopologyTestDriver
// is for topologies: no broker, no RocksDB, milliseconds per test. Pipe a
// record in, advance the clock, read what came out and what is in state.
//
// Each processor runs as one task over an in-memory state. Its effects are
// applied as a committed transaction would apply them (writes, timers,
// after-commit hooks). Every output goes to the processors that read its
// topic (input_topics()), the emitting one included, in order; outputs to a
// global (table) topic update that table. Timers fire in due order when the
// clock is advanced. Not modelled: partitions, de-duplication of re-sent
// inputs, transactions failing, rebalances (the broker tiers test those).
#pragma once

#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "baton/runtime/processor.h"

namespace baton::testing {

using Table = std::map<std::string, std::string, std::less<>>;
using Globals = std::map<std::string, Table, std::less<>>;
// Each global table's version (runtime::StateView::global_version).
using GlobalVersions = std::map<std::string, uint64_t, std::less<>>;

// A task's state over std::map; global tables are shared by every task.
class MemState : public runtime::StateView {
 public:
  MemState(std::shared_ptr<const Globals> globals, std::shared_ptr<const GlobalVersions> versions)
      : globals_(std::move(globals)), versions_(std::move(versions)) {}
  std::optional<std::string> get(std::string_view key) const override;
  void scan(std::string_view prefix,
            const std::function<bool(std::string_view, std::string_view)>& fn) const override;
  std::optional<std::string> global(std::string_view topic, std::string_view key) const override;
  void scan_global(
      std::string_view topic,
      const std::function<bool(std::string_view, std::string_view)>& fn) const override;
  uint64_t global_version(std::string_view topic) const override;
  // Writes and deletes of the effects (not timers).
  void apply(const runtime::Effects& fx);
  Table kv;

 private:
  std::shared_ptr<const Globals> globals_;
  std::shared_ptr<const GlobalVersions> versions_;
};

class TopologyDriver {
 public:
  // The rejection reason recorded when a processor gives none (a bug).
  static constexpr const char* kNoReason = "(no reason)";
  TopologyDriver()
      : globals_(std::make_shared<Globals>()), versions_(std::make_shared<GlobalVersions>()) {}

  // The processor is borrowed; its task starts with empty state.
  void add(runtime::Processor* p);
  // Sets a global table's entry (e.g. the roster) as its topic would.
  void put_global(const std::string& topic, const std::string& key, const std::string& value);

  // Processes a record and everything that follows from it (outputs piped
  // on), at `now`. At most `max_steps` inputs: a bound for fuzzing.
  void pipe(runtime::Record in, runtime::TimePoint now, int max_steps = 10000);
  void pipe(const std::string& topic, const std::string& key,
            const google::protobuf::Message& value, runtime::TimePoint now);
  // Moves the clock to `to`, firing every timer due by then in due order
  // (each at its due time) and piping what it emits; then asks every task
  // for work without input (Processor::on_tick) until none has any.
  void advance(runtime::TimePoint to, int max_steps = 10000);
  runtime::TimePoint now() const { return now_; }

  // Outputs written to a topic so far (every topic is kept), in order.
  const std::vector<runtime::Record>& output(const std::string& topic) const;
  // Decodes the outputs of a topic as M (those that do not decode are skipped).
  template <typename M>
  std::vector<M> read(const std::string& topic) const {
    std::vector<M> out;
    for (const auto& r : output(topic)) {
      M m;
      if (m.ParseFromString(r.value)) out.push_back(std::move(m));
    }
    return out;
  }
  // A processor's state, by its name().
  const MemState& state(std::string_view processor) const;
  MemState& mutable_state(std::string_view processor);
  // Pending timers of a processor, by id.
  const std::map<std::string, runtime::Timer>& timers(std::string_view processor) const;
  // Reasons of the inputs processors rejected (dead letters), in order.
  const std::vector<std::string>& rejections() const { return rejections_; }
  // The same with where and why: "<processor> <topic|timer id>: <reason>: <detail>".
  const std::vector<std::string>& rejection_details() const { return details_; }
  // The de-duplication ids (Effects::dedup_id) a processor's steps asked the
  // runtime to remember: each is a record in its store and changelog.
  const std::vector<std::string>& dedup_ids(std::string_view processor) const {
    return task(processor).dedup_ids;
  }
  // Copies states, timers and the clock (not processors or outputs) from a
  // driver over the same processors: a warmed-up starting point.
  void copy_state_from(const TopologyDriver& other);
  // Forgets what was produced so far (a long run keeps its memory flat).
  void clear_outputs() { outputs_.clear(); }

 private:
  struct Task {
    runtime::Processor* p;
    MemState state;
    std::vector<std::string> inputs;
    std::map<std::string, runtime::Timer> timers;
    std::vector<std::string> dedup_ids;
  };
  Task& task(std::string_view processor);
  const Task& task(std::string_view processor) const;
  void handle(Task& t, const runtime::ProcessResult& r, const std::string& what);
  void drain(int& steps, int max_steps);

  void set_global(const std::string& topic, const std::string& key, const std::string& value);

  std::shared_ptr<Globals> globals_;
  std::shared_ptr<GlobalVersions> versions_;
  std::vector<Task> tasks_;
  std::deque<runtime::Record> queue_;
  std::map<std::string, std::vector<runtime::Record>, std::less<>> outputs_;
  std::vector<std::string> rejections_, details_;
  runtime::TimePoint now_{};
  int64_t offset_ = 0;
};

}  // namespace baton::testing
