// Shared by the engine's in-process tests on the real broker (BatchClock,
// InternalFirst): a topic with a backlog written before the engine starts,
// and an engine configuration for one instance.
#pragma once

#include <gtest/gtest.h>
#include <prometheus/registry.h>

#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "baton/runtime/client.h"
#include "engine/engine.h"
#include "engine/engine_config.h"
#include "harness.h"
#include "metrics/runtime_metrics.h"

namespace baton::test {

// Creates `topic` with `partitions` and writes `records` values keyed k0..k49.
inline void write_backlog(const std::string& topic, int partitions, long records) {
  runtime::client::ClientConfig cc;
  cc.bootstrap = bootstrap();
  auto admin = runtime::client::Admin::connect(cc);
  ASSERT_TRUE(admin) << admin.error().message;
  runtime::client::TopicSpec spec;
  spec.name = topic;
  spec.partitions = partitions;
  ASSERT_TRUE((*admin)->create_topics({spec}));
  auto prod = runtime::client::PlainProducer::open(cc);
  ASSERT_TRUE(prod) << prod.error().message;
  for (long i = 0; i < records; ++i)
    ASSERT_TRUE((*prod)->produce(topic, "k" + std::to_string(i % 50), "v", {}));
  ASSERT_TRUE((*prod)->flush(std::chrono::seconds(60)));
}

// One instance "i0" of `app`, its state in a temporary folder.
inline runtime::EngineConfig in_process_config(const std::string& service, const std::string& app) {
  runtime::EngineConfig cfg;
  cfg.service = service;
  cfg.application_id = app;
  cfg.instance_id = "i0";
  cfg.kafka = {{"bootstrap.servers", bootstrap()}};
  cfg.state_dir = temp_dir(service);
  cfg.dlq_topic = app + "-dlq";
  return cfg;
}

// An engine running its loop on a thread of its own; stop() (or the
// destructor) stops it and joins.
class RunningEngine {
 public:
  RunningEngine(const runtime::EngineConfig& cfg,
                std::vector<std::unique_ptr<runtime::Processor>> procs)
      : metrics_(registry_, cfg.service), engine_(cfg, std::move(procs), metrics_) {}
  RunningEngine(const RunningEngine&) = delete;
  RunningEngine& operator=(const RunningEngine&) = delete;
  ~RunningEngine() { stop(); }
  runtime::Status start() {
    auto s = engine_.start();
    if (s) loop_ = std::thread([this] { (void)engine_.run(); });
    return s;
  }
  void stop() noexcept {
    engine_.stop();
    if (loop_.joinable()) loop_.join();
  }

 private:
  prometheus::Registry registry_;
  runtime::RuntimeMetrics metrics_;
  runtime::Engine engine_;
  std::thread loop_;
};

}  // namespace baton::test
