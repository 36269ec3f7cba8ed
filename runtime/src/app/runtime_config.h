// Reads the runtime's part of a service config (kafka, runtime) plus the
// service's own section, with environment overrides for Kafka properties.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "baton/runtime/app.h"
#include "baton/runtime/log.h"
#include "engine/engine.h"
#include "query/query_server.h"

namespace baton::runtime {

struct CommandLine {
  std::string config;
  bool check_only = false;
  std::string instance_id;
  int admin_port = -1;
  std::string state_dir;
  std::string topic_prefix;
  std::string application_id;
  int query_port = -1;
  std::string query_token_file;
  bool query_plaintext = false;
  std::string query_advertise;
};

struct RuntimeConfig {
  EngineConfig engine;
  std::vector<std::unique_ptr<Processor>> processors;
  std::string admin_host = "0.0.0.0";
  int admin_port = 8080;
  query::ListenerConfig query;
  std::chrono::milliseconds shutdown_grace{30000};
  log::Level log_level = log::Level::info;
};

Result<RuntimeConfig> load_runtime_config(const ServiceSpec& spec, const CommandLine& cl,
                                          prometheus::Registry& registry);

}  // namespace baton::runtime
