// Shared by the tests of the engine's parts (tests/runtime/engine): a
// processor that records what the runtime asked of it, a task on a real
// RocksDB store in a temporary folder, and a metrics registry.
#pragma once

#include <gtest/gtest.h>
#include <librdkafka/rdkafkacpp.h>
#include <prometheus/registry.h>

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "engine/task.h"
#include "harness.h"
#include "kafka/conf.h"
#include "metrics/runtime_metrics.h"

namespace baton::test {

// Records assignments, revocations and timers; answers each timer with the
// effects `on_timer_effects` makes (default: none), or a rejection / an
// exception for timer ids starting with "reject" / "throw".
class Recorder : public runtime::Processor {
 public:
  explicit Recorder(std::string name, uint32_t version = 0)
      : name_(std::move(name)), version_(version) {}
  std::string name() const override { return name_; }
  std::vector<std::string> input_topics() const override { return {"in"}; }
  uint32_t state_version() const override { return version_; }
  runtime::ProcessResult on_record(const runtime::Record&, const runtime::StateView&,
                                   runtime::TimePoint) override {
    return runtime::Effects{};
  }
  runtime::ProcessResult on_timer(const runtime::Timer& t, const runtime::StateView& state,
                                  runtime::TimePoint) override {
    fired.push_back(t);
    fired_saw.push_back(state.get("k").value_or("<none>"));
    if (t.id.starts_with("reject")) return runtime::Rejection{"invalid", "refused"};
    if (t.id.starts_with("throw")) throw std::runtime_error("boom");
    runtime::Effects fx;
    fx.put("fired/" + t.id, t.payload);
    return fx;
  }
  void on_assigned(int32_t partition, const runtime::StateView& state) override {
    assigned.emplace_back(partition, state.get("k").value_or("<none>"));
    if (throw_on_assigned) throw std::runtime_error("on_assigned failed");
  }
  void on_revoked(int32_t partition) noexcept override { revoked.push_back(partition); }

  std::vector<std::pair<int32_t, std::string>> assigned;  // partition, value of "k"
  std::vector<int32_t> revoked;
  std::vector<runtime::Timer> fired;
  std::vector<std::string> fired_saw;  // value of "k" each timer saw
  bool throw_on_assigned = false;

 private:
  std::string name_;
  uint32_t version_;
};

// A task of `p` on a RocksDB store in `dir`, as the TaskManager makes one.
inline std::unique_ptr<runtime::Task> open_task(runtime::Processor& p, int32_t partition,
                                                const std::string& dir) {
  auto t = std::make_unique<runtime::Task>();
  t->processor = &p;
  t->partition = partition;
  t->changelog = "test-" + p.name() + "-changelog";
  auto store = runtime::TaskStore::open(dir);
  EXPECT_TRUE(store) << (store ? "" : store.error().message);
  if (!store) return nullptr;
  t->store = std::move(store.value());
  t->committed = std::make_unique<runtime::StoreState>(t->store.get());
  t->overlay = std::make_unique<runtime::Overlay>(*t->committed);
  return t;
}

// Commits a task's overlay to its store, as the engine does after a commit.
inline void commit_to_store(runtime::Task& t, int64_t checkpoint = -1) {
  auto s = t.store->apply(t.overlay->take(), checkpoint);
  ASSERT_TRUE(s) << s.message();
}

struct Metrics {
  prometheus::Registry registry;
  runtime::RuntimeMetrics m{registry, "parts-test"};
};

// One record as a read_committed consumer sees it.
struct Seen {
  int32_t partition = 0;
  int64_t offset = 0;
  std::string key;
  std::optional<std::string> value;  // nullopt: a tombstone
  std::map<std::string, std::string> headers;
};

// Every committed record of `topic` (partitions 0..n-1), read to the end
// (the last stable offset of each partition).
inline std::vector<Seen> read_committed(const runtime::kafka::Props& props,
                                        const std::string& topic, int partitions) {
  auto c = runtime::kafka::open_replay_consumer(props, unique_name("parts-reader"));
  EXPECT_TRUE(c) << (c ? "" : c.error().message);
  if (!c) return {};
  std::vector<RdKafka::TopicPartition*> parts;
  parts.reserve(static_cast<size_t>(partitions));
  for (int p = 0; p < partitions; ++p)
    parts.push_back(RdKafka::TopicPartition::create(topic, p, RdKafka::Topic::OFFSET_BEGINNING));
  (*c)->assign(parts);
  RdKafka::TopicPartition::destroy(parts);
  std::vector<Seen> out;
  std::set<int32_t> ended;
  const bool done = wait_until(
      [&] {
        std::unique_ptr<RdKafka::Message> m((*c)->consume(100));
        if (m->err() == RdKafka::ERR__PARTITION_EOF) ended.insert(m->partition());
        if (m->err() == RdKafka::ERR_NO_ERROR) {
          Seen s{m->partition(), m->offset(), m->key() ? *m->key() : "", std::nullopt, {}};
          if (m->payload()) s.value.emplace(static_cast<const char*>(m->payload()), m->len());
          if (auto* hs = m->headers())
            for (const auto& h : hs->get_all())
              s.headers[h.key()] =
                  std::string(static_cast<const char*>(h.value()), h.value() ? h.value_size() : 0);
          out.push_back(std::move(s));
        }
        return static_cast<int>(ended.size()) == partitions;
      },
      std::chrono::seconds(60), std::chrono::milliseconds(0));
  EXPECT_TRUE(done) << "did not reach the end of " << topic;
  (*c)->close();
  return out;
}

}  // namespace baton::test
